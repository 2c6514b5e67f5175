/**
 * One validator's Prometheus metrics: its own prom-client Registry (so
 * several validators in one process never mix their series), the process
 * default metrics, and the constant labels node_id, run_id and scenario.
 *
 * The consensus engine reports through NodeObserver (the same interface the
 * simulator's collector implements); the transport and the host report
 * through the few extra methods below. Times are the host's microseconds.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Micros, NodeId } from '../../consensus/host.js';
import { MESSAGE_TYPE_TAG, type MessageKind } from '../../consensus/engine/messages.js';
import type { DropReason, NodeObserver, PollOutcome } from '../../consensus/engine/observer.js';
import type { Block, TxId } from '../../consensus/snowman/block.js';
import type { WireErrorReason } from '../../consensus/wire.js';
import { EMULATION_ERROR_BUCKETS_SECONDS, LATENCY_BUCKETS_SECONDS, METRICS, type MetricSpec } from './catalogue.js';

export type FrameDirection = 'sent' | 'received';

/** Why the transport dropped a frame: a decode failure, or a transport rule / condition. */
export type FrameDropReason =
  | WireErrorReason
  /** Emulated loss (scenario lossRate or a loss fault). */
  | 'rule-loss'
  /** A partition rule cuts this link. */
  | 'rule-partition'
  /** No connection to the peer (down, or reconnecting). */
  | 'peer-down'
  /** The per-link send queue was full. */
  | 'queue-full';

// Every label value known up front (a Record, so the compiler insists on all
// of them), so each series exists at 0 from the first scrape: a rate() over
// a series that appears only with its first drop would miss that drop.
const FRAME_DROP_REASON_SET: Record<FrameDropReason, true> = {
  truncated: true, 'trailing-bytes': true, 'unsupported-version': true, 'unknown-kind': true, oversized: true, 'invalid-field': true,
  'rule-loss': true, 'rule-partition': true, 'peer-down': true, 'queue-full': true,
};
const ENGINE_DROP_REASON_SET: Record<DropReason, true> = {
  'pending-full': true,
  'get-timeout': true,
  'mempool-full': true,
  'poll-refused': true,
  expired: true,
  unrequested: true,
  'insufficient-stake': true,
  'failed-fast': true,
};
export const FRAME_DROP_REASONS = Object.keys(FRAME_DROP_REASON_SET) as FrameDropReason[];
export const ENGINE_DROP_REASONS = Object.keys(ENGINE_DROP_REASON_SET) as DropReason[];
export const MESSAGE_KINDS = Object.keys(MESSAGE_TYPE_TAG) as MessageKind[];

export interface ValidatorIdentity {
  readonly nodeId: NodeId;
  readonly runId: string;
  readonly scenario: string;
}

/** Transactions awaiting acceptance whose submit time is remembered; past it, the oldest are forgotten (and counted as never observed). */
export const MAX_TRACKED_TXS = 1_000_000;
/** Blocks awaiting a decision whose issue time is remembered. */
export const MAX_TRACKED_BLOCKS = 100_000;

const SECONDS_PER_US = 1e-6;

function counter(reg: Registry, s: MetricSpec): Counter {
  return new Counter({ name: s.name, help: s.help, labelNames: [...s.labels], registers: [reg] });
}
function gauge(reg: Registry, s: MetricSpec): Gauge {
  return new Gauge({ name: s.name, help: s.help, labelNames: [...s.labels], registers: [reg] });
}
function histogram(reg: Registry, s: MetricSpec, buckets: readonly number[]): Histogram {
  return new Histogram({ name: s.name, help: s.help, labelNames: [...s.labels], buckets: [...buckets], registers: [reg] });
}

/** A Map used as a bounded FIFO of start times (insertion order = time order). */
class StartTimes {
  private readonly times = new Map<number, Micros>();
  constructor(private readonly capacity: number) {}
  set(id: number, t: Micros): void {
    if (this.times.size >= this.capacity) {
      const oldest = this.times.keys().next();
      if (oldest.done !== true) this.times.delete(oldest.value);
    }
    this.times.set(id, t);
  }
  /** The start time, forgotten once taken. */
  take(id: number): Micros | undefined {
    const t = this.times.get(id);
    if (t !== undefined) this.times.delete(id);
    return t;
  }
  clear(): void {
    this.times.clear();
  }
}

