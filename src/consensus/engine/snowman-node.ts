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
 */
import type { Host, HostedNode, Micros, NodeId, TimerHandle } from '../host.js';
import type { Block, BlockId, TxId } from '../snowman/block.js';
import { blockIdOf } from '../snowman/block.js';
import type { SnowmanConsensus } from '../snowman/consensus.js';
import { HONEST, type Behaviour, type ChitsAnswer, type NodeView, type Proposal } from './behaviour.js';
import { validateNodeConfig, type SnowmanNodeConfig } from './config.js';
import { JobScheduler } from './jobs.js';
import { Mempool } from './mempool.js';
import type { Message, RequestId } from './messages.js';
import { NO_OBSERVER, type DropReason, type NodeObserver } from './observer.js';
import { PollSet, type FinishedPoll } from './poll-set.js';
import { voteCounts } from './vote-graph.js';

/** What a client submits to a node: one transaction with a run-unique id (see txIdOf). */
export interface ClientTx {
  readonly id: TxId;
}

/** Timer kinds, in the low 3 bits of a timer tag; the rest carries a request id or slot. */
const enum TimerKind {
  QueryTimeout = 0,
  GetTimeout = 1,
  Frontier = 2,
  SlotStart = 3,
  TxGossip = 4,
  Loopback = 5,
  BuildRetry = 6,
}
const TAG_KINDS = 8;

const EMPTY_VOTES: ReadonlyMap<BlockId, number> = new Map();

/** Slots scanned ahead for this node's next proposer slot before re-arming a scan. */
const SLOT_SCAN_HORIZON = 1_024;
/** Walk limit for ancestor lookups (processing chains are far shorter). */
const MAX_WALK = 100_000;

interface BlockRequest {
  readonly from: NodeId;
  readonly blockId: BlockId;
  readonly timer: TimerHandle;
}

export interface NodeHealth {
  readonly healthy: boolean;
  readonly numProcessing: number;
  readonly oldestProcessingAgeUs: Micros;
}

export class SnowmanNode implements HostedNode<Message, ClientTx> {
  readonly view: NodeView;
  private readonly behaviour: Behaviour;
  private readonly observer: NodeObserver;

  // --- persisted across crashes (the accepted chain is on disk) ---
  /** accepted[h] is the accepted block at height h. */
  private readonly accepted: Block[];
  /** Id -> height of the accepted blocks getBlock serves (a window of the newest, and genesis); derived from `accepted`. */
  private readonly servable = new Map<BlockId, number>();
  /** Counters are persisted so ids stay unique after a restart. */
  private blockCounter = 0;
  private requestCounter = 0;

  // --- in memory; lost on crash ---
  private alive = false;
  private consensus!: SnowmanConsensus;
  private polls!: PollSet;
  private readonly mempool: Mempool;
  private readonly jobs = new JobScheduler();
  /** Non-accepted blocks this node holds: processing, pending, or unverified (abandoned). */
  private readonly known = new Map<BlockId, Block>();
  /** Blocks issued but waiting for their parent. */
  private readonly pending = new Set<BlockId>();
  /** When each processing block entered consensus (health, latency). */
  private readonly issuedAt = new Map<BlockId, Micros>();
  private readonly requests = new Map<RequestId, BlockRequest>();
  private readonly requestedBlocks = new Map<BlockId, RequestId>();
  private readonly queryTimers = new Map<RequestId, TimerHandle>();
  /** Last accepted block each peer reported in chits (AvalancheGo tracker.Accepted). */
  private readonly peerAccepted = new Map<NodeId, { id: BlockId; height: number }>();
  private readonly loopback: Message[] = [];
  private loopbackTimer: TimerHandle | undefined;
  private frontierTimer: TimerHandle | undefined;
  private slotTimer: TimerHandle | undefined;
  private buildRetryTimer: TimerHandle | undefined;
  private txGossipTimer: TimerHandle | undefined;
  private readonly txGossipQueue: TxId[] = [];
  /** Transactions clients submitted here and not yet accepted (for client-observed latency). */
  private readonly ownTxs = new Set<TxId>();
  /** The slot this node is currently proposer of, if any. */
  private proposingSlot: number | undefined;

  /** This node's uniform stream, as one reusable function (sampling calls it per draw). */
  private readonly random = (): number => this.host.random();

  constructor(
    private readonly host: Host<Message>,
    private readonly cfg: SnowmanNodeConfig,
  ) {
    validateNodeConfig(cfg);
    if (host.id < 0 || host.id >= cfg.validators.size) {
      throw new RangeError(`host.id must be a validator index in [0, ${cfg.validators.size}), got ${host.id}`);
    }
    this.behaviour = cfg.behaviour ?? HONEST;
    this.observer = cfg.observer ?? NO_OBSERVER;
    this.accepted = [cfg.genesis];
    this.servable.set(cfg.genesis.id, 0);
    this.mempool = new Mempool(cfg.options.mempool);
    this.view = this.makeView();
  }

