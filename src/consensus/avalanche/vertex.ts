/**
 * What the DAG consensus sees of vertices and transactions (AvalancheGo
 * snow/consensus/avalanche/vertex.go and snowstorm/tx.go, reduced to what the
 * algorithm reads). Ids are integers; the engine builds them with the same
 * (owner, counter) scheme as Snowman blocks and transactions (snowman/block.ts),
 * which is what lets decided ids be remembered in bounded memory
 * (decided-ids.ts).
 */
import type { TxId } from '../snowman/block.js';
import { blockIdOf, GENESIS_ID, ID_STRIDE } from '../snowman/block.js';
import type { NodeId } from '../host.js';

export type { TxId } from '../snowman/block.js';
export type VertexId = number;
/** A spendable output (UTXO). Two transactions naming the same input conflict. */
export type InputId = number;

/** The genesis vertex: accepted by every node at start, the initial frontier. */
export const GENESIS_VERTEX_ID: VertexId = GENESIS_ID;

export interface DagTx {
  readonly id: TxId;
  /**
   * Inputs this transaction consumes. Transactions that share an input
   * conflict (a double spend). A transaction without inputs can never conflict
   * and is accepted as soon as it is added (AvalancheGo "vacuously accepted").
   */
  readonly inputs: readonly InputId[];
  /**
   * Transactions whose outputs this one spends (AvalancheGo Tx.Dependencies):
   * it is accepted only after they are, and rejected if one of them is.
   */
  readonly deps: readonly TxId[];
}

export interface DagVertex {
  readonly id: VertexId;
  /** Parent vertices (processing or decided); never empty except for genesis. */
  readonly parents: readonly VertexId[];
  readonly txs: readonly DagTx[];
}

/** Unique vertex id from (issuer, issuer-local counter >= 1); 0 stays genesis. Same layout as Snowman block ids. */
export function vertexIdOf(issuer: NodeId, counter: number): VertexId {
  return blockIdOf(issuer, counter);
}

/** The owner part of any (owner, counter) id: ids of one owner share it. */
export function ownerOfId(id: number): number {
  return id % ID_STRIDE;
}

/** The counter part of any (owner, counter) id. */
export function counterOfId(id: number): number {
  return Math.floor(id / ID_STRIDE);
}
