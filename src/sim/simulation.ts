/**
 * The discrete-event engine. It implements the sans-I/O Host for every node
 * (src/consensus/host.ts) with virtual time, the simulated network
 * (network.ts), the CPU model (cpu.ts) and faults, and drives a HostedNode
 * per node.
 *
 * Event kinds, in their tie-break order at equal time:
 *   FAULT < ARRIVE < CLIENT < PROCESS < TIMER
 * This order also guarantees that no handler can schedule an event that sorts
 * before the one being processed (zero-delay timers from a client handler,
 * zero-cost processing after an arrival, ...): time never goes backwards.
 *
 * A message's life: send (sender side: uplink, partition, loss, latency,
 * all from the sender's own stream) -> ARRIVE at the receiver (downlink,
 * CPU queue) -> PROCESS (CPU service done, onMessage runs). The cut between
 * sender and receiver is the ARRIVE event, which is what a sharded run splits.
 *
 * Per-source sequence numbers: events a node creates (sends, timers, its own
 * CPU completions) use that node's counter; client requests use a counter per
 * destination node; faults use the run's counter. All are layout-independent.
 *
 * Sharded runs (config.shard): the engine instantiates only the nodes its
 * shard owns. A send to another shard's node does all its sender-side work
 * here (uplink, loss, latency, sequence number) and then goes to the outbox
 * for that shard instead of the queue; the other shard's engine takes it in
 * with `deliverRemote`, with the very key it would have had. Run-level events
 * (faults with no node) are replayed in every shard so that each sees the
 * same network state, but only shard 0 counts and hashes them.
 */
import type { Host, HostedNode } from '../consensus/host.js';
import { CpuModel } from './cpu.js';
import { EventQueue } from './event-queue.js';
import { MAX_NODES, RUN_SOURCE_ID, packTie, tieDst, tieKind, tieSrc } from './event-order.js';
import { faultNode, validateFault } from './faults.js';
import { TraceHasher, type TraceLanes } from './hash.js';
import { DROP_PARTITION, networkForRun, type Network } from './network.js';
import { FLAG_CANCELLED, FLAG_TIMER, MAX_SLOTS, SlotPool } from './pool.js';
import { createStream, type RandomStream } from './rng.js';
import type { Micros } from './time.js';
import type { TraceEventKind, TraceOutcome, TraceSink } from './trace.js';
import type {
  ClientSource,
  Fault,
  LimitKind,
  MessageModel,
  NetworkCounters,
  NodeStats,
  OutboxBatch,
  RunOutcome,
  RunResult,
  RunStatus,
  ShardConfig,
  SimConfig,
} from './types.js';

export const K_FAULT = 0;
export const K_ARRIVE = 1;
export const K_CLIENT = 2;
export const K_PROCESS = 3;
export const K_TIMER = 4;
const KIND_NAMES: readonly TraceEventKind[] = ['fault', 'arrive', 'client', 'process', 'timer'];

/** Outcome codes folded into the trace hash (stable: changing them changes every hash). */
const O_OK = 0;
const O_DROPPED = 1;
const O_STALE = 2;
const O_CANCELLED = 3;
const O_DEFERRED = 4;
const O_IGNORED = 5;
const OUTCOME_NAMES: readonly TraceOutcome[] = ['ok', 'dropped-crashed', 'stale', 'cancelled', 'deferred', 'ignored'];

/** Largest allowed maxPendingEvents: every pending event holds one pooled slot. */
export const MAX_PENDING_LIMIT = MAX_SLOTS / 2;

export type NodeFactory<M, C> = (host: Host<M>) => HostedNode<M, C>;

/** Stands in for nodes of other shards; never driven. */
const REMOTE_NODE: HostedNode<never, never> = Object.freeze({
  onStart: remoteNode,
  onMessage: remoteNode,
  onTimer: remoteNode,
  onClient: remoteNode,
  onCrash: remoteNode,
  onRestart: remoteNode,
});
function remoteNode(): never {
  throw new Error('engine: a node of another shard was driven here (shard layout bug)');
}
/** Stands in for the random streams of other shards' nodes; never drawn. */
const REMOTE_STREAM: RandomStream = Object.freeze({ next: remoteNode, int: remoteNode });

/** Most shards of one run (shard ids are bytes). */
export const MAX_SHARDS = 255;

/** A SimConfig field the engine cannot run with: `field` names it (as SimConfig spells it), `rule` says what it must be. */
export class EngineConfigError extends RangeError {
  override readonly name = 'EngineConfigError';
  constructor(
    readonly field: string,
    readonly rule: string,
    readonly got: unknown,
  ) {
    super(`${field}: ${rule}, got ${JSON.stringify(got)}`);
  }
}

