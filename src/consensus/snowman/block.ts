/**
 * Snowman blocks as the simulator sees them: identity, ancestry, payload size.
 * Ids are integers so that hot paths stay flat; they are made unique per run by
 * construction (see blockIdOf / txIdOf).
 */
import type { Micros, NodeId } from '../host.js';

export type BlockId = number;
export type TxId = number;

/** Id of the genesis block; height 0, accepted by every node at start. */
export const GENESIS_ID: BlockId = 0;

export interface Block {
  readonly id: BlockId;
  readonly parent: BlockId;
  readonly height: number;
  readonly proposer: NodeId;
  readonly txs: readonly TxId[];
  /** Serialized size in bytes (header + transactions with their signatures). */
  readonly sizeBytes: number;
  /** When the proposer built it (for per-node finality latency). */
  readonly builtAt: Micros;
}

/**
 * Unique block id from (proposer, proposer-local counter). Counter < 2^32 and
 * proposer < 2^20 keep ids below 2^53 (safe integers). Counter 0 is never used
 * so that id 0 stays reserved for genesis.
 */
export function blockIdOf(proposer: NodeId, counter: number): BlockId {
  return (proposer + 1) * 2 ** 32 + counter;
}

/** Unique transaction id from (submitting node, node-local counter). */
export function txIdOf(submitter: NodeId, counter: number): TxId {
  return submitter * 2 ** 32 + counter;
}

export function proposerOfBlockId(id: BlockId): NodeId {
  return Math.floor(id / 2 ** 32) - 1;
}