  // ------------------------------------------------------------------ inputs

  onStart(): void {
    this.boot();
  }

  onRestart(): void {
    this.boot();
  }

  onCrash(): void {
    if (!this.alive) return;
    this.alive = false;
    for (const t of this.queryTimers.values()) this.host.cancelTimer(t);
    for (const r of this.requests.values()) this.host.cancelTimer(r.timer);
    for (const t of [this.loopbackTimer, this.frontierTimer, this.slotTimer, this.buildRetryTimer, this.txGossipTimer]) {
      if (t !== undefined) this.host.cancelTimer(t);
    }
    this.loopbackTimer = this.frontierTimer = this.slotTimer = this.buildRetryTimer = this.txGossipTimer = undefined;
    this.queryTimers.clear();
    this.requests.clear();
    this.requestedBlocks.clear();
    this.known.clear();
    this.pending.clear();
    this.issuedAt.clear();
    this.jobs.clear();
    this.peerAccepted.clear();
    this.loopback.length = 0;
    this.txGossipQueue.length = 0;
    this.ownTxs.clear();
    this.mempool.clear();
    this.proposingSlot = undefined;
  }

  onMessage(from: NodeId, msg: Message): void {
    if (!this.alive) return;
    if (this.cfg.options.chargeHandlingCpu) this.host.chargeCpu(this.cfg.messageModel.cpuCostUs(msg));
    switch (msg.kind) {
      case 'push-query':
        this.sendChits(from, msg.requestId, msg.requestedHeight, msg.block.id);
        this.issueFrom(from, msg.block);
        break;
      case 'pull-query':
        this.sendChits(from, msg.requestId, msg.requestedHeight, msg.blockId);
        this.issueFromById(from, msg.blockId);
        break;
      case 'chits':
        this.onChits(from, msg.requestId, msg.preferredId, msg.preferredIdAtHeight, msg.acceptedId, msg.acceptedHeight);
        break;
      case 'get': {
        const block = this.getBlock(msg.blockId);
        if (block !== undefined && this.behaviour.serveBlock(this.view, from, block)) {
          this.send(from, { kind: 'put', requestId: msg.requestId, block });
        }
        break;
      }
      case 'put':
        this.onPut(from, msg.requestId, msg.block);
        break;
      case 'tx-gossip':
        this.onTxGossip(msg.txs);
        break;
    }
  }

  onTimer(tag: number): void {
    if (!this.alive) return;
    const kind = tag % TAG_KINDS;
    const arg = (tag - kind) / TAG_KINDS;
    switch (kind) {
      case TimerKind.QueryTimeout:
        this.onQueryTimeout(arg);
        break;
      case TimerKind.GetTimeout: {
        const req = this.requests.get(arg);
        if (req !== undefined) {
          this.observer.onDrop?.('get-timeout', this.host.id, this.host.now());
          this.getFailed(req.from, arg);
        }
        break;
      }
      case TimerKind.Frontier:
        this.frontierTimer = this.setTimer(this.cfg.options.frontierPollIntervalUs, TimerKind.Frontier, 0);
        this.onFrontierPoll();
        break;
      case TimerKind.SlotStart:
        this.slotTimer = undefined;
        this.onSlotStart(arg);
        break;
      case TimerKind.TxGossip:
        this.txGossipTimer = undefined;
        this.flushTxGossip();
        break;
      case TimerKind.Loopback:
        this.loopbackTimer = undefined;
        this.drainLoopback();
        break;
      case TimerKind.BuildRetry:
        this.buildRetryTimer = undefined;
        this.tryBuild();
        break;
      default:
        throw new Error(`SnowmanNode: unknown timer kind ${kind} (tag ${tag})`);
    }
  }

  onClient(request: ClientTx): void {
    if (!this.alive) return;
    this.host.chargeCpu(this.cfg.messageModel.txVerifyCostUs(1));
    const now = this.host.now();
    const r = this.mempool.add(request.id);
    if (r === 'full') {
      this.observer.onDrop?.('mempool-full', this.host.id, now);
      return;
    }
    if (r !== 'added') return;
    this.observer.onTxSubmitted?.(request.id, this.host.id, now);
    if (this.ownTxs.size < this.cfg.options.mempool.maxTxs) this.ownTxs.add(request.id);
    this.queueTxGossip([request.id]);
    this.tryBuild();
  }