function need(cond: boolean, field: string, rule: string, got: unknown): void {
  if (!cond) throw new EngineConfigError(field, rule, got);
}

function isCount(v: number, min: number): boolean {
  return Number.isSafeInteger(v) && v >= min;
}

export class Simulation<M, C> {
  private readonly nodeCount: number;
  private readonly durationUs: Micros;
  private readonly maxEvents: number;
  private readonly maxSimTimeUs: Micros;
  private readonly queueCapacity: number;
  private readonly trace: TraceSink | undefined;
  private readonly queue: EventQueue;
  private readonly pool = new SlotPool(4096);
  private readonly net: Network;
  private readonly cpu: CpuModel;
  private readonly hasher: TraceHasher;
  private readonly netRng: RandomStream[] = [];
  private readonly consensusRng: RandomStream[] = [];
  private readonly nodes: HostedNode<M, C>[] = [];
  /** Next sequence number of events created by each node. */
  private readonly seqOf: Float64Array;
  /** Next sequence number of client requests to each node. */
  private readonly clientSeq: Float64Array;
  private faultSeq = 0;
  private readonly crashed: Uint8Array;
  /**
   * Each node's scheduled crash (true) and restart (false) times, in time
   * order: what a node's Host.isConnected reads. Every shard schedules every
   * fault, so this is the same in any layout (a remote node's `crashed` is
   * not known here); a fault counts from its time on.
   */
  private readonly downChanges: Array<Array<{ readonly at: Micros; readonly down: boolean }>> = [];
  /**
   * Every node's scheduled crash and restart times, sorted, and how many of
   * them are at or before now: with the network's partition-rule version, the
   * Host.connectivityVersion every node reads (isConnected answers the same
   * while neither moves).
   */
  private readonly downTimes: Micros[] = [];
  private downTimesPassed = 0;
  private readonly epoch: Uint32Array;
  private readonly sources: ClientSource<C>[] = [];
  private readonly sourceNode: number[] = [];
  /** Sharded runs: node -> shard, this shard, outboxes per shard (undefined for a whole run). */
  private readonly ownerOf: Uint8Array | undefined;
  private readonly self: number;
  private readonly outbox: OutboxBatch<M>[] = [];
  /** Whether run-level events count and hash here (always, except in shards other than 0). */
  private readonly ownsRunLane: boolean;
  private lastEventUs: Micros = 0;
  /** The node whose onStart is running, else -1. */
  private booting = -1;

  private now: Micros = 0;
  private events = 0;
  /** CPU charged by the handler now running; its sends leave after that work. */
  private handlerCharge: Micros = 0;
  private started = false;
  private finished: RunOutcome | undefined;
  private limitHit: { limit: LimitKind; detail: string } | undefined;
  private stopRequested = false;

  private readonly stats: NodeStats;
  private readonly counters: NetworkCounters = { droppedLoss: 0, droppedPartition: 0, droppedCrashed: 0, duplicated: 0 };

