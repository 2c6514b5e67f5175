/**
 * A Snowman validator (the equivalent of AvalancheGo's
 * snow/engine/snowman/engine.go with a simple block-building VM), written
 * against the sans-I/O Host: it sends messages, sets timers, draws from its
 * own random stream and charges CPU only through the host.
 *
 * Flow, as in AvalancheGo:
 * - a block is *issued*: once its parent is issued (else it waits, and the
 *   missing parent is fetched with get/put), it is verified (CPU) and added to
 *   consensus; if it is preferred, a query goes to a K-sample (push-query for
 *   a block this node built, pull-query otherwise);
 * - a query is answered with chits (preference, preference at the requested
 *   height, last accepted) before the queried block is issued;
 * - chits become a vote once the blocks they name are issued or given up; the
 *   vote goes to the nearest processing ancestor of the preferred block (or
 *   of the preferred block at height), else it is dropped; a failed (timed
 *   out) query is answered on the responder's behalf with its last accepted
 *   block if known, which usually is no longer processing and so is a drop;
 * - finished polls are applied oldest first; while blocks are processing the
 *   node keeps `concurrentRepolls` polls in flight.
 *
 * The node is split along AvalancheGo's own seams, one part per file, all
 * sharing one NodeContext: block-fetcher.ts (gets and puts), block-issuer.ts
 * (issuing, the pending and unverified blocks), voter.ts (queries, chits,
 * votes, poll results), tx-gossip.ts (client transactions and gossip),
 * block-builder.ts (proposer slots and building), sender.ts (outgoing
 * messages, loopback), accepted-chain.ts (the persisted chain). This file
 * boots and crashes the node and routes its inputs.
 */
import type { HostedNode, Micros, NodeId } from '../host.js';
import type { SnowmanHost } from './accepted-chain.js';
import type { Block, TxId } from '../snowman/block.js';
import { HONEST, type NodeView } from './behaviour.js';
import { BlockBuilder } from './block-builder.js';
import { BlockFetcher } from './block-fetcher.js';
import { BlockIssuer } from './block-issuer.js';
import { Bootstrapping } from './bootstrapping.js';
import { validateNodeConfig, type SnowmanNodeConfig } from './config.js';
import type { Message } from './messages.js';
import { NodeContext } from './node-context.js';
import { NO_OBSERVER, type DropReason } from './observer.js';
import { PollSet } from './poll-set.js';
import { AdaptiveTimeoutManager } from '../networking/adaptive-timeout.js';
import { Benchlist, defaultBenchlistConfig } from '../networking/benchlist.js';
import { Sender } from './sender.js';
import { timerArg, timerKind, TimerKind } from './timer-tags.js';
import { TxGossip } from './tx-gossip.js';
import { Voter } from './voter.js';

/** What a client submits to a node: one transaction with a run-unique id (see txIdOf). */
export interface ClientTx {
  readonly id: TxId;
}

export interface NodeHealth {
  readonly healthy: boolean;
  readonly numProcessing: number;
  readonly oldestProcessingAgeUs: Micros;
}

export class SnowmanNode implements HostedNode<Message, ClientTx> {
  readonly view: NodeView;
  private readonly ctx: NodeContext;

  constructor(host: SnowmanHost, cfg: SnowmanNodeConfig) {
    validateNodeConfig(cfg);
    if (host.id < 0 || host.id >= cfg.validators.size) {
      throw new RangeError(`host.id must be a validator index in [0, ${cfg.validators.size}), got ${host.id}`);
    }
    const ctx = new NodeContext(host, cfg, cfg.behaviour ?? HONEST, cfg.observer ?? NO_OBSERVER);
    this.ctx = ctx;
    ctx.sender = new Sender(
      host,
      (msg) => {
        if (!ctx.alive) return false;
        this.onMessage(host.id, msg);
        return true;
      },
      () => ctx.benchlist,
    );
    ctx.fetcher = new BlockFetcher(ctx);
    ctx.issuer = new BlockIssuer(ctx);
    ctx.voter = new Voter(ctx);
    ctx.gossip = new TxGossip(ctx);
    ctx.builder = new BlockBuilder(ctx);
    ctx.bootstrapping = new Bootstrapping(ctx, (outcome) => {
      ctx.observer.onBootstrapped?.(outcome, ctx.id, host.now());
      this.startConsensus();
    });
    this.view = ctx.view = this.makeView();
  }

  // ------------------------------------------------------------------ inputs

  onStart(): void {
    // A node resuming from a persisted chain bootstraps as after a restart.
    this.boot(this.ctx.chain.height > 0 || this.ctx.cfg.options.bootstrapAtGenesis);
  }

  onRestart(): void {
    this.boot(true);
  }