  /**
   * Before the first boot: resume from a persisted chain (a real node that
   * restarted reopens its store). `chain` is the accepted chain above
   * genesis, in height order; block and request counters continue from
   * `counters`, above anything an earlier incarnation may have used.
   */
  restore(chain: readonly Block[], counters: { readonly blocks: number; readonly requests: number }): void {
    if (this.alive || this.accepted.length !== 1) throw new Error(`SnowmanNode ${this.host.id}: restore only before the first boot`);
    for (const b of chain) {
      const last = this.lastAcceptedBlock();
      if (b.height !== this.accepted.length || b.parent !== last.id) {
        throw new RangeError(`SnowmanNode ${this.host.id}: restored block ${b.id} at height ${b.height} does not extend block ${last.id} at height ${last.height}`);
      }
      this.accepted.push(b);
      this.servable.set(b.id, b.height);
      const evicted = b.height - this.cfg.options.servableAcceptedDepth;
      if (evicted > 0) this.servable.delete(this.accepted[evicted]!.id);
    }
    this.blockCounter = Math.max(this.blockCounter, counters.blocks);
    this.requestCounter = Math.max(this.requestCounter, counters.requests);
  }

  // ------------------------------------------------------------ observation

  /** Accepted chain, genesis first (persisted state). */
  acceptedChain(): readonly Block[] {
    return this.accepted;
  }

  lastAcceptedBlock(): Block {
    return this.accepted[this.accepted.length - 1]!;
  }

  isAlive(): boolean {
    return this.alive;
  }

  numProcessing(): number {
    return this.alive ? this.consensus.numProcessing() : 0;
  }

  numOpenPolls(): number {
    return this.alive ? this.polls.size : 0;
  }

  mempoolSize(): number {
    return this.mempool.size;
  }

  /** AvalancheGo's health rule: processing count and oldest processing age within the limits. */
  health(): NodeHealth {
    const now = this.host.now();
    let oldest = 0;
    for (const t of this.issuedAt.values()) oldest = Math.max(oldest, now - t);
    const n = this.numProcessing();
    const p = this.cfg.params;
    return {
      healthy: n <= p.maxOutstandingItems && oldest <= p.maxItemProcessingTimeUs,
      numProcessing: n,
      oldestProcessingAgeUs: oldest,
    };
  }

  // ---------------------------------------------------------------- booting

  private boot(): void {
    if (this.alive) return;
    this.alive = true;
    this.consensus = this.cfg.createConsensus(this.lastAcceptedBlock());
    const p = this.cfg.params;
    this.polls = new PollSet({
      alphaPreference: p.alphaPreference,
      alphaConfidence: p.alphaConfidence,
      prefixVoteCounts: this.cfg.options.prefixVoteCounts,
      parentOf: (id) => this.votableParent(id),
    });
    this.frontierTimer = this.setTimer(this.cfg.options.frontierPollIntervalUs, TimerKind.Frontier, 0);
    this.armSlotScan(this.cfg.schedule.slotAt(this.host.now()));
  }

  // ---------------------------------------------------------------- queries

  private honestChits(requestedHeight: number): ChitsAnswer {
    const la = this.consensus.lastAccepted();
    return {
      kind: 'chits',
      preferredId: this.consensus.preference(),
      preferredIdAtHeight: this.preferenceAt(requestedHeight, la),
      acceptedId: la.id,
      acceptedHeight: la.height,
    };
  }

  /** The block this node prefers at `height` (accepted below the last accepted height). */
  private preferenceAt(height: number, la: { readonly id: BlockId; readonly height: number }): BlockId {
    if (height < la.height) return this.accepted[height]?.id ?? la.id;
    return this.consensus.preferenceAtHeight(height) ?? this.consensus.preference();
  }

  private sendChits(to: NodeId, requestId: RequestId, requestedHeight: number, queried: BlockId): void {
    if (this.behaviour === HONEST) {
      // The honest answer goes out as is: no ChitsAnswer record, no query context (one fewer allocation per query).
      const la = this.consensus.lastAccepted();
      this.send(to, {
        kind: 'chits',
        requestId,
        preferredId: this.consensus.preference(),
        preferredIdAtHeight: this.preferenceAt(requestedHeight, la),
        acceptedId: la.id,
        acceptedHeight: la.height,
      });
      return;
    }
    const honest = this.honestChits(requestedHeight);
    const answer = this.behaviour.answerQuery({ view: this.view, from: to, queried, requestedHeight, honest });
    if (answer.kind === 'silent') return;
    this.send(to, {
      kind: 'chits',
      requestId,
      preferredId: answer.preferredId,
      preferredIdAtHeight: answer.preferredIdAtHeight,
      acceptedId: answer.acceptedId,
      acceptedHeight: answer.acceptedHeight,
    });
  }

