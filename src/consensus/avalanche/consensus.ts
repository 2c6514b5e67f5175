/**
 * The Avalanche DAG consensus interface (AvalancheGo snow/consensus/avalanche
 * consensus.go, pre-linearisation): a DAG of processing vertices above the
 * accepted ones, a conflict graph of their transactions, transitive voting.
 * Implemented by Topological (topological.ts).
 */
import type { TxStatus } from './conflict-graph.js';
import type { DagTx, DagVertex, TxId, VertexId } from './vertex.js';

/**
 * One finished poll: responses[i] are the vertices responder slot i voted
 * for (its preferred frontier, bubbled to issued vertices by the engine).
 * A validator that filled several sample slots appears once per slot; an
 * empty list is a slot that did not vote. Each slot counts at most once for
 * any vertex or transaction, however many of the vertices it names lead there
 * (AvalancheGo's UniqueBag of voter bits).
 */
export type PollResponses = readonly (readonly VertexId[])[];

export type VertexStatus = TxStatus;

/** What one add or recordPoll decided, each list in decision order. */
export interface DagDecisions<V extends DagVertex> {
  readonly acceptedVertices: readonly V[];
  readonly rejectedVertices: readonly V[];
  readonly acceptedTxs: readonly DagTx[];
  /** For each accepted transaction, how many processing transactions it conflicted with (its conflict set is one more). */
  readonly acceptedTxConflicts: readonly number[];
  readonly rejectedTxs: readonly DagTx[];
}

export interface DagConsensus<V extends DagVertex> {
  /** Processing vertices. */
  numProcessing(): number;
  /** Processing transactions. */
  numProcessingTxs(): number;
  /** No processing transaction conflicts with this one (AvalancheGo IsVirtuous). */
  isVirtuous(tx: DagTx): boolean;
  /**
   * Adds a vertex whose parents are all processing or decided (throws
   * otherwise). A no-op for a vertex added or decided before. Adding can
   * decide: a vertex whose parents are accepted and whose transactions are
   * already accepted is accepted at once.
   */
  add(vtx: V): DagDecisions<V>;
  vertexStatus(id: VertexId): VertexStatus;
  txStatus(id: TxId): TxStatus;
  /** Processing or decided (AvalancheGo VertexIssued). */
  vertexIssued(id: VertexId): boolean;
  /** Some added vertex carried it (AvalancheGo TxIssued). */
  txIssued(id: TxId): boolean;
  /** Virtuous transactions not in any preferred vertex: the engine re-issues them. */
  orphans(): ReadonlySet<TxId>;
  /** Frontier of strongly virtuous vertices (parents for new vertices). */
  virtuous(): ReadonlySet<VertexId>;
  /** Frontier of strongly preferred vertices (what chits name). */
  preferences(): ReadonlySet<VertexId>;
  /** Accepted vertices with no accepted child (AvalancheGo Manager.Edge). */
  acceptedFrontier(): ReadonlySet<VertexId>;
  recordPoll(responses: PollResponses): DagDecisions<V>;
  /** True when no virtuous transaction is still being voted on: the engine may stop polling. */
  quiesce(): boolean;
  /** Every added transaction is decided (or not preferred). */
  finalized(): boolean;
}
