/**
 * A node's mempool: transactions waiting to be included, in arrival order
 * (the order is the node's own processing order, hence deterministic).
 *
 * A transaction stays in the mempool while blocks that include it are only
 * processing; it leaves when a block that includes it is accepted. If that
 * block is rejected, the transaction is still here and can be included again.
 * Recently accepted ids are remembered (bounded) so that late gossip does not
 * bring them back.
 *
 * The node's state of each transaction lives in the run-wide TxRegistry (two
 * bits in the transaction's row, tx-registry.ts); what stays here per node is
 * the arrival order of the pending ones (4 bytes each) and the FIFO of the
 * remembered accepted ones as references to the accepted blocks' own
 * transaction lists (one entry per accepted block, not per transaction).
 */
import type { TxId } from '../snowman/block.js';
import { TxRegistry } from './tx-registry.js';

export interface MempoolLimits {
  /** Most transactions held; arrivals beyond it are refused. */
  readonly maxTxs: number;
  /** How many accepted tx ids are remembered to refuse late gossip. */
  readonly acceptedMemory: number;
}

export const DEFAULT_MEMPOOL_LIMITS: MempoolLimits = { maxTxs: 100_000, acceptedMemory: 100_000 };

export type AddResult = 'added' | 'duplicate' | 'already-accepted' | 'full';

/**
 * A node's states in the registry. An arrival-order entry is live iff its
 * row's state is PENDING. ACCEPTED_STALE is an accepted id whose entry from
 * its pending time is still in the arrival order (dead); it becomes ACCEPTED
 * when that entry is dropped. Every dead entry's row is ACCEPTED_STALE between
 * calls, so a transaction that becomes pending again never meets an old entry
 * of itself that would look live.
 */
const ABSENT = 0;
const PENDING = 1;
const ACCEPTED = 2;
const ACCEPTED_STALE = 3;
/** Bound on both limits. */
const MAX_POOL = 1 << 24;
/** Dead entries (or consumed FIFO chunks) tolerated before compacting. */
const SLACK = 4096;

export class Mempool {
  private readonly reg: TxRegistry;
  /** This node's member index in the registry. */
  private readonly m: number;
  /** Rows of the pending ids in arrival order from `orderHead` to `orderLen`; dead entries are skipped. */
  private order = new Int32Array(64);
  private orderHead = 0;
  private orderLen = 0;
  private pending = 0;
  /**
   * FIFO of accepted ids, for forgetting them after `acceptedMemory`: chunk c
   * holds ids chunks[c][0 .. chunkLen[c]) (an accepted block's own tx list
   * when every id of it was taken in, else a list of its own).
   */
  private chunks: (readonly TxId[])[] = [];
  private chunkLen: number[] = [];
  private chunkHead = 0;
  private headPos = 0;
  private remembered = 0;
  private refusedFull = 0;

  /**
   * `registry` is shared by the nodes of one engine, `member` this node's
   * index in it (its node id); without one the mempool has a private
   * registry of one member.
   */
  constructor(
    private readonly limits: MempoolLimits = DEFAULT_MEMPOOL_LIMITS,
    registry?: TxRegistry,
    member = 0,
  ) {
    if (!Number.isSafeInteger(limits.maxTxs) || limits.maxTxs < 1 || limits.maxTxs > MAX_POOL) {
      throw new RangeError(`mempool.maxTxs must be an integer in [1, ${MAX_POOL}], got ${limits.maxTxs}`);
    }
    if (!Number.isSafeInteger(limits.acceptedMemory) || limits.acceptedMemory < 0 || limits.acceptedMemory > MAX_POOL) {
      throw new RangeError(`mempool.acceptedMemory must be an integer in [0, ${MAX_POOL}], got ${limits.acceptedMemory}`);
    }
    this.reg = registry ?? new TxRegistry(1);
    if (!Number.isSafeInteger(member) || member < 0 || member >= this.reg.members) {
      throw new RangeError(`mempool member must be an index in [0, ${this.reg.members}) of its registry, got ${member}`);
    }
    this.m = member;
  }

  get size(): number {
    return this.pending;
  }

  /** Transactions refused because the pool was full. */
  get refusedWhenFull(): number {
    return this.refusedFull;
  }

  private stateOf(tx: TxId): number {
    const row = this.reg.find(tx);
    return row < 0 ? ABSENT : this.reg.state(row, this.m);
  }

  has(tx: TxId): boolean {
    return this.stateOf(tx) === PENDING;
  }

