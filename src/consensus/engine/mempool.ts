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

export interface MempoolLimits {
  /** Most transactions held; arrivals beyond it are refused. */
  readonly maxTxs: number;
  /** How many accepted tx ids are remembered to refuse late gossip. */
  readonly acceptedMemory: number;
}

export const DEFAULT_MEMPOOL_LIMITS: MempoolLimits = { maxTxs: 100_000, acceptedMemory: 100_000 };

export type AddResult = 'added' | 'duplicate' | 'already-accepted' | 'full';

export class Mempool {
  private readonly txs = new Set<TxId>();
  private readonly accepted = new Set<TxId>();
  /** FIFO of accepted ids, for eviction from `accepted`. */
  private readonly acceptedOrder: TxId[] = [];
  private acceptedHead = 0;
  private refusedFull = 0;

  constructor(private readonly limits: MempoolLimits = DEFAULT_MEMPOOL_LIMITS) {
    if (!Number.isSafeInteger(limits.maxTxs) || limits.maxTxs < 1) {
      throw new RangeError(`mempool.maxTxs must be a positive integer, got ${limits.maxTxs}`);
    }
    if (!Number.isSafeInteger(limits.acceptedMemory) || limits.acceptedMemory < 0) {
      throw new RangeError(`mempool.acceptedMemory must be a non-negative integer, got ${limits.acceptedMemory}`);
    }
  }

  get size(): number {
    return this.txs.size;
  }

  /** Transactions refused because the pool was full. */
  get refusedWhenFull(): number {
    return this.refusedFull;
  }

  has(tx: TxId): boolean {
    return this.txs.has(tx);
  }

  add(tx: TxId): AddResult {
    if (this.txs.has(tx)) return 'duplicate';
    if (this.accepted.has(tx)) return 'already-accepted';
    if (this.txs.size >= this.limits.maxTxs) {
      this.refusedFull++;
      return 'full';
    }
    this.txs.add(tx);
    return 'added';
  }

  /**
   * Up to `max` transactions in arrival order, skipping those in `exclude`
   * (the transactions of the processing blocks the new block would extend).
   */
  select(max: number, exclude: ReadonlySet<TxId>): TxId[] {
    const out: TxId[] = [];
    if (max <= 0) return out;
    for (const tx of this.txs) {
      if (exclude.has(tx)) continue;
      out.push(tx);
      if (out.length >= max) break;
    }
    return out;
  }

  /** A block that includes these transactions was accepted. */
  markAccepted(txs: readonly TxId[]): void {
    for (const tx of txs) {
      this.txs.delete(tx);
      if (this.limits.acceptedMemory === 0 || this.accepted.has(tx)) continue;
      this.accepted.add(tx);
      this.acceptedOrder.push(tx);
      if (this.accepted.size > this.limits.acceptedMemory) {
        const old = this.acceptedOrder[this.acceptedHead++]!;
        this.accepted.delete(old);
      }
    }
    // Compact the FIFO now and then so it does not grow without bound.
    if (this.acceptedHead > 4096 && this.acceptedHead * 2 > this.acceptedOrder.length) {
      this.acceptedOrder.splice(0, this.acceptedHead);
      this.acceptedHead = 0;
    }
  }

  /** Forget everything (crash: the mempool is in memory only). */
  clear(): void {
    this.txs.clear();
    this.accepted.clear();
    this.acceptedOrder.length = 0;
    this.acceptedHead = 0;
  }
}