  /** Start a poll on `blockId` with a fresh K-sample (AvalancheGo sendQuery). */
  private sendQuery(blockId: BlockId, block: Block | undefined): void {
    const slots = this.cfg.validators.sample(this.random, this.cfg.params.k);
    const requestId = ++this.requestCounter;
    const now = this.host.now();
    if (!this.polls.add(requestId, slots, now)) {
      this.observer.onDrop?.('poll-refused', this.host.id, now);
      return;
    }
    this.queryTimers.set(requestId, this.setTimer(this.cfg.options.queryTimeoutUs, TimerKind.QueryTimeout, requestId));
    const requestedHeight = this.consensus.lastAccepted().height + 1;
    // One immutable message shared by every recipient; each distinct validator gets it once.
    const msg: Message =
      block !== undefined ? { kind: 'push-query', requestId, block, requestedHeight } : { kind: 'pull-query', requestId, blockId, requestedHeight };
    for (let i = 0; i < slots.length; i++) {
      const vdr = slots[i]!;
      if (slots.indexOf(vdr) < i) continue; // a validator filling several slots is queried once
      this.send(vdr, msg);
    }
  }

  /** Keep `concurrentRepolls` polls in flight (AvalancheGo repoll). */
  private repoll(): void {
    const pref = this.consensus.preference();
    for (let i = this.polls.size; i < this.cfg.params.concurrentRepolls; i++) this.sendQuery(pref, undefined);
  }

  private onFrontierPoll(): void {
    if (this.consensus.numProcessing() !== 0) {
      this.repoll();
      return;
    }
    const peer = this.cfg.validators.uniformPeers(this.random, 1, this.host.id)[0];
    if (peer === undefined) return;
    const requestedHeight = this.consensus.lastAccepted().height + 1;
    this.send(peer, { kind: 'pull-query', requestId: ++this.requestCounter, blockId: this.consensus.preference(), requestedHeight });
  }

  private onQueryTimeout(requestId: RequestId): void {
    this.queryTimers.delete(requestId);
    for (const vdr of this.polls.outstanding(requestId)) this.queryFailed(vdr, requestId);
  }

  /** AvalancheGo QueryFailed: answer for the silent validator with its last known accepted block, else drop. */
  private queryFailed(vdr: NodeId, requestId: RequestId): void {
    const acc = this.peerAccepted.get(vdr);
    if (acc !== undefined) {
      this.onChits(vdr, requestId, acc.id, acc.id, acc.id, acc.height);
      return;
    }
    this.applyResults(this.polls.drop(requestId, vdr));
  }

  private onChits(
    from: NodeId,
    requestId: RequestId,
    preferredId: BlockId,
    preferredIdAtHeight: BlockId,
    acceptedId: BlockId,
    acceptedHeight: number,
  ): void {
    const known = this.peerAccepted.get(from);
    if (known === undefined) this.peerAccepted.set(from, { id: acceptedId, height: acceptedHeight });
    else if (known.id !== acceptedId || known.height !== acceptedHeight) {
      known.id = acceptedId;
      known.height = acceptedHeight;
    }
    this.issueFromById(from, preferredId);
    // The second option (the preference at the queried height) only when it differs.
    const second = preferredId !== preferredIdAtHeight ? preferredIdAtHeight : undefined;
    if (second !== undefined) this.issueFromById(from, second);
    // As AvalancheGo Chits: both dependencies are read after both blocks were issued.
    const waitSecond = second !== undefined && this.canDependOn(second);
    const waitFirst = this.canDependOn(preferredId);
    if (!waitFirst && !waitSecond) {
      // Nothing to wait for: vote now (what the scheduler does with no deps, minus the closure).
      this.castVote(from, requestId, preferredId, second);
      return;
    }
    const deps: BlockId[] = [];
    if (waitFirst) deps.push(preferredId);
    if (waitSecond) deps.push(second);
    const epoch = this.consensus;
    this.jobs.schedule(
      {
        run: () => {
          // A crash in between discards the job (the scheduler is cleared too).
          if (!this.alive || this.consensus !== epoch) return;
          this.castVote(from, requestId, preferredId, second);
        },
      },
      deps,
    );
  }

  /** AvalancheGo voter.Execute: vote for the first option with a processing ancestor, else drop. */
  private castVote(from: NodeId, requestId: RequestId, first: BlockId, second: BlockId | undefined): void {
    let target = this.processingAncestor(first);
    if (target === undefined && second !== undefined) target = this.processingAncestor(second);
    if (target !== undefined) this.applyResults(this.polls.vote(requestId, from, target));
    else this.applyResults(this.polls.drop(requestId, from));
  }

