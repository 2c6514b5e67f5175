/** A Snowman node's reports (NodeObserver) as the protocol-neutral run metrics. */
import type { BootstrapOutcome } from '../engine/bootstrapping.js';
import type { DropReason, NodeObserver, PollOutcome } from '../engine/observer.js';
import type { Micros, NodeId } from '../host.js';
import type { RunMetrics } from '../protocol.js';
import type { Block, TxId } from './block.js';
import type { SnowmanAcceptance } from './safety-check.js';

export class MetricsObserver implements NodeObserver {
  constructor(private readonly metrics: RunMetrics<SnowmanAcceptance>) {}

  onAccept(block: Block, node: NodeId, time: Micros): void {
    this.metrics.check(block, node, time);
    this.metrics.unitAccepted(node, block.height, block.builtAt, time);
  }

  onPollFinished(outcome: PollOutcome, node: NodeId, time: Micros): void {
    this.metrics.pollFinished(node, outcome.successful, time);
  }

  onTxSubmitted(tx: TxId, node: NodeId, time: Micros): void {
    this.metrics.txSubmitted(tx, node, time);
  }

  onTxAccepted(tx: TxId, node: NodeId, time: Micros): void {
    this.metrics.txAccepted(tx, node, time);
  }

  /** Drops by reason (expired requests, unrequested responses, fast failures, …) as counters `drops.<reason>`. */
  onDrop(reason: DropReason, node: NodeId): void {
    this.metrics.count?.(`drops.${reason}`, 1, node);
  }

  /**
   * Recovery of a restarted node: `bootstrapMs` (one sample per bootstrap),
   * `bootstrapMs.node<id>` (each node's bootstrapping time, summed over its
   * restarts) and the blocks it fetched and accepted.
   */
  onBootstrapped(o: BootstrapOutcome, node: NodeId, time: Micros): void {
    this.metrics.nodeBootstrapped?.(node, time - o.durationUs, time);
    const ms = o.durationUs / 1000;
    this.metrics.observe?.('bootstrapMs', ms, node);
    this.metrics.count?.(`bootstrapMs.node${node}`, ms, node);
    this.metrics.count?.('bootstrapBlocksFetched', o.fetched, node);
    this.metrics.count?.('bootstrapBlocksAccepted', o.executed, node);
    this.metrics.count?.('bootstraps', 1, node);
  }
}
