/**
 * The metrics layer of one run: a NodeObserver that every node reports to,
 * feeding the latency histograms, throughput buckets, poll statistics and the
 * safety and liveness checkers. Only honest nodes count; Byzantine nodes'
 * acceptances and polls are ignored.
 */
import type { Block, TxId } from '../consensus/snowman/block.js';
import type { NodeObserver, PollOutcome } from '../consensus/engine/observer.js';
import type { Micros, NodeId } from '../consensus/host.js';
import { LatencyHistogram } from '../metrics/histogram.js';
import { LivenessChecker } from '../metrics/liveness.js';
import { SafetyChecker } from '../metrics/safety.js';

export interface CollectorOptions {
  nodeCount: number;
  byzantine: ReadonlySet<NodeId>;
  /** Transactions submitted before this are left out of sustained TPS and latency. */
  warmupUs: Micros;
  livenessBoundUs: Micros;
  throughputBucketUs: Micros;
  repro: string;
}

/** Most throughput buckets kept; a longer run widens nothing and just stops adding (labelled in the summary). */
const MAX_BUCKETS = 1_000_000;

export class RunCollector implements NodeObserver {
  readonly safety: SafetyChecker;
  readonly liveness: LivenessChecker;
  /** Client-observed: submission to acceptance on the node the client submitted to. */
  readonly clientLatency = new LatencyHistogram();
  /** Per node: block built to block accepted, over every honest node. */
  readonly nodeLatency = new LatencyHistogram();
  /** Accepted (client-observed) and submitted transactions per throughput bucket. */
  readonly acceptedPerBucket: number[] = [];
  readonly submittedPerBucket: number[] = [];

  polls = 0;
  successfulPolls = 0;
  /** Acceptances of blocks summed over honest nodes (decisions). */
  honestBlockAcceptances = 0;
  /** Highest height any honest node accepted. */
  maxAcceptedHeight = 0;
  acceptedTxs = 0;
  /** Accepted transactions submitted at or after the warm-up. */
  acceptedTxsAfterWarmup = 0;
  submittedTxs = 0;
  /** First honest acceptance at or after `recoveryFromUs`, for recovery time after the last fault heals. */
  private recoveryFromUs: Micros | undefined;
  recoveredAtUs: Micros | undefined;

  private readonly submittedAt = new Map<TxId, Micros>();

  constructor(private readonly opts: CollectorOptions) {
    this.safety = new SafetyChecker({ nodes: opts.nodeCount, byzantine: opts.byzantine, repro: opts.repro });
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

  onAccept(block: Block, node: NodeId, time: Micros): void {
    if (!this.honest(node)) return;
    this.safety.accept(node, block.height, block.id, block.txs, time);
    this.honestBlockAcceptances++;
    if (block.height > this.maxAcceptedHeight) this.maxAcceptedHeight = block.height;
    if (block.builtAt >= this.opts.warmupUs) this.nodeLatency.record(time - block.builtAt);
    if (this.recoveryFromUs !== undefined && this.recoveredAtUs === undefined && time >= this.recoveryFromUs) {
      this.recoveredAtUs = time;
    }
  }

  onPollFinished(outcome: PollOutcome, node: NodeId): void {
    if (!this.honest(node)) return;
    this.polls++;
    if (outcome.successful) this.successfulPolls++;
  }

  onTxSubmitted(tx: TxId, node: NodeId, time: Micros): void {
    if (!this.honest(node)) return;
    this.submittedAt.set(tx, time);
    this.submittedTxs++;
    this.liveness.submitted(tx, time);
    this.bump(this.submittedPerBucket, time);
  }

  onTxAccepted(tx: TxId, node: NodeId, time: Micros): void {
    if (!this.honest(node)) return;
    const at = this.submittedAt.get(tx);
    if (at === undefined) return; // accepted twice, or submitted elsewhere
    this.submittedAt.delete(tx);
    this.acceptedTxs++;
    this.liveness.accepted(tx, time);
    this.bump(this.acceptedPerBucket, time);
    if (at >= this.opts.warmupUs) {
      this.acceptedTxsAfterWarmup++;
      this.clientLatency.record(time - at);
    }
  }
}
