/**
 * What a node keeps of decided vertices and transactions: the part of the
 * DAG consensus state that survives a crash (AvalancheGo keeps it in its
 * database), shared by a node's successive Topological instances. Every part
 * is bounded by owners and out-of-order decisions (decided-ids.ts), except
 * the rejected ids, which only conflicts produce.
 */
import { DecidedIds } from './decided-ids.js';
import type { TxId, VertexId } from './vertex.js';

export class DagStore {
  /** Accepted and rejected vertices. */
  readonly decidedVertices = new DecidedIds();
  readonly rejectedVertices = new Set<VertexId>();
  /** Accepted and rejected transactions. */
  readonly decidedTxs = new DecidedIds();
  readonly rejectedTxs = new Set<TxId>();
  /** Inputs spent by accepted transactions. */
  readonly spentInputs = new DecidedIds();

  /** Entries held, for memory figures. */
  heldEntries(): number {
    return (
      this.decidedVertices.heldEntries() +
      this.rejectedVertices.size +
      this.decidedTxs.heldEntries() +
      this.rejectedTxs.size +
      this.spentInputs.heldEntries()
    );
  }
}