  private applyResults(results: readonly FinishedPoll[]): void {
    if (results.length === 0) return;
    const now = this.host.now();
    const alphaPreference = this.cfg.params.alphaPreference;
    for (const r of results) {
      const t = this.queryTimers.get(r.requestId);
      if (t !== undefined) {
        this.host.cancelTimer(t);
        this.queryTimers.delete(r.requestId);
      }
      // Older results applied just before may have decided some voted blocks.
      const { votes, maxTransitive } = this.votableResult(r.votes);
      const decisions = this.consensus.recordPoll(votes);
      for (const b of decisions.accepted) this.onAccepted(b, now);
      for (const b of decisions.rejected) this.onRejected(b, now);
      this.observer.onPollFinished?.(
        {
          requestId: r.requestId,
          successful: maxTransitive >= alphaPreference,
          reason: r.reason,
          sampleSize: r.sampleSize,
          receivedSlots: r.receivedSlots,
          maxVotes: maxTransitive,
          durationUs: now - r.startedAt,
          accepted: decisions.accepted.length,
        },
        this.host.id,
        now,
      );
      if (decisions.accepted.length > 0 || decisions.rejected.length > 0) this.pruneDecided();
    }
    if (this.consensus.numProcessing() > 0) this.repoll();
    this.tryBuild();
  }

  /**
   * A finished poll's votes restricted to still-processing blocks, and the
   * votes of the best-supported processing block. One voted block (the usual
   * case) needs no vote graph: a processing block has a parent in the graph,
   * so it is not a root and its transitive count is its own votes.
   */
  private votableResult(all: ReadonlyMap<BlockId, number>): { votes: ReadonlyMap<BlockId, number>; maxTransitive: number } {
    if (all.size === 1) {
      for (const [id, n] of all) {
        return this.consensus.processing(id) ? { votes: all, maxTransitive: n } : { votes: EMPTY_VOTES, maxTransitive: 0 };
      }
    }
    const votes = new Map<BlockId, number>();
    for (const [id, n] of all) if (this.consensus.processing(id)) votes.set(id, n);
    const { maxTransitive } = voteCounts(votes, (id) => this.votableParent(id), false);
    return { votes, maxTransitive };
  }

  private onAccepted(b: Block, now: Micros): void {
    if (b.height !== this.accepted.length) {
      throw new Error(`SnowmanNode ${this.host.id}: accepted block ${b.id} at height ${b.height}, expected ${this.accepted.length}`);
    }
    this.accepted.push(b);
    this.servable.set(b.id, b.height);
    const evicted = b.height - this.cfg.options.servableAcceptedDepth;
    if (evicted > 0) this.servable.delete(this.accepted[evicted]!.id);
    this.known.delete(b.id);
    this.issuedAt.delete(b.id);
    this.mempool.markAccepted(b.txs);
    this.observer.onAccept?.(b, this.host.id, now);
    if (this.ownTxs.size > 0) {
      for (const tx of b.txs) {
        if (this.ownTxs.delete(tx)) this.observer.onTxAccepted?.(tx, this.host.id, now);
      }
    }
  }

  private onRejected(b: Block, now: Micros): void {
    this.known.delete(b.id);
    this.issuedAt.delete(b.id);
    this.observer.onReject?.(b, this.host.id, now);
  }

  /** Forget held blocks that can no longer be issued (decided by height or by a rejected parent). */
  private pruneDecided(): void {
    for (const [id, b] of this.known) {
      if (this.pending.has(id) || this.consensus.processing(id)) continue;
      if (this.isDecided(b)) this.known.delete(id);
    }
  }

  // ----------------------------------------------------------- block issue

  private getBlock(id: BlockId): Block | undefined {
    const b = this.known.get(id);
    if (b !== undefined) return b;
    // Servable accepted blocks: the newest servableAcceptedDepth, and genesis.
    const h = this.servable.get(id);
    return h === undefined ? undefined : this.accepted[h];
  }

  private isDecided(b: Block): boolean {
    const la = this.consensus.lastAccepted();
    if (b.height <= la.height) return true;
    return b.height === la.height + 1 && b.parent !== la.id;
  }

  private shouldIssue(b: Block): boolean {
    return !this.isDecided(b) && !this.pending.has(b.id) && !this.consensus.processing(b.id);
  }

  private canDependOn(id: BlockId): boolean {
    return this.pending.has(id) || this.requestedBlocks.has(id);
  }

  private canIssueChildOn(parent: BlockId): boolean {
    return parent === this.consensus.lastAccepted().id || this.consensus.processing(parent);
  }

  /** Parent used by vote graphs: defined for processing blocks only. */
  private votableParent(id: BlockId): BlockId | undefined {
    return this.consensus.processing(id) ? this.consensus.parentOf(id) : undefined;
  }