export class ValidatorMetrics implements NodeObserver {
  readonly registry = new Registry();
  private readonly blksAccepted: Counter;
  private readonly blksAcceptedBytes: Counter;
  private readonly txsAccepted: Counter;
  private readonly blksRejected: Counter;
  private readonly blksProcessing: Gauge;
  private readonly blksBuilt: Counter;
  private readonly blksIssued: Counter;
  private readonly pollsSuccessful: Counter;
  private readonly pollsFailed: Counter;
  private readonly lastAcceptedHeight: Gauge;
  private readonly consensusLatency: Histogram;
  private readonly txFinality: Histogram;
  private readonly txsSubmitted: Counter;
  private readonly msgs: Counter;
  private readonly msgsBytes: Counter;
  private readonly framesDropped: Counter;
  private readonly engineDrops: Counter;
  private readonly emulationError: Histogram;
  private readonly cpuCharged: Counter;
  private readonly peers: Gauge;
  private readonly issuedAt = new StartTimes(MAX_TRACKED_BLOCKS);
  private readonly submittedAt = new StartTimes(MAX_TRACKED_TXS);
  private processing = 0;

  constructor(readonly identity: ValidatorIdentity, options: { processMetrics?: boolean } = {}) {
    const reg = this.registry;
    reg.setDefaultLabels({ node_id: String(identity.nodeId), run_id: identity.runId, scenario: identity.scenario });
    if (options.processMetrics !== false) collectDefaultMetrics({ register: reg });
    this.blksAccepted = counter(reg, METRICS.blksAccepted);
    this.blksAcceptedBytes = counter(reg, METRICS.blksAcceptedBytes);
    this.txsAccepted = counter(reg, METRICS.txsAccepted);
    this.blksRejected = counter(reg, METRICS.blksRejected);
    this.blksProcessing = gauge(reg, METRICS.blksProcessing);
    this.blksBuilt = counter(reg, METRICS.blksBuilt);
    this.blksIssued = counter(reg, METRICS.blksIssued);
    this.pollsSuccessful = counter(reg, METRICS.pollsSuccessful);
    this.pollsFailed = counter(reg, METRICS.pollsFailed);
    this.lastAcceptedHeight = gauge(reg, METRICS.lastAcceptedHeight);
    this.consensusLatency = histogram(reg, METRICS.consensusLatency, LATENCY_BUCKETS_SECONDS);
    this.txFinality = histogram(reg, METRICS.txFinality, LATENCY_BUCKETS_SECONDS);
    this.txsSubmitted = counter(reg, METRICS.txsSubmitted);
    this.msgs = counter(reg, METRICS.msgs);
    this.msgsBytes = counter(reg, METRICS.msgsBytes);
    this.framesDropped = counter(reg, METRICS.framesDropped);
    this.engineDrops = counter(reg, METRICS.engineDrops);
    this.emulationError = histogram(reg, METRICS.emulationError, EMULATION_ERROR_BUCKETS_SECONDS);
    this.cpuCharged = counter(reg, METRICS.cpuCharged);
    this.peers = gauge(reg, METRICS.peers);
    // Series that exist from the start (a rate over a counter needs its zero).
    for (const c of [this.blksAccepted, this.blksAcceptedBytes, this.txsAccepted, this.blksRejected, this.blksBuilt, this.pollsSuccessful, this.pollsFailed, this.txsSubmitted, this.cpuCharged]) c.inc(0);
    for (const reason of FRAME_DROP_REASONS) this.framesDropped.inc({ reason }, 0);
    for (const reason of ENGINE_DROP_REASONS) this.engineDrops.inc({ reason }, 0);
    for (const op of MESSAGE_KINDS) {
      for (const io of ['sent', 'received'] as const) {
        this.msgs.inc({ io, op }, 0);
        this.msgsBytes.inc({ io, op }, 0);
      }
    }
    this.blksProcessing.set(0);
    this.lastAcceptedHeight.set(0);
    this.peers.set(0);
  }

