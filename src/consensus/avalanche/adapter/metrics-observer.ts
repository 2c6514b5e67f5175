/**
 * A DAG node's reports (DagNodeObserver) as the protocol-neutral run metrics:
 * the shared ones (submissions, client-observed acceptances and rejections,
 * polls, accepted units with the count of vertices a node has accepted as
 * their height) and the DAG's own counters and distributions:
 *   counters       txsAccepted, txsRejected (per-node decisions summed over
 *                  honest nodes), verticesRejected, orphansReissued,
 *                  drops.<reason>
 *   distributions  conflictSetSize (1 + the processing conflicts of each
 *                  accepted transaction, at every honest node),
 *                  txNodeFinalityMs (client submission to acceptance, at
 *                  every honest node)
 *   recovery       as the Snowman node's: bootstrapMs (one sample per
 *                  bootstrap), bootstrapMs.node<id>, bootstrapVerticesFetched,
 *                  bootstrapVerticesAccepted, bootstraps, and the run
 *                  summary's per-node recovery records
 */
import type { Micros, NodeId } from '../../host.js';
import type { RunMetrics } from '../../protocol.js';
import type { DagAcceptance } from '../../../metrics/dag-safety.js';
import type { AvaTx, Vertex } from '../engine/messages.js';
import type { DagDropReason, DagNodeObserver, DagPollOutcome } from '../engine/observer.js';
import type { DagBootstrapOutcome } from '../engine/dag-bootstrapping.js';
import type { TxId } from '../vertex.js';
import { toMillis } from '../../../sim/time.js';

export class DagMetricsObserver implements DagNodeObserver {
  constructor(private readonly metrics: RunMetrics<DagAcceptance>) {}

  onVertexAccepted(v: Vertex, count: number, node: NodeId, time: Micros): void {
    this.metrics.check({ kind: 'vertex', id: v.id, height: v.height, parents: v.parents, txs: v.txs.map((t) => t.id) }, node, time);
    this.metrics.unitAccepted(node, count, v.builtAt, time);
  }

  onVertexRejected(_v: Vertex, node: NodeId): void {
    this.metrics.count?.('verticesRejected', 1, node);
  }

  onTxDecidedAccepted(tx: AvaTx, conflicts: number, node: NodeId, time: Micros): void {
    this.metrics.check({ kind: 'tx', id: tx.id, inputs: tx.inputs }, node, time);
    this.metrics.count?.('txsAccepted', 1, node);
    this.metrics.observe?.('conflictSetSize', 1 + conflicts, node);
    this.metrics.observe?.('txNodeFinalityMs', toMillis(Math.max(0, time - tx.submittedAt)), node);
  }

  onTxDecidedRejected(_tx: AvaTx, node: NodeId): void {
    this.metrics.count?.('txsRejected', 1, node);
  }

  onPollFinished(outcome: DagPollOutcome, node: NodeId, time: Micros): void {
    this.metrics.pollFinished(node, outcome.successful, time);
  }

  onTxSubmitted(tx: TxId, node: NodeId, time: Micros): void {
    this.metrics.txSubmitted(tx, node, time);
  }

  onTxAccepted(tx: TxId, node: NodeId, time: Micros): void {
    this.metrics.txAccepted(tx, node, time);
  }

  onTxRejected(tx: TxId, node: NodeId, time: Micros): void {
    this.metrics.txRejected?.(tx, node, time);
  }

  onOrphansReissued(count: number, node: NodeId): void {
    this.metrics.count?.('orphansReissued', count, node);
  }

  onDrop(reason: DagDropReason, node: NodeId): void {
    this.metrics.count?.(`drops.${reason}`, 1, node);
  }

  /** Recovery of a restarted node (as MetricsObserver.onBootstrapped for Snowman). */
  onBootstrapped(o: DagBootstrapOutcome, node: NodeId, time: Micros): void {
    this.metrics.nodeBootstrapped?.(node, time - o.durationUs, time);
    const ms = o.durationUs / 1000;
    this.metrics.observe?.('bootstrapMs', ms, node);
    this.metrics.count?.(`bootstrapMs.node${node}`, ms, node);
    this.metrics.count?.('bootstrapVerticesFetched', o.fetched, node);
    this.metrics.count?.('bootstrapVerticesAccepted', o.executed, node);
    this.metrics.count?.('bootstraps', 1, node);
  }
}
