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
 * Requests carry the node's timeout as their deadline. As in AvalancheGo's
 * sender.go, GetAncestors fails at once to a peer that is not connected or
 * benched (GetAncestorsFailed delivered once), while GetAcceptedFrontier and
 * GetAccepted have no early failure: they are sent to connected peers and
 * fail when their timeout fires. Either way the request keeps its router
 * entry (chain_router.go) until the peer answers or the timeout fires: the
 * timeout is a benchlist failure and a latency sample, an answer a benchlist
 * response and a latency sample, and an answer to a request whose failure
 * was delivered already goes no further. A finished bootstrap leaves its
 * open requests registered the same way (the router knows nothing of the
 * engine's state): their answers and timeouts still reach the benchlist and
 * the latency average, and go no further.
 */
import type { Micros, NodeId, TimerHandle } from '../host.js';
import type { Block, BlockId } from '../snowman/block.js';
import { HONEST } from './behaviour.js';
import { ancestorsOf } from './bootstrap/ancestors.js';
import { Bootstrapper, type BootstrapPort, type BootstrapStats } from './bootstrap/bootstrapper.js';
import type { Message, RequestId } from './messages.js';
import type { NodeContext } from './node-context.js';
import { setTimer, TimerKind } from './timer-tags.js';

type Op = 'frontier' | 'accepted' | 'ancestors';

interface Open {
  readonly peer: NodeId;
  readonly requestId: RequestId;
  readonly op: Op;
  readonly timer: TimerHandle;
  readonly sentAt: Micros;
  /** Its failure was delivered already (an early failure): the answer or timeout only settles the entry. */
  handled: boolean;
}

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
  /** Open requests by timer key (a local sequence number). */
  private readonly open = new Map<number, Open>();
  private nextKey = 1;
  private tickTimer: TimerHandle | undefined;

  constructor(
    private readonly ctx: NodeContext,
    /** Called once the bootstrapper is done: consensus may start. */
    private readonly onDone: (outcome: BootstrapOutcome) => void,
  ) {}

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
    const o = this.open.get(key);
    if (o === undefined) return;
    this.open.delete(key);
    const now = this.ctx.host.now();
    this.ctx.timeouts.observeLatency(now - o.sentAt, now);
    this.ctx.benchlist.registerFailure(o.peer, now);
    if (!o.handled) this.failed(o);
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
    const op: Op = msg.kind === 'accepted-frontier' ? 'frontier' : msg.kind === 'accepted' ? 'accepted' : 'ancestors';
    const key = this.keyOf(from, msg.requestId, op);
    if (key === undefined) return false;
    const o = this.open.get(key)!;
    this.open.delete(key);
    this.ctx.host.cancelTimer(o.timer);
    const now = this.ctx.host.now();
    this.ctx.timeouts.observeLatency(now - o.sentAt, now);
    this.ctx.benchlist.registerResponse(from, now);
    if (o.handled || boot === undefined) return true; // its failure went to the bootstrapper already, or bootstrapping is over
    if (msg.kind === 'accepted-frontier') boot.onAcceptedFrontier(from, msg.requestId, msg.blockId);
    else if (msg.kind === 'accepted') boot.onAccepted(from, msg.requestId, msg.blockIds);
    else boot.onAncestors(from, msg.requestId, msg.blocks);
    this.checkDone();
    return true;
  }

  private keyOf(peer: NodeId, requestId: RequestId, op: Op): number | undefined {
    for (const [k, o] of this.open) if (o.peer === peer && o.requestId === requestId && o.op === op) return k;
    return undefined;
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

  /** A connected, unbenched validator other than this node, uniformly (AvalancheGo's peer tracker picks by bandwidth). */
  private selectPeer(): NodeId | undefined {
    const ctx = this.ctx;
    const v = ctx.cfg.validators;
    for (let i = 0; i < 8; i++) {
      const p = v.uniformPeers(ctx.random, 1, ctx.id)[0];
      if (p !== undefined && ctx.reachable(p)) return p;
    }
    for (let p = 0; p < v.size; p++) if (p !== ctx.id && v.stakeOf(p) > 0 && ctx.reachable(p)) return p;
    return undefined;
  }

  private request(to: NodeId, requestId: RequestId, op: Op, build: (deadlineUs: Micros) => Message): void {
    const ctx = this.ctx;
    const key = this.nextKey++;
    const timeout = ctx.timeouts.timeoutDuration();
    const o: Open = { peer: to, requestId, op, timer: setTimer(ctx.host, timeout, TimerKind.BootstrapTimeout, key), sentAt: ctx.host.now(), handled: false };
    this.open.set(key, o);
    if (op !== 'ancestors') {
      ctx.sender.sendIfConnected(to, build(timeout));
      return;
    }
    ctx.sender.request(to, build(timeout), () => {
      if (this.open.get(key) !== o || o.handled) return;
      o.handled = true;
      this.failed(o);
    });
  }

  private failed(o: Open): void {
    const boot = this.boot;
    if (boot === undefined) return;
    if (o.op === 'frontier') boot.onGetAcceptedFrontierFailed(o.peer, o.requestId);
    else if (o.op === 'accepted') boot.onGetAcceptedFailed(o.peer, o.requestId);
    else boot.onGetAncestorsFailed(o.peer, o.requestId);
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
    for (const o of this.open.values()) o.handled = true;
    this.boot = undefined;
  }

  /** A crash: everything cancelled. */
  clear(): void {
    if (this.tickTimer !== undefined) this.ctx.host.cancelTimer(this.tickTimer);
    this.tickTimer = undefined;
    for (const o of this.open.values()) this.ctx.host.cancelTimer(o.timer);
    this.open.clear();
    this.boot = undefined;
  }
}
