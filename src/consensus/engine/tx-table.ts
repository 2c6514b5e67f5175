/**
 * A flat open-addressing hash table from transaction id to a small state
 * (pending with its arrival slot, or accepted): the mempool's index.
 *
 * Why not a Set<TxId>: every node sees every transaction about fanout
 * times, so this lookup runs millions of times per simulated second; with
 * the former ids (owner · 2^32 + counter, heap numbers) two Sets of them were
 * a quarter of a 1,000-node run. Here keys sit inline in a Float64Array,
 * whatever the id's size, and a lookup is a hash and a few array reads.
 *
 * Linear probing with tombstones; the table doubles (or rehashes in place
 * when mostly tombstones) at half load, so probes stay short. Nothing here
 * iterates in hash order: callers keep their own order, so the table's
 * layout can never leak into a run's behaviour.
 */
import type { TxId } from '../snowman/block.js';

/** Value of a bucket never used; a deleted one (tombstone) is DELETED; live values are >= 0. */
const EMPTY = -1;
const DELETED = -2;

/** Most entries one table holds (a mempool bounds it far lower). */
const MAX_ENTRIES = 1 << 26;
const MIN_CAPACITY = 64;

export class TxTable {
  /**
   * Bucket b is data[2b] (the id) and data[2b + 1] (its value, or EMPTY /
   * DELETED): one cache line per probe, which matters because a thousand
   * nodes' tables do not fit in any cache.
   */
  private data: Float64Array;
  private mask: number;
  private live = 0;
  private used = 0; // live + tombstones

  constructor(initialCapacity = MIN_CAPACITY) {
    let cap = MIN_CAPACITY;
    while (cap < initialCapacity * 2) cap *= 2;
    this.data = new Float64Array(cap * 2).fill(EMPTY);
    this.mask = cap - 1;
  }

  get size(): number {
    return this.live;
  }

  /** The value stored for `id`, or -1 if absent. Values are non-negative. */
  get(id: TxId): number {
    const b = this.find(id);
    return b < 0 ? -1 : this.data[2 * b + 1]!;
  }

  /** Insert or overwrite. `value` must be a non-negative integer. */
  set(id: TxId, value: number): void {
    const found = this.find(id);
    if (found >= 0) {
      this.data[2 * found + 1] = value;
      return;
    }
    if ((this.used + 1) * 2 > this.mask + 1) this.grow();
    const data = this.data;
    const mask = this.mask;
    // The probe path ends at an empty bucket; reuse the first tombstone on it.
    let b = hashOf(id) & mask;
    while (data[2 * b + 1]! >= 0) b = (b + 1) & mask;
    if (data[2 * b + 1] === EMPTY) this.used++;
    data[2 * b] = id;
    data[2 * b + 1] = value;
    this.live++;
  }

  /** Remove `id`; false if it was absent. */
  delete(id: TxId): boolean {
    const b = this.find(id);
    if (b < 0) return false;
    this.data[2 * b + 1] = DELETED;
    this.live--;
    return true;
  }

  clear(): void {
    if (this.used === 0) return;
    this.data.fill(EMPTY);
    this.live = 0;
    this.used = 0;
  }

  private find(id: TxId): number {
    const data = this.data;
    const mask = this.mask;
    let b = hashOf(id) & mask;
    for (;;) {
      const v = data[2 * b + 1]!;
      if (v === EMPTY) return -1;
      if (v >= 0 && data[2 * b] === id) return b;
      b = (b + 1) & mask;
    }
  }

  private grow(): void {
    // Mostly tombstones: rehash at the same size; otherwise double.
    const oldCap = this.mask + 1;
    const cap = this.live * 4 > oldCap ? oldCap * 2 : oldCap;
    if (this.live >= MAX_ENTRIES) throw new RangeError(`TxTable: more than ${MAX_ENTRIES} entries`);
    const old = this.data;
    const data = new Float64Array(cap * 2).fill(EMPTY);
    const mask = cap - 1;
    for (let i = 0; i < oldCap; i++) {
      const v = old[2 * i + 1]!;
      if (v < 0) continue;
      const id = old[2 * i]!;
      let b = hashOf(id) & mask;
      while (data[2 * b + 1] !== EMPTY) b = (b + 1) & mask;
      data[2 * b] = id;
      data[2 * b + 1] = v;
    }
    this.data = data;
    this.mask = mask;
    this.used = this.live;
  }
}

/** Mixes both 32-bit halves of an integer id (ids are sequential per submitter). */
function hashOf(id: number): number {
  const lo = id >>> 0;
  const hi = Math.floor(id / 4294967296) | 0;
  let h = Math.imul(lo ^ Math.imul(hi, 0x9e3779b1), 0x85ebca6b);
  h ^= h >>> 15;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 13)) >>> 0;
}