  /** A node that restarts from its store resumes at its persisted height, with nothing processing. */
  resumeAt(height: number): void {
    this.lastAcceptedHeight.set(height);
    this.processing = 0;
    this.blksProcessing.set(0);
    this.issuedAt.clear();
    this.submittedAt.clear();
  }

  /**
   * A restarted node's accepted chain, reopened from its store: the accepted
   * counters continue from it, so they count the node's chain across
   * incarnations (call once, before the node runs).
   */
  restoreAccepted(blocks: number, txs: number, bytes: number): void {
    this.blksAccepted.inc(blocks);
    this.txsAccepted.inc(txs);
    this.blksAcceptedBytes.inc(bytes);
  }

  // --- NodeObserver (called by SnowmanNode) ---

  onBlockBuilt(_block: Block, _node: NodeId, _time: Micros): void {
    this.blksBuilt.inc();
  }

  onBlockIssued(block: Block, node: NodeId, time: Micros): void {
    this.blksIssued.inc({ source: block.proposer === node ? 'built' : 'received' });
    this.issuedAt.set(block.id, time);
    this.blksProcessing.set(++this.processing);
  }

  onAccept(block: Block, _node: NodeId, time: Micros): void {
    this.blksAccepted.inc();
    this.blksAcceptedBytes.inc(block.sizeBytes);
    this.txsAccepted.inc(block.txs.length);
    this.lastAcceptedHeight.set(block.height);
    this.decided(block, time, true);
  }

  onReject(block: Block, _node: NodeId, time: Micros): void {
    this.blksRejected.inc();
    this.decided(block, time, false);
  }

  onPollFinished(outcome: PollOutcome, _node: NodeId, _time: Micros): void {
    (outcome.successful ? this.pollsSuccessful : this.pollsFailed).inc();
  }

  onTxSubmitted(tx: TxId, _node: NodeId, time: Micros): void {
    this.txsSubmitted.inc();
    this.submittedAt.set(tx, time);
  }

  onTxAccepted(tx: TxId, _node: NodeId, time: Micros): void {
    const submitted = this.submittedAt.take(tx);
    if (submitted !== undefined) this.txFinality.observe((time - submitted) * SECONDS_PER_US);
  }

  onDrop(reason: DropReason, _node: NodeId, _time: Micros): void {
    this.engineDrops.inc({ reason });
  }

  // --- transport and host ---

  /** One consensus message of `bytes` bytes on the wire (frame header included), sent or received. */
  onFrame(io: FrameDirection, op: MessageKind, bytes: number): void {
    this.msgs.inc({ io, op });
    this.msgsBytes.inc({ io, op }, bytes);
  }

  onFrameDropped(reason: FrameDropReason, count = 1): void {
    if (count > 0) this.framesDropped.inc({ reason }, count);
  }

  /** An emulated-latency message was delivered `actualUs` after it was sent, when `intendedUs` was drawn. */
  onDelivery(intendedUs: Micros, actualUs: Micros): void {
    this.emulationError.observe((actualUs - intendedUs) * SECONDS_PER_US);
  }

  /** CPU the host charged to this validator. */
  onCpuCharged(us: Micros): void {
    if (us > 0) this.cpuCharged.inc(us * SECONDS_PER_US);
  }

  setPeers(connected: number): void {
    this.peers.set(connected);
  }

  /** The text exposition format, as served at /metrics. */
  text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  private decided(block: Block, time: Micros, accepted: boolean): void {
    const issued = this.issuedAt.take(block.id);
    if (issued === undefined) return; // decided without being issued here (e.g. restored from the store)
    if (accepted) this.consensusLatency.observe((time - issued) * SECONDS_PER_US);
    this.processing = Math.max(0, this.processing - 1);
    this.blksProcessing.set(this.processing);
  }
}
