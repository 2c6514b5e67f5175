/**
 * Bootstrapping inside a Snowman node (AvalancheGo chains/manager.go starts
 * every chain with its bootstrapper; snow/engine/snowman/bootstrap): the
 * sans-I/O Bootstrapper of bootstrap/bootstrapper.ts driven through this
 * node's sender, timeouts and accepted chain, and the serving side every
 * node has at all times (getter.go: GetAcceptedFrontier, GetAccepted,
 * GetAncestors).
 *
 * A node bootstraps when it restarts, and when it starts from a restored
 * chain; a network launched at genesis skips it unless
 * `options.bootstrapAtGenesis`. While it bootstraps it answers no queries and
 * ignores chits and puts (the bootstrapper's no-op handlers); once the
 * bootstrapper is done, consensus starts from the last accepted block.
 * Requests, their timeouts and early failures are bootstrap/requests.ts
 * (shared with the DAG node). A finished bootstrap leaves its open requests
 * registered (the router knows nothing of the engine's state): their
 * answers and timeouts still reach the benchlist and the latency average,
 * and go no further.
 */
import type { Micros, NodeId, TimerHandle } from '../host.js';
import type { Block, BlockId } from '../snowman/block.js';
import { HONEST } from './behaviour.js';
import { ancestorsOf } from './bootstrap/ancestors.js';
import { Bootstrapper, type BootstrapPort, type BootstrapStats } from './bootstrap/bootstrapper.js';
import { BootstrapRequests, type BootstrapOp } from './bootstrap/requests.js';
import type { Message, RequestId } from './messages.js';
import type { NodeContext } from './node-context.js';
import { setTimer, TimerKind } from './timer-tags.js';

/** What a finished bootstrap reports. */
export interface BootstrapOutcome extends BootstrapStats {
  /** Restart (or start) to done. */
  readonly durationUs: Micros;
  /** Height of the last accepted block before and after. */
  readonly fromHeight: number;
  readonly toHeight: number;
}

export class Bootstrapping {
  private boot: Bootstrapper | undefined;
  private startedAt: Micros = 0;
  private fromHeight = 0;
  private readonly requests: BootstrapRequests<Message>;
  private tickTimer: TimerHandle | undefined;

  constructor(
    private readonly ctx: NodeContext,
    /** Called once the bootstrapper is done: consensus may start. */
    private readonly onDone: (outcome: BootstrapOutcome) => void,
  ) {
    this.requests = new BootstrapRequests<Message>(
      {
        host: ctx.host,
        id: ctx.id,
        validators: ctx.cfg.validators,
        random: ctx.random,
        timeouts: () => ctx.timeouts,
        benchlist: () => ctx.benchlist,
        reachable: (p) => ctx.reachable(p),
        sendIfConnected: (to, msg) => ctx.sender.sendIfConnected(to, msg),
        request: (to, msg, failed) => ctx.sender.request(to, msg, failed),
        setTimeoutTimer: (delay, key) => setTimer(ctx.host, delay, TimerKind.BootstrapTimeout, key),
      },
      (op, peer, requestId) => this.failed(op, peer, requestId),
    );
  }

  get active(): boolean {
    return this.boot !== undefined;
  }

  start(): void {
    const ctx = this.ctx;
    this.startedAt = ctx.host.now();
    this.fromHeight = ctx.chain.height;
    this.boot = new Bootstrapper(this.port());
    this.armTick();
    this.boot.start();
    this.checkDone();
  }

  /** Periodic while bootstrapping: waits for enough connected beacons, retries blocks that had no peer. */
  onTick(): void {
    this.armTick();
    this.boot?.onConnected();
    this.checkDone();
  }

  onTimeout(key: number): void {
    this.requests.onTimeout(key);
  }

  // ------------------------------------------------------------- serving

  /** Serves a bootstrapping request from a peer (always, bootstrapping or not). */
  serve(from: NodeId, msg: Message): void {
    const ctx = this.ctx;
    switch (msg.kind) {
      case 'get-accepted-frontier':
        ctx.sender.send(from, { kind: 'accepted-frontier', requestId: msg.requestId, blockId: ctx.chain.last().id });
        return;
      case 'get-accepted': {
        const blockIds = msg.blockIds.filter((id) => ctx.chain.servableBlock(id) !== undefined);
        ctx.sender.send(from, { kind: 'accepted', requestId: msg.requestId, blockIds });
        return;
      }
      case 'get-ancestors': {
        const blocks = ancestorsOf(msg.blockId, this.ancestorLookup(), ctx.cfg.options.ancestors);
        if (blocks.length > 0 && ctx.behaviour !== HONEST && !ctx.behaviour.serveBlock(ctx.view, from, blocks[0]!)) return;
        ctx.sender.send(from, { kind: 'ancestors', requestId: msg.requestId, blocks });
        return;
      }
      default:
        return;
    }
  }

