/**
 * The metrics layer of one run: the RunMetrics every node reports to (through
 * its protocol's adapter), feeding the latency histograms, throughput
 * buckets, poll statistics and the safety and liveness checkers. Only honest
 * nodes count; Byzantine nodes' acceptances and polls are ignored.
 */
import type { Micros, NodeId } from '../consensus/host.js';
import type { RunMetrics, SafetyCheck } from '../consensus/protocol.js';
import type { TxId } from '../consensus/snowman/block.js';
import { LatencyHistogram } from '../metrics/histogram.js';
import { LivenessChecker } from '../metrics/liveness.js';
import { NodeRecovery, type NodeRecoveryRecord } from './node-recovery.js';

/**
 * Where a shard's collector sends the inputs of the order-sensitive checkers
 * (safety, liveness) instead of feeding them itself: the sharded runner merges
 * every shard's stream in serial event order and feeds one pair of checkers.
 */
export interface OrderedSink<I> {
  check(input: I, node: NodeId, time: Micros): void;
  submitted(tx: TxId, time: Micros): void;
  accepted(tx: TxId, time: Micros): void;
}

/** How one shard's count merges into the run's: summed over shards, or the largest. */
type Merge = 'sum' | 'max';

/**
 * The collector's counts, each with how shards merge it. A new count is one
 * line here (the collector's field, its snapshot and its merge all read this
 * table), plus where it is counted and what summarise() makes of it.
 */
export const COUNTS = {
  /** Polls finished by honest nodes. */
  polls: 'sum',
  successfulPolls: 'sum',
  /** Acceptances of blocks summed over honest nodes (decisions). */
  honestBlockAcceptances: 'sum',
  /** Highest height any honest node accepted. */
  maxAcceptedHeight: 'max',
  acceptedTxs: 'sum',
  /** Transactions accepted (client-observed) at or after the warm-up: the numerator of sustained TPS. */
  acceptedTxsSinceWarmup: 'sum',
  submittedTxs: 'sum',
  /** Client-submitted transactions rejected on their node (lost double spends). */
  rejectedTxs: 'sum',
} as const satisfies Record<string, Merge>;
export type CountName = keyof typeof COUNTS;
const COUNT_NAMES = Object.keys(COUNTS) as CountName[];

function zeroCounts(): Record<CountName, number> {
  return Object.fromEntries(COUNT_NAMES.map((k) => [k, 0])) as Record<CountName, number>;
}

/** Everything of a collector that merges by sums, maxima and minima (structured-clone friendly). */
export interface CollectorSnapshot {
  clientLatency: LatencyHistogram;
  nodeLatency: LatencyHistogram;
  acceptedPerBucket: number[];
  submittedPerBucket: number[];
  counts: Record<CountName, number>;
  recoveredAtUs: Micros | undefined;
  /** Protocol counters and distributions by name (RunMetrics.count / observe). */
  protocolCounters: Record<string, number>;
  protocolDistributions: Record<string, LatencyHistogram>;
  /** Each restarted node's recovery (disjoint per node: shards concatenate). */
  nodeRecovery: NodeRecoveryRecord[];
}

export interface CollectorOptions<I> {
  /** The protocol's safety checker (a shard's collector holds one it never feeds). */
  safety: SafetyCheck<I>;
  nodeCount: number;
  byzantine: ReadonlySet<NodeId>;
  /** Transactions submitted before this are left out of sustained TPS and latency. */
  warmupUs: Micros;
  livenessBoundUs: Micros;
  throughputBucketUs: Micros;
  repro: string;
  /** Sharded runs: safety and liveness inputs go here instead of to this collector's checkers. */
  ordered?: OrderedSink<I>;
}

/** Most throughput buckets kept; a longer run widens nothing and just stops adding (labelled in the summary). */
export const MAX_BUCKETS = 1_000_000;