  onCrash(): void {
    const ctx = this.ctx;
    if (!ctx.alive) return;
    ctx.alive = false;
    ctx.bootstrapping.clear();
    ctx.voter.clear();
    ctx.fetcher.clear();
    ctx.sender.clear();
    ctx.builder.clear();
    ctx.gossip.clear();
    ctx.issuer.clear();
    ctx.jobs.clear();
    ctx.mempool.clear();
  }

  onMessage(from: NodeId, msg: Message, receivedAt?: Micros): void {
    const ctx = this.ctx;
    if (!ctx.alive) return;
    if (ctx.cfg.options.chargeHandlingCpu) ctx.host.chargeCpu(ctx.cfg.messageModel.cpuCostUs(msg));
    // snow/networking/handler: a request that waited past its deadline is dropped, not handled.
    if (receivedAt !== undefined && 'deadlineUs' in msg && msg.deadlineUs !== undefined && ctx.host.now() - receivedAt > msg.deadlineUs) {
      ctx.observer.onDrop?.('expired', ctx.id, ctx.host.now());
      return;
    }
    switch (msg.kind) {
      case 'get-accepted-frontier':
      case 'get-accepted':
      case 'get-ancestors':
        ctx.bootstrapping.serve(from, msg);
        return;
      case 'accepted-frontier':
      case 'accepted':
      case 'ancestors':
        if (!ctx.bootstrapping.onResponse(from, msg)) ctx.observer.onDrop?.('unrequested', ctx.id, ctx.host.now());
        return;
      case 'get':
        this.serveGet(from, msg.requestId, msg.blockId);
        return;
      case 'tx-gossip':
        ctx.gossip.onGossip(msg.txs);
        return;
      default:
        break;
    }
    // While bootstrapping, queries, chits and puts are ignored (the bootstrapper's no-op handlers).
    if (ctx.bootstrapping.active) return;
    switch (msg.kind) {
      case 'push-query':
        ctx.voter.sendChits(from, msg.requestId, msg.requestedHeight, msg.block.id);
        ctx.issuer.issueFrom(from, msg.block);
        break;
      case 'pull-query':
        ctx.voter.sendChits(from, msg.requestId, msg.requestedHeight, msg.blockId);
        ctx.issuer.issueFromById(from, msg.blockId);
        break;
      case 'chits':
        if (!ctx.voter.onChits(from, msg.requestId, msg.preferredId, msg.preferredIdAtHeight, msg.acceptedId, msg.acceptedHeight)) {
          ctx.observer.onDrop?.('unrequested', ctx.id, ctx.host.now());
        }
        break;
      case 'put':
        if (ctx.fetcher.acceptPut(from, msg.requestId, msg.block)) ctx.issuer.issueFrom(from, msg.block);
        break;
      default:
        break;
    }
  }

  /** A get: the block if this node holds it or has accepted it (served while bootstrapping too). */
  private serveGet(from: NodeId, requestId: number, blockId: number): void {
    const ctx = this.ctx;
    const block = ctx.issuer.getBlock(blockId);
    if (block !== undefined && ctx.behaviour.serveBlock(ctx.view, from, block)) {
      ctx.sender.send(from, { kind: 'put', requestId, block });
    }
  }

  onTimer(tag: number): void {
    const ctx = this.ctx;
    if (!ctx.alive) return;
    const arg = timerArg(tag);
    switch (timerKind(tag)) {
      case TimerKind.QueryTimeout:
        ctx.voter.onQueryTimeout(arg);
        break;
      case TimerKind.GetTimeout:
        ctx.fetcher.onTimeout(arg);
        break;
      case TimerKind.Frontier:
        if (ctx.bootstrapping.active) ctx.bootstrapping.onTick();
        else ctx.voter.onFrontierTimer();
        break;
      case TimerKind.BootstrapTimeout:
        ctx.bootstrapping.onTimeout(arg);
        break;
      case TimerKind.SlotStart:
        ctx.builder.onSlotStart(arg);
        break;
      case TimerKind.TxGossip:
        ctx.gossip.flush();
        break;
      case TimerKind.Loopback:
        ctx.sender.drainLoopback();
        break;
      case TimerKind.BuildRetry:
        ctx.builder.onRetry();
        break;
      default:
        throw new Error(`SnowmanNode: unknown timer kind ${timerKind(tag)} (tag ${tag})`);
    }
  }

  onClient(request: ClientTx): void {
    if (!this.ctx.alive) return;
    this.ctx.gossip.onClient(request.id);
  }

