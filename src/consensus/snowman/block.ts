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
 * Ids interleave owners: id = counter · ID_STRIDE + owner (+1 for blocks).
 * ID_STRIDE exceeds any node id (the scenario schema allows 100,000 nodes), so
 * the owner is recoverable, and ids stay in V8's small-integer range (< 2^30)
 * while an owner's counter is below 2^13 = 8,192 — hours of blocks and of
 * transactions per node in the runs this simulator targets. Small integers
 * make every Map/Set keyed by a block or tx id hash and compare without a
 * boxed double: that was ~17% of a 1,000-node run with owner · 2^32 + counter.
 * Past 8,192 the ids are still unique safe integers (counter < 2^36), only
 * slower.
 */
export const ID_STRIDE = 2 ** 17;
const MAX_COUNTER = 2 ** 36;

/** Unique block id from (proposer, proposer-local counter >= 1). Id 0 stays reserved for genesis. */
export function blockIdOf(proposer: NodeId, counter: number): BlockId {
  return checkedCounter(counter) * ID_STRIDE + checkedOwner(proposer) + 1;
}

/** Unique transaction id from (submitting node, node-local counter). */
export function txIdOf(submitter: NodeId, counter: number): TxId {
  return checkedCounter(counter) * ID_STRIDE + checkedOwner(submitter);
}

/**
 * Owner part of a double spend's id: twins of node n's client transactions
 * are (TWIN_OWNER_OFFSET + n, k) for the k-th twin, so twin ids never collide
 * with client ids and stay dense per owner (which keeps decided-id sets small).
 */
export const TWIN_OWNER_OFFSET = 65_536;
/** Largest node count double spends support (owners must stay below the id stride). */
export const MAX_NODES_WITH_DOUBLE_SPENDS = ID_STRIDE - 1 - TWIN_OWNER_OFFSET;

/** Run-unique id of the k-th twin (k >= 1) of node `node`'s client transactions. */
export function twinTxIdOf(node: NodeId, k: number): TxId {
  if (!(node >= 0 && node < MAX_NODES_WITH_DOUBLE_SPENDS)) {
    throw new RangeError(`twinTxIdOf: node must be in [0, ${MAX_NODES_WITH_DOUBLE_SPENDS}), got ${node}`);
  }
  return txIdOf(TWIN_OWNER_OFFSET + node, k);
}

export function proposerOfBlockId(id: BlockId): NodeId {
  return (id - 1) % ID_STRIDE;
}

function checkedOwner(owner: NodeId): NodeId {
  if (!(owner >= 0 && owner < ID_STRIDE - 1)) throw new RangeError(`id owner must be a node id in [0, ${ID_STRIDE - 1}), got ${owner}`);
  return owner;
}

function checkedCounter(counter: number): number {
  if (!(counter >= 0 && counter < MAX_COUNTER)) throw new RangeError(`id counter must be in [0, 2^36), got ${counter}`);
  return counter;
}