  add(tx: TxId): AddResult {
    const reg = this.reg;
    let row = reg.find(tx);
    if (row >= 0) {
      const s = reg.state(row, this.m);
      if (s === PENDING) return 'duplicate';
      if (s !== ABSENT) return 'already-accepted';
    }
    if (this.pending >= this.limits.maxTxs) {
      this.refusedFull++;
      return 'full';
    }
    if (row < 0) row = reg.insert(tx);
    reg.setState(row, this.m, PENDING);
    if (this.orderLen === this.order.length) this.growOrder();
    this.order[this.orderLen++] = row;
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
    const reg = this.reg;
    const m = this.m;
    const order = this.order;
    while (this.orderHead < this.orderLen) {
      const row = order[this.orderHead]!;
      const s = reg.state(row, m);
      if (s === PENDING) break;
      if (s === ACCEPTED_STALE) reg.setState(row, m, ACCEPTED);
      this.orderHead++;
    }
    for (let i = this.orderHead; i < this.orderLen; i++) {
      const row = order[i]!;
      if (reg.state(row, m) !== PENDING) continue;
      const tx = reg.txOf(row);
      if (exclude.has(tx)) continue;
      out.push(tx);
      if (out.length >= max) break;
    }
    return out;
  }

  /**
   * A block that includes these transactions was accepted. `txs` is kept by
   * reference (a block's list: immutable); do not change it afterwards.
   */
  markAccepted(txs: readonly TxId[]): void {
    const remember = this.limits.acceptedMemory;
    const reg = this.reg;
    const m = this.m;
    let compact = false;
    /** This call's FIFO chunk, once it has one. */
    let c = -1;
    let literal: TxId[] | undefined;
    for (let i = 0; i < txs.length; i++) {
      const tx = txs[i]!;
      let row = reg.find(tx);
      const s = row < 0 ? ABSENT : reg.state(row, m);
      if (s === ACCEPTED || s === ACCEPTED_STALE) continue;
      let next: number;
      if (s === PENDING) {
        this.pending--;
        if (remember === 0) {
          reg.setState(row, m, ABSENT);
          compact = true; // its entry is dead and its state no longer says so
          continue;
        }
        next = ACCEPTED_STALE;
      } else {
        if (remember === 0) continue;
        next = ACCEPTED;
        if (row < 0) row = reg.insert(tx);
      }
      reg.setState(row, m, next);
      // Append to the FIFO: by reference to `txs` while every id so far was taken in order.
      if (c < 0) {
        c = this.chunks.length;
        if (i === 0) {
          this.chunks.push(txs);
        } else {
          literal = [];
          this.chunks.push(literal);
        }
        this.chunkLen.push(0);
      } else if (literal === undefined && this.chunkLen[c] !== i) {
        literal = txs.slice(0, this.chunkLen[c]);
        this.chunks[c] = literal;
      }
      if (literal !== undefined) literal.push(tx);
      this.chunkLen[c]!++;
      if (++this.remembered > remember && this.forgetOldest()) compact = true;
    }
    if (this.chunkHead > SLACK && this.chunkHead * 2 > this.chunks.length) {
      this.chunks.splice(0, this.chunkHead);
      this.chunkLen.splice(0, this.chunkHead);
      this.chunkHead = 0;
    }
    const removed = this.orderLen - this.orderHead - this.pending;
    if (compact || (removed > SLACK && removed > this.pending) || (this.orderHead > SLACK && this.orderHead * 2 > this.orderLen)) {
      this.compactOrder();
    }
  }

  /** Forgets the oldest remembered accepted id; true if its old arrival entry may still be in the order. */
  private forgetOldest(): boolean {
    while (this.headPos >= this.chunkLen[this.chunkHead]!) {
      this.chunkHead++;
      this.headPos = 0;
    }
    const tx = this.chunks[this.chunkHead]![this.headPos++]!;
    this.remembered--;
    const row = this.reg.find(tx);
    const s = this.reg.state(row, this.m);
    this.reg.setState(row, this.m, ABSENT);
    return s === ACCEPTED_STALE;
  }

  /** Forget everything (crash: the mempool is in memory only). */
  clear(): void {
    const reg = this.reg;
    const m = this.m;
    // Pending ids are in the order; accepted ones (dead entries included) in the FIFO.
    for (let i = this.orderHead; i < this.orderLen; i++) {
      const row = this.order[i]!;
      if (reg.state(row, m) === PENDING) reg.setState(row, m, ABSENT);
    }
    while (this.remembered > 0) this.forgetOldest();
    this.order = new Int32Array(64);
    this.orderHead = 0;
    this.orderLen = 0;
    this.pending = 0;
    this.chunks = [];
    this.chunkLen = [];
    this.chunkHead = 0;
    this.headPos = 0;
  }

  /** Drops the dead entries of the arrival order (their accepted ids lose the STALE mark). */
  private compactOrder(): void {
    const reg = this.reg;
    const m = this.m;
    const order = this.order;
    let w = 0;
    for (let i = this.orderHead; i < this.orderLen; i++) {
      const row = order[i]!;
      const s = reg.state(row, m);
      if (s === PENDING) order[w++] = row;
      else if (s === ACCEPTED_STALE) reg.setState(row, m, ACCEPTED);
    }
    this.orderHead = 0;
    this.orderLen = w;
    if (order.length > 256 && w * 4 < order.length) this.order = order.slice(0, Math.max(64, w * 2));
  }

  private growOrder(): void {
    const next = new Int32Array(this.order.length * 2);
    next.set(this.order);
    this.order = next;
  }
}