  constructor(config: SimConfig, private readonly model: MessageModel<M>, factory: NodeFactory<M, C>) {
    need(Number.isSafeInteger(config.seed), 'seed', 'must be a safe integer', config.seed);
    need(isCount(config.nodeCount, 1) && config.nodeCount <= MAX_NODES, 'nodeCount', `must be an integer in [1, ${MAX_NODES}]`, config.nodeCount);
    need(isCount(config.durationUs, 0), 'durationUs', 'must be an integer number of µs >= 0', config.durationUs);
    const lim = config.limits;
    need(isCount(lim.maxEvents, 1), 'limits.maxEvents', 'must be an integer >= 1', lim.maxEvents);
    need(
      isCount(lim.maxPendingEvents, 1) && lim.maxPendingEvents <= MAX_PENDING_LIMIT,
      'limits.maxPendingEvents',
      `must be an integer in [1, ${MAX_PENDING_LIMIT}]`,
      lim.maxPendingEvents,
    );
    need(isCount(lim.nodeQueueCapacity, 1), 'limits.nodeQueueCapacity', 'must be an integer >= 1', lim.nodeQueueCapacity);
    if (lim.maxSimTimeUs !== undefined) {
      need(isCount(lim.maxSimTimeUs, 0), 'limits.maxSimTimeUs', 'must be an integer number of µs >= 0', lim.maxSimTimeUs);
    }
    const n = config.nodeCount;
    if (config.shard !== undefined) checkShard(config.shard, n);
    this.ownerOf = config.shard?.ownerOf;
    this.self = config.shard?.self ?? 0;
    this.ownsRunLane = this.self === 0;
    for (let s = 0; s < (config.shard?.shards ?? 0); s++) this.outbox.push(emptyBatch());
    this.nodeCount = n;
    this.durationUs = config.durationUs;
    this.maxEvents = lim.maxEvents;
    this.maxSimTimeUs = lim.maxSimTimeUs ?? Infinity;
    this.queueCapacity = lim.nodeQueueCapacity;
    this.trace = config.trace;
    this.queue = new EventQueue({ maxPending: lim.maxPendingEvents, initialCapacity: 4096 });
    this.net = networkForRun(config.network, n, config.seed);
    this.cpu = new CpuModel(n, this.pool);
    this.hasher = new TraceHasher(n + 1);
    this.seqOf = new Float64Array(n);
    this.clientSeq = new Float64Array(n);
    this.crashed = new Uint8Array(n);
    for (let id = 0; id < n; id++) this.downChanges.push([]);
    this.epoch = new Uint32Array(n);
    this.stats = {
      messagesSent: new Float64Array(n),
      bytesSent: new Float64Array(n),
      messagesReceived: new Float64Array(n),
      bytesReceived: new Float64Array(n),
      processed: this.cpu.processed,
      cpuBusyUs: this.cpu.busyUs,
      queueDelayUsSum: this.cpu.queueDelayUsSum,
      maxQueueLength: this.cpu.maxQueueLength,
      timersFired: new Float64Array(n),
      clientRequests: new Float64Array(n),
      clientDropped: new Float64Array(n),
    };
    for (let id = 0; id < n; id++) {
      const local = this.isLocal(id);
      this.netRng.push(local ? createStream(config.seed, id, 'network') : REMOTE_STREAM);
      this.consensusRng.push(local ? createStream(config.seed, id, 'consensus') : REMOTE_STREAM);
    }
    for (let id = 0; id < n; id++) this.nodes.push(this.isLocal(id) ? factory(this.makeHost(id)) : (REMOTE_NODE as HostedNode<M, C>));
  }

  /** Whether this engine holds node `n` (always, unless sharded). */
  isLocal(n: number): boolean {
    return this.ownerOf === undefined || this.ownerOf[n] === this.self;
  }

  /**
   * Key (timeUs, eventTie, eventSeq) of the event being processed, for
   * observers that merge the shards of a run back into serial order. While
   * the nodes boot (before any event) it is (0, -1, node id), which sorts
   * before every event and in node order.
   */
  get eventTie(): number {
    return this.booting >= 0 ? -1 : this.queue.lastTie;
  }
  get eventSeq(): number {
    return this.booting >= 0 ? this.booting : this.queue.lastSeq;
  }

  /** Events processed so far (readable while the run is in progress). */
  get eventCount(): number {
    return this.events;
  }

  /** Time of the last processed event (0 before any). */
  get lastEventTimeUs(): Micros {
    return this.lastEventUs;
  }

  /** Pending events in the queue (messages in outboxes not included). */
  get pendingEvents(): number {
    return this.queue.size;
  }

  /**
   * Sharded runs: takes the messages sent to shard `peer` since the last call,
   * in send order. Every one arrives at or after (send time + minLatencyUs).
   */
  takeOutbox(peer: number): OutboxBatch<M> {
    const b = this.outbox[peer];
    if (b === undefined) throw new RangeError(`takeOutbox.peer: must be a shard index in [0, ${this.outbox.length}), got ${peer}`);
    this.outbox[peer] = emptyBatch();
    return b;
  }

  /**
   * Sharded runs: a message from another shard arrives (its ARRIVE event, with
   * the key its sender gave it). It must not be in this engine's past.
   */
  deliverRemote(time: Micros, tie: number, seq: number, sizeBytes: number, msg: M): void {
    const dst = tieDst(tie);
    if (tieKind(tie) !== K_ARRIVE || dst >= this.nodeCount || !this.isLocal(dst)) {
      throw new RangeError(`deliverRemote: tie ${tie} is not an arrival at a node of shard ${this.self}`);
    }
    if (time <= this.now && this.started) {
      throw new RangeError(`deliverRemote: arrival at ${time} µs is not after this shard's time ${this.now} µs (lookahead violated)`);
    }
    this.pushTie(time, tie, seq, this.messageSlot(msg, tieSrc(tie), sizeBytes));
  }

  /** The trace-hash lanes (a sharded run folds the lanes of all shards). */
  traceLanes(): TraceLanes {
    return this.hasher.exportLanes();
  }

  /**
   * Ends the run from outside at `endTimeUs` (a sharded run's coordinator:
   * another shard hit a limit, or every shard drained).
   */
  end(outcome: RunOutcome, endTimeUs: Micros): RunOutcome {
    if (this.finished !== undefined) return this.finished;
    this.now = endTimeUs;
    return this.finish(outcome);
  }

