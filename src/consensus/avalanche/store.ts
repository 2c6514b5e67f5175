/**
 * What a node keeps of decided vertices and transactions: the part of the
 * DAG consensus state that survives a crash (AvalancheGo keeps it in its
 * database), shared by a node's successive Topological instances. Every part
 * is bounded by owners and out-of-order decisions (decided-ids.ts), except
 * the rejected ids, which only conflicts produce.
 */
import { DEFAULT_MAX_OUT_OF_ORDER, DecidedIds } from './decided-ids.js';
import type { TxId, VertexId } from './vertex.js';

/** The engine's vertex, transaction and input counters start at 1 (dag-node.ts `++counter`). */
const FIRST_COUNTER = 1;

export class DagStore {
  /** Accepted and rejected vertices. */
  readonly decidedVertices = new DecidedIds(DEFAULT_MAX_OUT_OF_ORDER, FIRST_COUNTER);
  readonly rejectedVertices = new Set<VertexId>();
  /** Accepted and rejected transactions. */
  readonly decidedTxs = new DecidedIds(DEFAULT_MAX_OUT_OF_ORDER, FIRST_COUNTER);
  readonly rejectedTxs = new Set<TxId>();
  /** Inputs spent by accepted transactions. */
  readonly spentInputs = new DecidedIds(DEFAULT_MAX_OUT_OF_ORDER, FIRST_COUNTER);

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