  /**
   * Nearest processing block at or above `id`, walking through blocks held but
   * not issued (AvalancheGo getProcessingAncestor over its unverified tree).
   */
  private processingAncestor(id: BlockId): BlockId | undefined {
    let cur = id;
    for (let i = 0; i < MAX_WALK; i++) {
      if (this.consensus.processing(cur)) return cur;
      if (this.pending.has(cur)) return undefined;
      const b = this.known.get(cur);
      if (b === undefined || this.isDecided(b)) return undefined;
      cur = b.parent;
    }
    return undefined;
  }

  private issueFromById(from: NodeId, id: BlockId): void {
    const b = this.getBlock(id);
    if (b === undefined) this.sendRequest(from, id);
    else this.issueFrom(from, b);
  }

  /** Issue `block` and whichever of its ancestors are missing (AvalancheGo issueFrom). */
  private issueFrom(from: NodeId, block: Block, push = false): void {
    let b = block;
    for (let i = 0; i < MAX_WALK && this.shouldIssue(b); i++) {
      if (!this.issue(from, b, push)) return;
      const parent = this.getBlock(b.parent);
      if (parent === undefined) {
        this.sendRequest(from, b.parent);
        return;
      }
      b = parent;
      push = false;
    }
    this.deleteRequestFor(b.id);
    if (!this.pending.has(b.id)) this.jobs.abandon(b.id);
  }

  /** Mark pending and schedule delivery once the parent is issued. False if refused (limit). */
  private issue(from: NodeId, b: Block, push: boolean): boolean {
    if (this.pending.size + this.requests.size >= this.cfg.params.maxOutstandingItems) {
      this.observer.onDrop?.('pending-full', this.host.id, this.host.now());
      this.jobs.abandon(b.id);
      return false;
    }
    this.pending.add(b.id);
    this.known.set(b.id, b);
    this.deleteRequestFor(b.id);
    const deps = this.canIssueChildOn(b.parent) ? [] : [b.parent];
    const epoch = this.consensus;
    this.jobs.schedule(
      {
        run: (abandoned) => {
          if (!this.alive || this.consensus !== epoch) return;
          if (abandoned) {
            this.pending.delete(b.id);
            this.markAsUnverified(b);
            this.jobs.abandon(b.id);
          } else {
            this.deliver(from, b, push);
          }
        },
      },
      deps,
    );
    return true;
  }

  private deliver(_from: NodeId, b: Block, push: boolean): void {
    this.pending.delete(b.id);
    if (!this.canIssueChildOn(b.parent) || this.consensus.processing(b.id)) {
      this.jobs.abandon(b.id);
      return;
    }
    this.host.chargeCpu(this.cfg.messageModel.blockVerifyCostUs(b));
    this.consensus.add(b);
    const now = this.host.now();
    this.issuedAt.set(b.id, now);
    this.observer.onBlockIssued?.(b, this.host.id, now);
    if (this.consensus.isPreferred(b.id)) this.sendQuery(b.id, push ? b : undefined);
    this.jobs.fulfill(b.id);
    if (this.consensus.numProcessing() > 0) this.repoll();
  }

  /** Keep an abandoned block for vote bubbling if it hangs off the processing tree (markAsUnverified). */
  private markAsUnverified(b: Block): void {
    if (this.consensus.processing(b.id)) return;
    const p = b.parent;
    const parentUnverified = this.known.has(p) && !this.pending.has(p) && !this.consensus.processing(p);
    if (!(parentUnverified || this.consensus.processing(p))) this.known.delete(b.id);
  }

  private sendRequest(from: NodeId, id: BlockId): void {
    if (this.requestedBlocks.has(id)) return;
    if (from === this.host.id) return; // nobody to ask
    if (this.pending.size + this.requests.size >= this.cfg.params.maxOutstandingItems) {
      this.observer.onDrop?.('pending-full', this.host.id, this.host.now());
      return;
    }
    const requestId = ++this.requestCounter;
    const timer = this.setTimer(this.cfg.options.getTimeoutUs, TimerKind.GetTimeout, requestId);
    this.requests.set(requestId, { from, blockId: id, timer });
    this.requestedBlocks.set(id, requestId);
    this.send(from, { kind: 'get', requestId, blockId: id });
  }

  private deleteRequestFor(id: BlockId): void {
    const requestId = this.requestedBlocks.get(id);
    if (requestId === undefined) return;
    this.requestedBlocks.delete(id);
    const req = this.requests.get(requestId);
    if (req !== undefined) {
      this.host.cancelTimer(req.timer);
      this.requests.delete(requestId);
    }
  }

  private onPut(from: NodeId, requestId: RequestId, block: Block): void {
    const req = this.requests.get(requestId);
    if (req !== undefined && req.from === from && req.blockId !== block.id) {
      this.getFailed(from, requestId);
      return;
    }
    this.issueFrom(from, block);
  }