  /** Lookahead bound of this network: no message arrives sooner than this after being sent. */
  get minLatencyUs(): Micros {
    return this.net.minLatencyUs;
  }

  /** Region of each node (region latency profiles; empty otherwise). */
  get regionOf(): Uint8Array {
    return this.net.latency.regionOf;
  }

  get timeUs(): Micros {
    return this.now;
  }

  /** Registers a pull-based client workload for a node. Before the run starts only. */
  addClientSource(node: number, source: ClientSource<C>): void {
    need(!this.started, 'addClientSource', 'must be called before the run starts', node);
    need(Number.isInteger(node) && node >= 0 && node < this.nodeCount, 'addClientSource.node', `must be a node id in [0, ${this.nodeCount})`, node);
    need(this.isLocal(node), 'addClientSource.node', `must be a node of this shard (${this.self})`, node);
    this.sources.push(source);
    this.sourceNode.push(node);
  }

  /** Schedules a fault at an absolute time (not before the current time). */
  scheduleFault(atUs: Micros, fault: Fault): void {
    need(isCount(atUs, this.started ? this.now : 0), 'scheduleFault.atUs', `must be an integer number of µs >= ${this.now}`, atUs);
    validateFault(fault, this.nodeCount);
    const node = faultNode(fault);
    if (fault.kind === 'crash' || fault.kind === 'restart') {
      const changes = this.downChanges[node]!;
      let i = changes.length;
      while (i > 0 && changes[i - 1]!.at > atUs) i--;
      changes.splice(i, 0, { at: atUs, down: fault.kind === 'crash' });
      const times = this.downTimes;
      let j = times.length;
      while (j > 0 && times[j - 1]! > atUs) j--;
      times.splice(j, 0, atUs);
      // One at or before now already counts (scheduledDown reads it): it is passed at once.
      if (atUs <= this.now && j <= this.downTimesPassed) this.downTimesPassed++;
    }
    if (node >= 0 && !this.isLocal(node)) {
      // Another shard applies it; the run-wide fault counter still advances, so sequence numbers match.
      this.faultSeq++;
      return;
    }
    const slot = this.pool.alloc();
    this.pool.obj[slot] = fault;
    this.push(atUs, K_FAULT, node < 0 ? RUN_SOURCE_ID : node, RUN_SOURCE_ID, this.faultSeq++, slot);
  }

  /** Whether `node` is down now by the fault schedule (the last crash or restart at or before now). */
  private scheduledDown(node: number): boolean {
    const changes = this.downChanges[node]!;
    for (let i = changes.length - 1; i >= 0; i--) if (changes[i]!.at <= this.now) return changes[i]!.down;
    return false;
  }

  /** Changes whenever some node's isConnected may answer differently (Host.connectivityVersion). */
  private connectivityVersion(): number {
    const times = this.downTimes;
    let passed = this.downTimesPassed;
    while (passed < times.length && times[passed]! <= this.now) passed++;
    this.downTimesPassed = passed;
    return passed + this.net.rulesVersion;
  }

  /** Ends the run after the current event with outcome completed/stopped. */
  stop(): void {
    this.stopRequested = true;
  }

  /** Runs to the configured duration (or a limit) and returns the result. */
  run(): RunResult {
    this.runUntil(this.durationUs);
    return this.result();
  }

  /**
   * Processes every event with time <= tUs (capped at the duration). Returns
   * 'running' if the window ended first; call again to continue.
   */
  runUntil(tUs: Micros): RunStatus {
    if (this.finished !== undefined) return this.finished;
    need(isCount(tUs, this.now), 'runUntil.tUs', `must be an integer number of µs >= ${this.now}`, tUs);
    if (!this.started) this.start();
    const stopAt = tUs < this.durationUs ? tUs : this.durationUs;
    const queue = this.queue;
    for (;;) {
      if (this.limitHit !== undefined) return this.finish({ kind: 'limit', ...this.limitHit });
      if (this.stopRequested) return this.finish({ kind: 'completed', endedBy: 'stopped' });
      if (queue.size === 0) {
        if (this.ownerOf === undefined) return this.finish({ kind: 'completed', endedBy: 'drained' });
        // A shard with nothing to do may still receive messages: only the coordinator knows the run drained.
        this.now = stopAt;
        if (stopAt === this.durationUs) return this.finish({ kind: 'completed', endedBy: 'duration' });
        return { kind: 'running', timeUs: stopAt };
      }
      const t = queue.peekTime();
      if (t > stopAt && stopAt <= this.maxSimTimeUs) {
        this.now = stopAt;
        if (stopAt === this.durationUs) return this.finish({ kind: 'completed', endedBy: 'duration' });
        return { kind: 'running', timeUs: stopAt };
      }
      if (t > this.maxSimTimeUs) {
        this.now = this.maxSimTimeUs;
        return this.finish({
          kind: 'limit',
          limit: 'max-sim-time',
          detail: `next event at ${t} µs is past limits.maxSimTimeUs = ${this.maxSimTimeUs} µs`,
        });
      }
      if (this.events >= this.maxEvents) {
        return this.finish({ kind: 'limit', limit: 'max-events', detail: `processed limits.maxEvents = ${this.maxEvents} events by ${this.now} µs` });
      }
      this.step();
    }
  }