export class RunCollector<I = unknown> implements RunMetrics<I> {
  readonly safety: SafetyCheck<I>;
  readonly liveness: LivenessChecker;
  /** Client-observed: submission to acceptance on the node the client submitted to. */
  readonly clientLatency = new LatencyHistogram();
  /** Per node: block built to block accepted, over every honest node. */
  readonly nodeLatency = new LatencyHistogram();
  /** Accepted (client-observed) and submitted transactions per throughput bucket. */
  readonly acceptedPerBucket: number[] = [];
  readonly submittedPerBucket: number[] = [];

  /** Counts of honest work (COUNTS says what each is and how it merges). */
  readonly counts = zeroCounts();
  /** Protocol-specific counters and distributions (RunMetrics.count / observe), honest nodes only. */
  readonly protocolCounters = new Map<string, number>();
  readonly protocolDistributions = new Map<string, LatencyHistogram>();
  /** First honest acceptance at or after `recoveryFromUs`, for recovery time after the last fault heals. */
  private recoveryFromUs: Micros | undefined;
  recoveredAtUs: Micros | undefined;
  /** Per restarted node: bootstrapping, then its first successful poll and acceptance. */
  readonly nodeRecovery = new NodeRecovery();

  private readonly submittedAt = new Map<TxId, Micros>();

  constructor(private readonly opts: CollectorOptions<I>) {
    this.safety = opts.safety;
    this.liveness = new LivenessChecker({ boundUs: opts.livenessBoundUs });
  }

  /** Recovery time is measured from the heal of the last fault; the runner says when that is. */
  expectRecoveryFrom(t: Micros): void {
    this.recoveryFromUs = t;
    this.recoveredAtUs = undefined;
  }

  private honest(node: NodeId): boolean {
    return !this.opts.byzantine.has(node);
  }

  private bump(buckets: number[], t: Micros): void {
    const b = Math.floor(t / this.opts.throughputBucketUs);
    if (b >= MAX_BUCKETS) return;
    while (buckets.length <= b) buckets.push(0);
    buckets[b] = (buckets[b] as number) + 1;
  }

  check(input: I, node: NodeId, time: Micros): void {
    if (!this.honest(node)) return;
    if (this.opts.ordered === undefined) this.safety.check(input, node, time);
    else this.opts.ordered.check(input, node, time);
  }

  unitAccepted(node: NodeId, height: number, builtAt: Micros, time: Micros): void {
    if (!this.honest(node)) return;
    const c = this.counts;
    c.honestBlockAcceptances++;
    if (height > c.maxAcceptedHeight) c.maxAcceptedHeight = height;
    if (builtAt >= this.opts.warmupUs) this.nodeLatency.record(time - builtAt);
    this.nodeRecovery.accepted(node, time);
    if (this.recoveryFromUs !== undefined && this.recoveredAtUs === undefined && time >= this.recoveryFromUs) {
      this.recoveredAtUs = time;
    }
  }

  pollFinished(node: NodeId, successful: boolean, time: Micros): void {
    if (!this.honest(node)) return;
    this.counts.polls++;
    if (!successful) return;
    this.counts.successfulPolls++;
    this.nodeRecovery.pollSucceeded(node, time);
  }

  nodeBootstrapped(node: NodeId, startedAt: Micros, time: Micros): void {
    if (this.honest(node)) this.nodeRecovery.bootstrapped(node, startedAt, time);
  }

  txSubmitted(tx: TxId, node: NodeId, time: Micros): void {
    if (!this.honest(node)) return;
    this.submittedAt.set(tx, time);
    this.counts.submittedTxs++;
    if (this.opts.ordered === undefined) this.liveness.submitted(tx, time);
    else this.opts.ordered.submitted(tx, time);
    this.bump(this.submittedPerBucket, time);
  }

  txAccepted(tx: TxId, node: NodeId, time: Micros): void {
    if (!this.honest(node)) return;
    const at = this.submittedAt.get(tx);
    if (at === undefined) return; // accepted twice, or submitted elsewhere
    this.submittedAt.delete(tx);
    this.counts.acceptedTxs++;
    if (this.opts.ordered === undefined) this.liveness.accepted(tx, time);
    else this.opts.ordered.accepted(tx, time);
    this.bump(this.acceptedPerBucket, time);
    // Sustained TPS counts acceptances in [warmup, end], whenever submitted;
    // latency only for transactions submitted after the warm-up.
    if (time >= this.opts.warmupUs) this.counts.acceptedTxsSinceWarmup++;
    if (at >= this.opts.warmupUs) this.clientLatency.record(time - at);
  }