  private getFailed(from: NodeId, requestId: RequestId): void {
    const req = this.requests.get(requestId);
    if (req === undefined || req.from !== from) return;
    this.host.cancelTimer(req.timer);
    this.requests.delete(requestId);
    this.requestedBlocks.delete(req.blockId);
    this.jobs.abandon(req.blockId);
  }

  // --------------------------------------------------------- transactions

  private onTxGossip(txs: readonly TxId[]): void {
    if (this.behaviour === HONEST) {
      this.onTxGossipHonest(txs);
      return;
    }
    const fresh: TxId[] = [];
    const now = this.host.now();
    for (const tx of txs) {
      const r = this.mempool.add(tx);
      if (r === 'added') fresh.push(tx);
      else if (r === 'full') this.observer.onDrop?.('mempool-full', this.host.id, now);
    }
    if (fresh.length === 0) return;
    this.host.chargeCpu(this.cfg.messageModel.txVerifyCostUs(fresh.length));
    this.queueTxGossip(fresh);
    this.tryBuild();
  }

  /**
   * onTxGossip for the honest behaviour, which relays every new tx: fresh txs
   * go straight to the gossip queue instead of through a per-message array
   * (most gossip messages bring nothing new). Same effects in the same order:
   * the queue is not read before the timer is armed, after the CPU charge.
   */
  private onTxGossipHonest(txs: readonly TxId[]): void {
    const o = this.cfg.options;
    const relay = o.txGossipFanout !== 0;
    const queue = this.txGossipQueue;
    const cap = o.maxTxGossipBatch * 64;
    let fresh = 0;
    for (let i = 0; i < txs.length; i++) {
      const tx = txs[i]!;
      const r = this.mempool.add(tx);
      if (r === 'added') {
        fresh++;
        if (relay && queue.length < cap) queue.push(tx);
      } else if (r === 'full') this.observer.onDrop?.('mempool-full', this.host.id, this.host.now());
    }
    if (fresh === 0) return;
    this.host.chargeCpu(this.cfg.messageModel.txVerifyCostUs(fresh));
    if (relay && this.txGossipTimer === undefined && queue.length > 0) {
      this.txGossipTimer = this.setTimer(o.txGossipIntervalUs, TimerKind.TxGossip, 0);
    }
    this.tryBuild();
  }

  private queueTxGossip(txs: readonly TxId[]): void {
    const o = this.cfg.options;
    if (o.txGossipFanout === 0 || !this.behaviour.relayTxs(this.view, txs)) return;
    // Bounded backlog: beyond 64 batches, new txs are not relayed (pull-free push gossip is best effort).
    const cap = o.maxTxGossipBatch * 64;
    for (const tx of txs) if (this.txGossipQueue.length < cap) this.txGossipQueue.push(tx);
    if (this.txGossipTimer === undefined && this.txGossipQueue.length > 0) {
      this.txGossipTimer = this.setTimer(o.txGossipIntervalUs, TimerKind.TxGossip, 0);
    }
  }

  private flushTxGossip(): void {
    const o = this.cfg.options;
    const batch = this.txGossipQueue.splice(0, o.maxTxGossipBatch);
    if (batch.length > 0) {
      for (const peer of this.cfg.validators.uniformPeers(this.random, o.txGossipFanout, this.host.id)) {
        this.send(peer, { kind: 'tx-gossip', txs: batch });
      }
    }
    if (this.txGossipQueue.length > 0) this.txGossipTimer = this.setTimer(o.txGossipIntervalUs, TimerKind.TxGossip, 0);
  }

  // ------------------------------------------------------- block building

  /** Arm a timer at the start of this node's next proposer slot at or after `from`. */
  private armSlotScan(from: number): void {
    const s = this.cfg.schedule;
    const mine = s.nextSlotOf(this.host.id, from, SLOT_SCAN_HORIZON);
    const target = mine ?? from + SLOT_SCAN_HORIZON; // re-scan from there
    const delay = Math.max(0, s.slotStart(target) - this.host.now());
    if (this.slotTimer !== undefined) this.host.cancelTimer(this.slotTimer);
    this.slotTimer = this.setTimer(delay, TimerKind.SlotStart, target);
  }

  private onSlotStart(slot: number): void {
    const s = this.cfg.schedule;
    if (s.proposerOf(slot) === this.host.id) {
      this.proposingSlot = slot;
      this.tryBuild();
      this.armSlotScan(slot + 1);
    } else {
      this.armSlotScan(slot);
    }
  }

  private inOwnSlot(): boolean {
    return this.proposingSlot !== undefined && this.cfg.schedule.slotAt(this.host.now()) === this.proposingSlot;
  }