  /** The run's result; only after it has finished. */
  result(): RunResult {
    if (this.finished === undefined) throw new Error('result: the run has not finished (use runUntil until it returns a final outcome)');
    return {
      outcome: this.finished,
      endTimeUs: this.now,
      events: this.events,
      traceHash: this.hasher.digest(),
      nodes: this.stats,
      network: { ...this.counters },
      pendingEvents: this.queue.size,
    };
  }

  // ---------------------------------------------------------------- internals

  private finish(outcome: RunOutcome): RunOutcome {
    this.finished = outcome;
    this.trace?.close?.();
    return outcome;
  }

  private hitLimit(limit: LimitKind, detail: string): void {
    if (this.limitHit === undefined) this.limitHit = { limit, detail };
  }

  private start(): void {
    this.started = true;
    for (let id = 0; id < this.nodeCount; id++) {
      if (!this.isLocal(id)) continue;
      this.handlerCharge = 0;
      this.booting = id;
      this.nodes[id]!.onStart();
    }
    this.booting = -1;
    for (let i = 0; i < this.sources.length; i++) this.pull(i);
  }

  private push(time: Micros, kind: number, dst: number, src: number, seq: number, slot: number): boolean {
    return this.pushTie(time, packTie(kind, dst, src), seq, slot);
  }

  private pushTie(time: Micros, tie: number, seq: number, slot: number): boolean {
    if (this.queue.isFull()) {
      this.hitLimit('max-pending-events', `more than limits.maxPendingEvents = ${this.queue.size} pending events at ${this.now} µs`);
      this.pool.release(slot);
      return false;
    }
    this.queue.push(time, tie, seq, slot);
    return true;
  }

  private nextSeq(n: number): number {
    const s = this.seqOf[n]!;
    this.seqOf[n] = s + 1;
    return s;
  }

  private makeHost(id: number): Host<M> {
    const rng = this.consensusRng[id]!;
    return {
      id,
      now: () => this.now,
      send: (to, msg) => this.send(id, to, msg),
      setTimer: (delay, tag) => this.setTimer(id, delay, tag),
      cancelTimer: (handle) => this.cancelTimer(id, handle),
      random: () => rng.next(),
      chargeCpu: (cost) => this.chargeCpu(id, cost),
      // Reachable: not crashed (by the fault schedule), and no partition rule drops messages either way.
      isConnected: (peer) => peer === id || (!this.scheduledDown(peer) && !this.net.blocked(id, peer) && !this.net.blocked(peer, id)),
      connectivityVersion: () => this.connectivityVersion(),
    };
  }

  private send(n: number, to: number, msg: M): void {
    if (this.crashed[n] === 1) return;
    if (!(to >= 0 && to < this.nodeCount && (to | 0) === to)) {
      throw new RangeError(`host.send: node ${n} sent to ${to}, which is not a node id in [0, ${this.nodeCount})`);
    }
    const size = this.model.sizeBytes(msg);
    if (!(size >= 0 && size <= 0x7fff_ffff && Math.floor(size) === size)) {
      throw new RangeError(`MessageModel.sizeBytes: must be an integer in [0, 2^31), got ${size}`);
    }
    this.stats.messagesSent[n]!++;
    this.stats.bytesSent[n]! += size;
    const rng = this.netRng[n]!;
    const at = this.net.route(n, to, size, this.now + this.handlerCharge, rng);
    if (at < 0) {
      if (at === DROP_PARTITION) this.counters.droppedPartition++;
      else this.counters.droppedLoss++;
      return;
    }
    const owner = this.ownerOf;
    if (owner !== undefined && owner[to] !== this.self) {
      // Same sender-side work and draws as a local send, in the same order.
      const box = this.outbox[owner[to]!]!;
      const tie = packTie(K_ARRIVE, to, n);
      pushBatch(box, at, tie, this.nextSeq(n), size, msg);
      const dupAt = this.net.duplicate(n, to, rng);
      if (dupAt >= 0) {
        this.counters.duplicated++;
        pushBatch(box, dupAt, tie, this.nextSeq(n), size, msg);
      }
      return;
    }
    if (!this.push(at, K_ARRIVE, to, n, this.nextSeq(n), this.messageSlot(msg, n, size))) return;
    const dup = this.net.duplicate(n, to, rng);
    if (dup >= 0) {
      this.counters.duplicated++;
      this.push(dup, K_ARRIVE, to, n, this.nextSeq(n), this.messageSlot(msg, n, size));
    }
  }

