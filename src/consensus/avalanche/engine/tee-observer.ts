/** Forwards every DAG node report to two observers (the run's metrics and, e.g., a test's recorder). */
import type { Micros, NodeId } from '../../host.js';
import type { TxId } from '../vertex.js';
import type { AvaTx, Vertex } from './messages.js';
import type { DagDropReason, DagNodeObserver, DagPollOutcome } from './observer.js';
import type { DagBootstrapOutcome } from './dag-bootstrapping.js';

export class DagTeeObserver implements DagNodeObserver {
  constructor(
    private readonly a: DagNodeObserver,
    private readonly b: DagNodeObserver,
  ) {}
  onVertexBuilt(v: Vertex, node: NodeId, time: Micros): void {
    this.a.onVertexBuilt?.(v, node, time);
    this.b.onVertexBuilt?.(v, node, time);
  }
  onVertexIssued(v: Vertex, node: NodeId, time: Micros): void {
    this.a.onVertexIssued?.(v, node, time);
    this.b.onVertexIssued?.(v, node, time);
  }
  onVertexAccepted(v: Vertex, count: number, node: NodeId, time: Micros): void {
    this.a.onVertexAccepted?.(v, count, node, time);
    this.b.onVertexAccepted?.(v, count, node, time);
  }
  onVertexRejected(v: Vertex, node: NodeId, time: Micros): void {
    this.a.onVertexRejected?.(v, node, time);
    this.b.onVertexRejected?.(v, node, time);
  }
  onTxDecidedAccepted(tx: AvaTx, conflicts: number, node: NodeId, time: Micros): void {
    this.a.onTxDecidedAccepted?.(tx, conflicts, node, time);
    this.b.onTxDecidedAccepted?.(tx, conflicts, node, time);
  }
  onTxDecidedRejected(tx: AvaTx, node: NodeId, time: Micros): void {
    this.a.onTxDecidedRejected?.(tx, node, time);
    this.b.onTxDecidedRejected?.(tx, node, time);
  }
  onPollFinished(outcome: DagPollOutcome, node: NodeId, time: Micros): void {
    this.a.onPollFinished?.(outcome, node, time);
    this.b.onPollFinished?.(outcome, node, time);
  }
  onTxSubmitted(tx: TxId, node: NodeId, time: Micros): void {
    this.a.onTxSubmitted?.(tx, node, time);
    this.b.onTxSubmitted?.(tx, node, time);
  }
  onTxAccepted(tx: TxId, node: NodeId, time: Micros): void {
    this.a.onTxAccepted?.(tx, node, time);
    this.b.onTxAccepted?.(tx, node, time);
  }
  onTxRejected(tx: TxId, node: NodeId, time: Micros): void {
    this.a.onTxRejected?.(tx, node, time);
    this.b.onTxRejected?.(tx, node, time);
  }
  onOrphansReissued(count: number, node: NodeId, time: Micros): void {
    this.a.onOrphansReissued?.(count, node, time);
    this.b.onOrphansReissued?.(count, node, time);
  }
  onDrop(reason: DagDropReason, node: NodeId, time: Micros): void {
    this.a.onDrop?.(reason, node, time);
    this.b.onDrop?.(reason, node, time);
  }
  onBootstrapped(o: DagBootstrapOutcome, node: NodeId, time: Micros): void {
    this.a.onBootstrapped?.(o, node, time);
    this.b.onBootstrapped?.(o, node, time);
  }
}
