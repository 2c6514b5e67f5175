/**
 * What a DAG node reports to the metrics layer; every method optional,
 * called synchronously at the virtual time given.
 */
import type { Micros, NodeId } from '../../host.js';
import type { TxId } from '../vertex.js';
import type { AvaTx, Vertex } from './messages.js';
import type { DagBootstrapOutcome } from './dag-bootstrapping.js';

export interface DagPollOutcome {
  /** Some processing transaction got at least Alpha votes. */
  readonly successful: boolean;
  readonly sampleSize: number;
  readonly receivedSlots: number;
  readonly durationUs: Micros;
}

export type DagDropReason = 'pending-full' | 'get-timeout' | 'mempool-full' | 'poll-refused' | 'unrequested' | 'expired' | 'failed-fast' | 'insufficient-stake';

export interface DagNodeObserver {
  onVertexBuilt?(vertex: Vertex, node: NodeId, time: Micros): void;
  /** A vertex entered this node's consensus. */
  onVertexIssued?(vertex: Vertex, node: NodeId, time: Micros): void;
  /** `count` is how many vertices this node has accepted, this one included. */
  onVertexAccepted?(vertex: Vertex, count: number, node: NodeId, time: Micros): void;
  onVertexRejected?(vertex: Vertex, node: NodeId, time: Micros): void;
  /** A transaction was accepted on this node; `conflicts` processing transactions conflicted with it then. */
  onTxDecidedAccepted?(tx: AvaTx, conflicts: number, node: NodeId, time: Micros): void;
  onTxDecidedRejected?(tx: AvaTx, node: NodeId, time: Micros): void;
  onPollFinished?(outcome: DagPollOutcome, node: NodeId, time: Micros): void;
  /** A client submitted a transaction to this node. */
  onTxSubmitted?(tx: TxId, node: NodeId, time: Micros): void;
  /** A transaction submitted to this node was accepted / rejected here (client-observed). */
  onTxAccepted?(tx: TxId, node: NodeId, time: Micros): void;
  onTxRejected?(tx: TxId, node: NodeId, time: Micros): void;
  /** Orphans (virtuous transactions in no preferred vertex) this node put into a new vertex. */
  onOrphansReissued?(count: number, node: NodeId, time: Micros): void;
  onDrop?(reason: DagDropReason, node: NodeId, time: Micros): void;
  /** A restarted node finished bootstrapping and starts consensus. */
  onBootstrapped?(outcome: DagBootstrapOutcome, node: NodeId, time: Micros): void;
}

export const NO_DAG_OBSERVER: DagNodeObserver = Object.freeze({});