  /**
   * Before the first boot: resume from a persisted chain (a real node that
   * restarted reopens its store). `chain` is the accepted chain above
   * genesis, in height order; block and request counters continue from
   * `counters`, above anything an earlier incarnation may have used.
   */
  restore(chain: readonly Block[], counters: { readonly blocks: number; readonly requests: number }): void {
    const ctx = this.ctx;
    if (ctx.alive || ctx.incarnation !== 0 || ctx.chain.height !== 0) throw new Error(`SnowmanNode ${ctx.id}: restore only before the first boot`);
    for (const b of chain) ctx.chain.restore(b, ctx.id);
    ctx.blockCounter = Math.max(ctx.blockCounter, counters.blocks);
    ctx.requestCounter = Math.max(ctx.requestCounter, counters.requests);
  }

  /**
   * A restarted process's clients' transactions that were submitted to an earlier incarnation and not yet seen
   * accepted (from the real node's history): reported accepted when this node accepts their block. Before the first boot.
   */
  resumeClientTxs(txs: Iterable<TxId>): void {
    if (this.ctx.alive) throw new Error(`SnowmanNode ${this.ctx.id}: resumeClientTxs only before the first boot`);
    this.ctx.gossip.resumeOwn(txs);
  }

  // ------------------------------------------------------------ observation

  /** Accepted chain, genesis first (persisted state). */
  acceptedChain(): readonly Block[] {
    return this.ctx.chain.all();
  }

  lastAcceptedBlock(): Block {
    return this.ctx.chain.last();
  }

  isAlive(): boolean {
    return this.ctx.alive;
  }

  numProcessing(): number {
    return this.ctx.alive && !this.ctx.bootstrapping.active ? this.ctx.consensus.numProcessing() : 0;
  }

  numOpenPolls(): number {
    return this.ctx.alive && !this.ctx.bootstrapping.active ? this.ctx.voter.openPolls : 0;
  }

  /** Whether the node is bootstrapping (after a restart) rather than running consensus. */
  isBootstrapping(): boolean {
    return this.ctx.alive && this.ctx.bootstrapping.active;
  }

  /** Requests failed at once (peer unreachable or benched) since boot. */
  requestsFailedFast(): number {
    return this.ctx.sender.failedFast;
  }

  /** Peers benched now (AvalancheGo benchlist), ascending. */
  benchedPeers(): readonly NodeId[] {
    return this.ctx.alive ? this.ctx.benchlist.benched() : [];
  }

  /** The current request timeout (AvalancheGo's adaptive timeout). */
  requestTimeoutUs(): Micros {
    return this.ctx.timeouts.timeoutDuration();
  }

  mempoolSize(): number {
    return this.ctx.mempool.size;
  }

  /** AvalancheGo's health rule: processing count and oldest processing age within the limits. */
  health(): NodeHealth {
    const now = this.ctx.host.now();
    let oldest = 0;
    for (const t of this.ctx.issuer.issuedAt.values()) oldest = Math.max(oldest, now - t);
    const n = this.numProcessing();
    const p = this.ctx.cfg.params;
    return {
      healthy: n <= p.maxOutstandingItems && oldest <= p.maxItemProcessingTimeUs,
      numProcessing: n,
      oldestProcessingAgeUs: oldest,
    };
  }

  // ---------------------------------------------------------------- booting

  private boot(bootstrap: boolean): void {
    const ctx = this.ctx;
    if (ctx.alive) return;
    ctx.alive = true;
    ctx.incarnation++;
    const now = ctx.host.now();
    const o = ctx.cfg.options;
    ctx.timeouts = new AdaptiveTimeoutManager(o.timeout, now);
    ctx.benchlist = new Benchlist(o.benchlist ?? defaultBenchlistConfig(ctx.cfg.params), ctx.cfg.validators);
    ctx.refreshConnectedStake();
    if (bootstrap) ctx.bootstrapping.start();
    else this.startConsensus();
  }

  /** Normal operation (AvalancheGo's engine Start after bootstrapping): consensus from the last accepted block. */
  private startConsensus(): void {
    const ctx = this.ctx;
    ctx.refreshConnectedStake();
    ctx.consensus = ctx.cfg.createConsensus(ctx.chain.last());
    const p = ctx.cfg.params;
    ctx.polls = new PollSet({
      alphaPreference: p.alphaPreference,
      alphaConfidence: p.alphaConfidence,
      prefixVoteCounts: ctx.cfg.options.prefixVoteCounts,
      parentOf: (id) => ctx.issuer.votableParent(id),
    });
    ctx.voter.start();
    ctx.builder.start();
  }

  private makeView(): NodeView {
    const ctx = this.ctx;
    return {
      id: ctx.id,
      validators: ctx.cfg.validators,
      now: () => ctx.host.now(),
      preference: () => ctx.consensus.preference(),
      preferenceAtHeight: (h) => ctx.consensus.preferenceAtHeight(h),
      lastAccepted: () => ctx.consensus.lastAccepted(),
      block: (id) => ctx.issuer.getBlock(id),
      numProcessing: () => this.numProcessing(),
    };
  }
}

/** Re-exported for callers that only need the drop reasons. */
export type { DropReason };