  /** A pooled slot carrying one message in flight (local sends, duplicates and arrivals from other shards alike). */
  private messageSlot(msg: M, from: number, sizeBytes: number): number {
    const pool = this.pool;
    const slot = pool.alloc();
    pool.obj[slot] = msg;
    pool.from[slot] = from;
    pool.sizeBytes[slot] = sizeBytes;
    return slot;
  }

  private setTimer(n: number, delay: Micros, tag: number): number {
    if (!(delay >= 0 && Number.isSafeInteger(delay))) {
      throw new RangeError(`host.setTimer: delay must be an integer number of µs >= 0, got ${delay} (node ${n})`);
    }
    if (this.crashed[n] === 1) return 0;
    const pool = this.pool;
    const slot = pool.alloc();
    pool.flags[slot] = FLAG_TIMER;
    pool.from[slot] = n;
    pool.tag[slot] = tag;
    pool.epoch[slot] = this.epoch[n]!;
    const handle = pool.handleOf(slot);
    return this.push(this.now + delay, K_TIMER, n, n, this.nextSeq(n), slot) ? handle : 0;
  }

  private cancelTimer(n: number, handle: number): void {
    const pool = this.pool;
    const s = pool.slotOfHandle(handle);
    if (s < 0 || (pool.flags[s]! & FLAG_TIMER) === 0 || pool.from[s] !== n) return;
    pool.flags[s] = pool.flags[s]! | FLAG_CANCELLED;
  }

  private chargeCpu(n: number, cost: Micros): void {
    if (!(cost >= 0 && Number.isSafeInteger(cost))) {
      throw new RangeError(`host.chargeCpu: cost must be an integer number of µs >= 0, got ${cost} (node ${n})`);
    }
    if (this.crashed[n] === 1) return;
    this.cpu.charge(n, this.now, cost);
    this.handlerCharge += cost;
  }

  private pull(i: number): void {
    const next = this.sources[i]!.next();
    if (next === undefined) return;
    const node = this.sourceNode[i]!;
    // Arrivals due while the node was paused come in when the pause ends (now), as the deferred request before them did.
    const at = next.at < this.now && this.cpu.pausedUntil[node]! >= this.now ? this.now : next.at;
    if (!isCount(at, this.now)) {
      throw new RangeError(`ClientSource.next().at (node ${node}): must be an integer number of µs >= ${this.now}, got ${next.at}`);
    }
    const slot = this.pool.alloc();
    this.pool.obj[slot] = next.request;
    this.pool.from[slot] = i;
    const seq = this.clientSeq[node]!;
    this.clientSeq[node] = seq + 1;
    this.push(at, K_CLIENT, node, RUN_SOURCE_ID, seq, slot);
  }

  /** Starts the CPU on node n's next queued message if it is idle. */
  private startService(n: number): void {
    const slot = this.cpu.startNext(n);
    if (slot < 0) return;
    this.pool.epoch[slot] = this.epoch[n]!;
    this.push(this.cpu.startedEnd, K_PROCESS, n, n, this.nextSeq(n), slot);
  }

  /**
   * Pops and handles one event: one handler per kind, each returning the
   * event's code for the trace hash, tag · 8 + outcome (the tag is a
   * message's type tag or a timer's tag, else 0; outcomes are O_*).
   */
  private step(): void {
    const queue = this.queue;
    const slot = queue.pop();
    const t = queue.lastTime;
    const tie = queue.lastTie;
    const seq = queue.lastSeq;
    this.now = t;
    this.lastEventUs = t;
    this.handlerCharge = 0;
    const dst = tieDst(tie);
    const counted = dst !== RUN_SOURCE_ID || this.ownsRunLane;
    if (counted) this.events++;
    const trace = this.trace;
    // What the trace shows of the payload is read before the handler releases the slot.
    const traced = trace !== undefined && (trace.wants === undefined || trace.wants(dst === RUN_SOURCE_ID ? -1 : dst, t)) ? this.tracePayload(slot, tie) : undefined;
    let code: number;
    switch (tieKind(tie)) {
      case K_ARRIVE:
        code = this.onArrive(slot, dst, t);
        break;
      case K_PROCESS:
        code = this.onProcess(slot, dst, t);
        break;
      case K_TIMER:
        code = this.onTimer(slot, dst, t);
        break;
      case K_CLIENT:
        code = this.onClient(slot, dst, t);
        break;
      case K_FAULT:
        code = this.onFault(slot);
        break;
      default:
        throw new Error(`engine: unknown event kind ${tieKind(tie)}`);
    }
    if (counted) this.hasher.mix(dst === RUN_SOURCE_ID ? this.nodeCount : dst, t, tie, seq, code);
    if (traced !== undefined) this.traceStep(trace!, traced, t, tie, seq, code);
  }