  txRejected(tx: TxId, node: NodeId, time: Micros): void {
    if (!this.honest(node)) return;
    if (!this.submittedAt.delete(tx)) return; // decided twice, or submitted elsewhere
    this.counts.rejectedTxs++;
    // Decided: the liveness checker stops waiting for it (its "accepted" means decided).
    if (this.opts.ordered === undefined) this.liveness.accepted(tx, time);
    else this.opts.ordered.accepted(tx, time);
  }

  count(name: string, delta: number, node: NodeId): void {
    if (!this.honest(node)) return;
    this.protocolCounters.set(name, (this.protocolCounters.get(name) ?? 0) + delta);
  }

  observe(name: string, value: number, node: NodeId): void {
    if (!this.honest(node)) return;
    let h = this.protocolDistributions.get(name);
    if (h === undefined) {
      h = new LatencyHistogram();
      this.protocolDistributions.set(name, h);
    }
    h.record(value);
  }

  /** The mergeable part of this collector (a shard's contribution). */
  snapshot(): CollectorSnapshot {
    return {
      clientLatency: this.clientLatency,
      nodeLatency: this.nodeLatency,
      acceptedPerBucket: this.acceptedPerBucket,
      submittedPerBucket: this.submittedPerBucket,
      counts: { ...this.counts },
      recoveredAtUs: this.recoveredAtUs,
      protocolCounters: Object.fromEntries(this.protocolCounters),
      protocolDistributions: Object.fromEntries(this.protocolDistributions),
      nodeRecovery: this.nodeRecovery.records,
    };
  }

  /**
   * Adds another shard's snapshot. Every part is a sum, a maximum or a minimum
   * of per-node contributions, so the merge does not depend on shard order.
   * (Histograms that crossed a thread boundary arrive as plain objects and are
   * given their class back first.)
   */
  absorb(s: CollectorSnapshot): void {
    this.clientLatency.merge(reviveHistogram(s.clientLatency));
    this.nodeLatency.merge(reviveHistogram(s.nodeLatency));
    addBuckets(this.acceptedPerBucket, s.acceptedPerBucket);
    addBuckets(this.submittedPerBucket, s.submittedPerBucket);
    for (const k of COUNT_NAMES) {
      this.counts[k] = COUNTS[k] === 'sum' ? this.counts[k] + s.counts[k] : Math.max(this.counts[k], s.counts[k]);
    }
    for (const [name, v] of Object.entries(s.protocolCounters)) this.protocolCounters.set(name, (this.protocolCounters.get(name) ?? 0) + v);
    for (const [name, h] of Object.entries(s.protocolDistributions)) {
      const mine = this.protocolDistributions.get(name);
      if (mine === undefined) this.protocolDistributions.set(name, reviveHistogram(h));
      else mine.merge(reviveHistogram(h));
    }
    this.nodeRecovery.records.push(...s.nodeRecovery);
    if (s.recoveredAtUs !== undefined && (this.recoveredAtUs === undefined || s.recoveredAtUs < this.recoveredAtUs)) {
      this.recoveredAtUs = s.recoveredAtUs;
    }
  }
}

function addBuckets(into: number[], from: readonly number[]): void {
  while (into.length < from.length) into.push(0);
  from.forEach((x, i) => {
    into[i] = (into[i] as number) + x;
  });
}

function reviveHistogram(h: LatencyHistogram): LatencyHistogram {
  if (h instanceof LatencyHistogram) return h;
  // A structured clone keeps every own field (counts, n, sum, min, max) but not the prototype.
  return Object.setPrototypeOf(h, LatencyHistogram.prototype) as LatencyHistogram;
}
