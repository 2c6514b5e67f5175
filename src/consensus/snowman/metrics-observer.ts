/** A Snowman node's reports (NodeObserver) as the protocol-neutral run metrics. */
import type { NodeObserver, PollOutcome } from '../engine/observer.js';
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
}
