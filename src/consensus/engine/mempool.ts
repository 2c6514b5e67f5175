/**
 * A node's mempool: transactions waiting to be included, in arrival order
 * (the order is the node's own processing order, hence deterministic).
 *
 * A transaction stays in the mempool while blocks that include it are only
 * processing; it leaves when a block that includes it is accepted. If that
 * block is rejected, the transaction is still here and can be included again.
 * Recently accepted ids are remembered (bounded) so that late gossip does not
 * bring them back.
 */
import type { TxId } from '../snowman/block.js';
import { TxTable } from './tx-table.js';

export interface MempoolLimits {
  /** Most transactions held; arrivals beyond it are refused. */
  readonly maxTxs: number;
  /** How many accepted tx ids are remembered to refuse late gossip. */
  readonly acceptedMemory: number;
}

export const DEFAULT_MEMPOOL_LIMITS: MempoolLimits = { maxTxs: 100_000, acceptedMemory: 100_000 };

export type AddResult = 'added' | 'duplicate' | 'already-accepted' | 'full';

/** Table value of an accepted id; a pending id stores its arrival slot times two (even). */
const ACCEPTED = 1;
/** Marks a removed entry of the arrival order (ids are integers, never NaN). */
const GONE = Number.NaN;
/** Bound on both limits: arrival slots (at most about 2·maxTxs + 8192) times two must stay an int32. */
const MAX_POOL = 1 << 24;

export class Mempool {
  /** Pending and remembered-accepted ids (one state each: an id is never both). */
  private readonly table = new TxTable();
  /** Pending ids in arrival order from `orderHead`; removed ones are GONE. */
  private order: TxId[] = [];
  private orderHead = 0;
  private pending = 0;
  /** FIFO of accepted ids, for eviction from the table. */
  private readonly acceptedOrder: TxId[] = [];
  private acceptedHead = 0;
  private refusedFull = 0;

  constructor(private readonly limits: MempoolLimits = DEFAULT_MEMPOOL_LIMITS) {
    if (!Number.isSafeInteger(limits.maxTxs) || limits.maxTxs < 1 || limits.maxTxs > MAX_POOL) {
      throw new RangeError(`mempool.maxTxs must be an integer in [1, ${MAX_POOL}], got ${limits.maxTxs}`);
    }
    if (!Number.isSafeInteger(limits.acceptedMemory) || limits.acceptedMemory < 0 || limits.acceptedMemory > MAX_POOL) {
      throw new RangeError(`mempool.acceptedMemory must be an integer in [0, ${MAX_POOL}], got ${limits.acceptedMemory}`);
    }
  }

  get size(): number {
    return this.pending;
  }

  /** Transactions refused because the pool was full. */
  get refusedWhenFull(): number {
    return this.refusedFull;
  }

  has(tx: TxId): boolean {
    const v = this.table.get(tx);
    return v >= 0 && v !== ACCEPTED;
  }

  add(tx: TxId): AddResult {
    const v = this.table.get(tx);
    if (v >= 0) return v === ACCEPTED ? 'already-accepted' : 'duplicate';
    if (this.pending >= this.limits.maxTxs) {
      this.refusedFull++;
      return 'full';
    }
    this.table.set(tx, this.order.length * 2);
    this.order.push(tx);
    this.pending++;
    return 'added';
  }

  /**
   * Up to `max` transactions in arrival order, skipping those in `exclude`
   * (the transactions of the processing blocks the new block would extend).
   */
  select(max: number, exclude: ReadonlySet<TxId>): TxId[] {
    const out: TxId[] = [];
    if (max <= 0) return out;
    const order = this.order;
    while (this.orderHead < order.length && Number.isNaN(order[this.orderHead])) this.orderHead++;
    for (let i = this.orderHead; i < order.length; i++) {
      const tx = order[i]!;
      if (Number.isNaN(tx) || exclude.has(tx)) continue;
      out.push(tx);
      if (out.length >= max) break;
    }
    return out;
  }

  /** A block that includes these transactions was accepted. */
  markAccepted(txs: readonly TxId[]): void {
    const remember = this.limits.acceptedMemory;
    for (const tx of txs) {
      const v = this.table.get(tx);
      if (v === ACCEPTED) continue;
      if (v >= 0) {
        this.order[v / 2] = GONE;
        this.pending--;
        if (remember === 0) this.table.delete(tx);
      }
      if (remember === 0) continue;
      this.table.set(tx, ACCEPTED);
      this.acceptedOrder.push(tx);
      if (this.acceptedOrder.length - this.acceptedHead > remember) {
        this.table.delete(this.acceptedOrder[this.acceptedHead++]!);
      }
    }
    // Compact both FIFOs now and then so they do not grow without bound.
    if (this.acceptedHead > 4096 && this.acceptedHead * 2 > this.acceptedOrder.length) {
      this.acceptedOrder.splice(0, this.acceptedHead);
      this.acceptedHead = 0;
    }
    const removed = this.order.length - this.orderHead - this.pending;
    if (removed > 4096 && removed > this.pending) this.compactOrder();
  }

  /** Forget everything (crash: the mempool is in memory only). */
  clear(): void {
    this.table.clear();
    this.order = [];
    this.orderHead = 0;
    this.pending = 0;
    this.acceptedOrder.length = 0;
    this.acceptedHead = 0;
  }

  /** Drop the GONE entries of the arrival order and renumber the table's slots. */
  private compactOrder(): void {
    const live: TxId[] = [];
    for (let i = this.orderHead; i < this.order.length; i++) {
      const tx = this.order[i]!;
      if (Number.isNaN(tx)) continue;
      this.table.set(tx, live.length * 2);
      live.push(tx);
    }
    this.order = live;
    this.orderHead = 0;
  }
}