  /** A message reaches its receiver: downlink, then the CPU queue (or dropped at a crashed node). */
  private onArrive(slot: number, dst: number, t: Micros): number {
    const pool = this.pool;
    const msg = pool.obj[slot] as M;
    const tag8 = this.model.typeTag(msg) * 8;
    if (this.crashed[dst] === 1) {
      this.counters.droppedCrashed++;
      pool.release(slot);
      return tag8 + O_DROPPED;
    }
    const size = pool.sizeBytes[slot]!;
    const ready = this.net.downlink(dst, size, t);
    this.stats.messagesReceived[dst]!++;
    this.stats.bytesReceived[dst]! += size;
    const cost = this.model.cpuCost(msg);
    if (!(cost >= 0 && Number.isSafeInteger(cost))) {
      throw new RangeError(`MessageModel.cpuCost: must be an integer number of µs >= 0, got ${cost}`);
    }
    if (this.cpu.length[dst]! >= this.queueCapacity) {
      this.hitLimit('node-queue-capacity', `node ${dst}: CPU queue would exceed limits.nodeQueueCapacity = ${this.queueCapacity} at ${t} µs`);
      pool.release(slot);
      return tag8 + O_OK;
    }
    this.cpu.enqueue(dst, slot, ready, cost);
    this.startService(dst);
    return tag8 + O_OK;
  }

  /** The CPU finished taking a message in: the node handles it (unless it crashed since, or a pause defers it). */
  private onProcess(slot: number, dst: number, t: Micros): number {
    const pool = this.pool;
    if (pool.epoch[slot] !== this.epoch[dst]) {
      pool.release(slot);
      return O_STALE;
    }
    const defer = this.cpu.takeDefer(dst);
    const msg = pool.obj[slot] as M;
    const tag8 = this.model.typeTag(msg) * 8;
    if (defer > 0) {
      this.push(t + defer, K_PROCESS, dst, dst, this.nextSeq(dst), slot);
      return tag8 + O_DEFERRED;
    }
    const from = pool.from[slot]!;
    const receivedAt = pool.readyAt[slot]!;
    pool.release(slot);
    this.cpu.complete(dst);
    this.nodes[dst]!.onMessage(from, msg, receivedAt);
    if (this.crashed[dst] === 0) this.startService(dst);
    return tag8 + O_OK;
  }

  private onTimer(slot: number, dst: number, t: Micros): number {
    const pool = this.pool;
    const tag = pool.tag[slot]!;
    if ((pool.flags[slot]! & FLAG_CANCELLED) !== 0) {
      pool.release(slot);
      return tag * 8 + O_CANCELLED;
    }
    if (pool.epoch[slot] !== this.epoch[dst]) {
      pool.release(slot);
      return tag * 8 + O_STALE;
    }
    const pausedUntil = this.cpu.pausedUntil[dst]!;
    if (pausedUntil > t) {
      this.push(pausedUntil, K_TIMER, dst, dst, this.nextSeq(dst), slot);
      return tag * 8 + O_DEFERRED;
    }
    pool.release(slot);
    this.stats.timersFired[dst]!++;
    this.nodes[dst]!.onTimer(tag);
    return tag * 8 + O_OK;
  }

  private onClient(slot: number, dst: number, t: Micros): number {
    const pool = this.pool;
    const source = pool.from[slot]!;
    if (this.crashed[dst] === 1) {
      this.stats.clientDropped[dst]!++;
      pool.release(slot);
      this.pull(source);
      return O_DROPPED;
    }
    const pausedUntil = this.cpu.pausedUntil[dst]!;
    if (pausedUntil > t) {
      const s = this.clientSeq[dst]!;
      this.clientSeq[dst] = s + 1;
      this.push(pausedUntil, K_CLIENT, dst, RUN_SOURCE_ID, s, slot);
      return O_DEFERRED;
    }
    const request = pool.obj[slot] as C;
    pool.release(slot);
    this.stats.clientRequests[dst]!++;
    this.nodes[dst]!.onClient(request);
    this.pull(source);
    return O_OK;
  }