  /** Txs of the processing blocks from `tip` down to the last accepted block. */
  private txsInProcessingChain(tip: BlockId): Set<TxId> {
    const out = new Set<TxId>();
    let cur = tip;
    for (let i = 0; i < MAX_WALK && this.consensus.processing(cur); i++) {
      const b = this.known.get(cur);
      if (b === undefined) break;
      for (const tx of b.txs) out.add(tx);
      cur = b.parent;
    }
    return out;
  }

  /**
   * Build on the preferred tip if this node is the slot's proposer, fewer than
   * optimalProcessing blocks are processing, the parent is old enough and the
   * mempool offers something. Called on slot start, tx arrival, decisions.
   */
  private tryBuild(): void {
    if (!this.alive || !this.inOwnSlot() || this.buildRetryTimer !== undefined) return;
    if (this.consensus.numProcessing() >= this.cfg.params.optimalProcessing) return;
    const parent = this.getBlock(this.consensus.preference());
    if (parent === undefined) return;
    const now = this.host.now();
    const earliest = parent.builtAt + this.cfg.options.minBlockDelayUs;
    if (now < earliest) {
      this.buildRetryTimer = this.setTimer(earliest - now, TimerKind.BuildRetry, 0);
      return;
    }
    const txs = this.mempool.select(this.cfg.options.maxBlockTxs, this.txsInProcessingChain(parent.id));
    if (txs.length === 0) return;
    const proposal: Proposal = this.behaviour.propose({
      view: this.view,
      parent,
      txs,
      buildBlock: (p, t) => this.mintBlock(p, t),
    });
    switch (proposal.kind) {
      case 'none':
        break;
      case 'honest':
        this.issueOwnBlock(proposal.block);
        break;
      case 'custom':
        for (const { block, to } of proposal.pushes) {
          const requestedHeight = this.consensus.lastAccepted().height + 1;
          for (const peer of to) this.send(peer, { kind: 'push-query', requestId: ++this.requestCounter, block, requestedHeight });
        }
        if (proposal.issueLocally !== undefined) this.issueOwnBlock(proposal.issueLocally);
        break;
    }
    // At most one proposal per call; look again after the minimum delay.
    if (this.buildRetryTimer === undefined) {
      this.buildRetryTimer = this.setTimer(Math.max(1, this.cfg.options.minBlockDelayUs), TimerKind.BuildRetry, 0);
    }
  }

  private mintBlock(parent: Block, txs: readonly TxId[]): Block {
    const model = this.cfg.messageModel;
    if (this.blockCounter >= 2 ** 32 - 1) throw new RangeError(`node ${this.host.id}: block counter exhausted`);
    const block: Block = {
      id: blockIdOf(this.host.id, ++this.blockCounter),
      parent: parent.id,
      height: parent.height + 1,
      proposer: this.host.id,
      txs: [...txs],
      sizeBytes: model.blockSizeBytes(txs.length),
      builtAt: this.host.now(),
    };
    this.host.chargeCpu(model.buildCostUs(txs.length));
    return block;
  }

  private issueOwnBlock(block: Block): void {
    this.observer.onBlockBuilt?.(block, this.host.id, this.host.now());
    this.issueFrom(this.host.id, block, true);
    const fanout = this.cfg.options.blockGossipFanout;
    if (fanout > 0) {
      for (const peer of this.cfg.validators.uniformPeers(this.random, fanout, this.host.id)) {
        this.send(peer, { kind: 'put', requestId: 0, block });
      }
    }
  }

  // ------------------------------------------------------------- plumbing

  private setTimer(delay: Micros, kind: TimerKind, arg: number): TimerHandle {
    return this.host.setTimer(delay, arg * TAG_KINDS + kind);
  }

  /** Messages to self go through a zero-delay timer, like AvalancheGo's asynchronous loopback. */
  private send(to: NodeId, msg: Message): void {
    if (to !== this.host.id) {
      this.host.send(to, msg);
      return;
    }
    this.loopback.push(msg);
    if (this.loopbackTimer === undefined) this.loopbackTimer = this.setTimer(0, TimerKind.Loopback, 0);
  }

  private drainLoopback(): void {
    // Bounded: only what was queued before this drain; new self-messages wait for the next timer.
    const batch = this.loopback.splice(0, this.loopback.length);
    for (const m of batch) {
      if (!this.alive) return;
      this.onMessage(this.host.id, m);
    }
  }

  private makeView(): NodeView {
    return {
      id: this.host.id,
      validators: this.cfg.validators,
      now: () => this.host.now(),
      preference: () => this.consensus.preference(),
      preferenceAtHeight: (h) => this.consensus.preferenceAtHeight(h),
      lastAccepted: () => this.consensus.lastAccepted(),
      block: (id) => this.getBlock(id),
      numProcessing: () => this.numProcessing(),
    };
  }
}

/** Re-exported for callers that only need the drop reasons. */
export type { DropReason };