  /**
   * Block lookup for an Ancestors answer: held blocks, then accepted ones; a
   * walk down the accepted chain follows heights, so old blocks need no scan.
   */
  private ancestorLookup(): (id: BlockId) => Block | undefined {
    const ctx = this.ctx;
    let below = -1;
    return (id) => {
      const held = ctx.issuer.known.get(id);
      const atBelow = held === undefined && below >= 0 ? ctx.chain.at(below) : undefined;
      const b = held ?? (atBelow?.id === id ? atBelow : ctx.chain.servableBlock(id));
      if (b !== undefined) below = b.height - 1;
      return b;
    };
  }

  // ----------------------------------------------------------- responses

  /**
   * An answer to a bootstrapping request, while bootstrapping or after. False
   * when it answers nothing this node asked `from` (late or unrequested): dropped.
   */
  onResponse(from: NodeId, msg: Message): boolean {
    const boot = this.boot;
    if (msg.kind !== 'accepted-frontier' && msg.kind !== 'accepted' && msg.kind !== 'ancestors') return false;
    const op: BootstrapOp = msg.kind === 'accepted-frontier' ? 'frontier' : msg.kind === 'accepted' ? 'accepted' : 'ancestors';
    const settled = this.requests.settle(from, msg.requestId, op);
    if (settled === 'unknown') return false;
    if (settled === 'handled' || boot === undefined) return true; // its failure went to the bootstrapper already, or bootstrapping is over
    if (msg.kind === 'accepted-frontier') boot.onAcceptedFrontier(from, msg.requestId, msg.blockId);
    else if (msg.kind === 'accepted') boot.onAccepted(from, msg.requestId, msg.blockIds);
    else boot.onAncestors(from, msg.requestId, msg.blocks);
    this.checkDone();
    return true;
  }

  // ------------------------------------------------------------- asking

  private port(): BootstrapPort {
    const ctx = this.ctx;
    return {
      self: ctx.id,
      validators: ctx.cfg.validators,
      sampleK: ctx.cfg.params.k,
      limits: ctx.cfg.options.ancestors,
      random: ctx.random,
      nextRequestId: () => ++ctx.requestCounter,
      isConnected: (peer) => ctx.host.isConnected(peer),
      selectPeer: () => this.selectPeer(),
      lastAccepted: () => ctx.chain.last(),
      sendGetAcceptedFrontier: (to, requestId) => this.request(to, requestId, 'frontier', (deadlineUs) => ({ kind: 'get-accepted-frontier', requestId, deadlineUs })),
      sendGetAccepted: (to, requestId, ids) =>
        this.request(to, requestId, 'accepted', (deadlineUs) => ({ kind: 'get-accepted', requestId, blockIds: ids, deadlineUs })),
      sendGetAncestors: (to, requestId, id) => this.request(to, requestId, 'ancestors', (deadlineUs) => ({ kind: 'get-ancestors', requestId, blockId: id, deadlineUs })),
      accept: (b) => this.accept(b),
    };
  }

  private selectPeer(): NodeId | undefined {
    return this.requests.selectPeer();
  }

  private request(to: NodeId, requestId: RequestId, op: BootstrapOp, build: (deadlineUs: Micros) => Message): void {
    this.requests.send(to, requestId, op, build);
  }

  private failed(op: BootstrapOp, peer: NodeId, requestId: RequestId): void {
    const boot = this.boot;
    if (boot === undefined) return;
    if (op === 'frontier') boot.onGetAcceptedFrontierFailed(peer, requestId);
    else if (op === 'accepted') boot.onGetAcceptedFailed(peer, requestId);
    else boot.onGetAncestorsFailed(peer, requestId);
    this.checkDone();
  }

  private accept(b: Block): void {
    const ctx = this.ctx;
    const now = ctx.host.now();
    ctx.chain.append(b, ctx.id);
    ctx.mempool.markAccepted(b.txs);
    ctx.observer.onAccept?.(b, ctx.id, now);
    ctx.gossip.ownTxsAccepted(b, now);
  }

  private armTick(): void {
    this.tickTimer = setTimer(this.ctx.host, this.ctx.cfg.options.frontierPollIntervalUs, TimerKind.Frontier, 0);
  }

  private checkDone(): void {
    const boot = this.boot;
    if (boot === undefined || !boot.done()) return;
    const ctx = this.ctx;
    this.finish();
    this.onDone({ ...boot.statistics(), durationUs: ctx.host.now() - this.startedAt, fromHeight: this.fromHeight, toHeight: ctx.chain.height });
  }

  /** Done: the bootstrapper and its tick go; open requests stay registered until answered or timed out, their failures no longer delivered. */
  private finish(): void {
    if (this.tickTimer !== undefined) this.ctx.host.cancelTimer(this.tickTimer);
    this.tickTimer = undefined;
    this.requests.finish();
    this.boot = undefined;
  }

  /** A crash: everything cancelled. */
  clear(): void {
    if (this.tickTimer !== undefined) this.ctx.host.cancelTimer(this.tickTimer);
    this.tickTimer = undefined;
    this.requests.clear();
    this.boot = undefined;
  }
}