  private onFault(slot: number): number {
    const fault = this.pool.obj[slot] as Fault;
    this.pool.release(slot);
    return this.applyFault(fault);
  }

  /**
   * Tracing only: the sender and detail of the event about to be handled
   * (a message's description and sender; a fault; nothing for a stale
   * completion, a timer or a client request).
   */
  private tracePayload(slot: number, tie: number): { from: number; detail: unknown } {
    const kind = tieKind(tie);
    const src = tieSrc(tie);
    const pool = this.pool;
    if (kind === K_FAULT) return { from: -1, detail: pool.obj[slot] };
    if (kind === K_ARRIVE) return { from: src, detail: this.model.describe(pool.obj[slot] as M) };
    // A CPU completion is keyed by its own node but names the message's sender.
    if (kind === K_PROCESS && pool.epoch[slot] === this.epoch[tieDst(tie)]) return { from: pool.from[slot]!, detail: this.model.describe(pool.obj[slot] as M) };
    return { from: src === RUN_SOURCE_ID ? -1 : src, detail: undefined };
  }

  /** One trace record for the event just handled. */
  private traceStep(trace: TraceSink, traced: { from: number; detail: unknown }, t: Micros, tie: number, seq: number, code: number): void {
    const outcome = code % 8;
    const dst = tieDst(tie);
    trace.record({
      timeUs: t,
      kind: KIND_NAMES[tieKind(tie)]!,
      node: dst === RUN_SOURCE_ID ? -1 : dst,
      from: traced.from,
      seq,
      outcome: OUTCOME_NAMES[outcome]!,
      tag: (code - outcome) / 8,
      detail: traced.detail,
    });
  }

  private applyFault(f: Fault): number {
    switch (f.kind) {
      case 'crash': {
        const n = f.node;
        if (this.crashed[n] === 1) return O_IGNORED;
        this.crashed[n] = 1;
        this.epoch[n] = (this.epoch[n]! + 1) >>> 0;
        this.cpu.reset(n, this.now, (s) => this.pool.release(s));
        this.nodes[n]!.onCrash();
        return O_OK;
      }
      case 'restart': {
        const n = f.node;
        if (this.crashed[n] === 0) return O_IGNORED;
        this.crashed[n] = 0;
        this.cpu.reset(n, this.now, (s) => this.pool.release(s));
        this.nodes[n]!.onRestart();
        return O_OK;
      }
      case 'pause':
        if (this.crashed[f.node] === 1) return O_IGNORED;
        this.cpu.pause(f.node, this.now, this.now + f.durationUs);
        return O_OK;
      case 'partition':
        this.net.addGrudge(f.grudge);
        return O_OK;
      case 'heal':
        this.net.heal();
        return O_OK;
      case 'set-loss':
        this.net.setLoss(f.probability, f.nodes);
        return O_OK;
      case 'set-duplication':
        this.net.setDuplication(f.probability);
        return O_OK;
      case 'add-delay':
        this.net.setExtraDelay(f.extraUs, f.nodes);
        return O_OK;
      case 'set-bandwidth':
        this.net.setBandwidth(f.node, f.uploadBitsPerSec, f.downloadBitsPerSec);
        return O_OK;
    }
  }
}

function emptyBatch<M>(): OutboxBatch<M> {
  return { time: [], tie: [], seq: [], sizeBytes: [], msg: [] };
}

function pushBatch<M>(b: OutboxBatch<M>, time: Micros, tie: number, seq: number, size: number, msg: M): void {
  b.time.push(time);
  b.tie.push(tie);
  b.seq.push(seq);
  b.sizeBytes.push(size);
  b.msg.push(msg);
}

function checkShard(s: ShardConfig, nodeCount: number): void {
  need(Number.isInteger(s.shards) && s.shards >= 1 && s.shards <= MAX_SHARDS, 'shard.shards', `must be an integer in [1, ${MAX_SHARDS}]`, s.shards);
  need(Number.isInteger(s.self) && s.self >= 0 && s.self < s.shards, 'shard.self', `must be a shard index in [0, ${s.shards})`, s.self);
  need(s.ownerOf.length === nodeCount, 'shard.ownerOf', `must have one entry per node (${nodeCount})`, s.ownerOf.length);
  for (let i = 0; i < nodeCount; i++) {
    if (s.ownerOf[i]! >= s.shards) need(false, `shard.ownerOf[${i}]`, `must be a shard index in [0, ${s.shards})`, s.ownerOf[i]);
  }
}
