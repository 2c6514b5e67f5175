import { describe, expect, it } from 'vitest';
import { txIdOf, type TxId } from '../snowman/block.js';
import { Mempool, type AddResult } from './mempool.js';
import { TxRegistry } from './tx-registry.js';
import { TxTable } from './tx-table.js';

/** The previous Set-based mempool, kept as the reference the flat one must match step for step. */
class ReferenceMempool {
  private readonly txs = new Set<TxId>();
  private readonly accepted = new Set<TxId>();
  private readonly acceptedOrder: TxId[] = [];
  private acceptedHead = 0;
  constructor(
    private readonly maxTxs: number,
    private readonly acceptedMemory: number,
  ) {}
  get size(): number {
    return this.txs.size;
  }
  add(tx: TxId): AddResult {
    if (this.txs.has(tx)) return 'duplicate';
    if (this.accepted.has(tx)) return 'already-accepted';
    if (this.txs.size >= this.maxTxs) return 'full';
    this.txs.add(tx);
    return 'added';
  }
  select(max: number, exclude: ReadonlySet<TxId>): TxId[] {
    const out: TxId[] = [];
    for (const tx of this.txs) {
      if (out.length >= max) break;
      if (!exclude.has(tx)) out.push(tx);
    }
    return out;
  }
  clear(): void {
    this.txs.clear();
    this.accepted.clear();
    this.acceptedOrder.length = 0;
    this.acceptedHead = 0;
  }
  markAccepted(txs: readonly TxId[]): void {
    for (const tx of txs) {
      this.txs.delete(tx);
      if (this.acceptedMemory === 0 || this.accepted.has(tx)) continue;
      this.accepted.add(tx);
      this.acceptedOrder.push(tx);
      if (this.accepted.size > this.acceptedMemory) this.accepted.delete(this.acceptedOrder[this.acceptedHead++]!);
    }
  }
}

/** Small deterministic generator for the differential runs. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

describe('TxTable', () => {
  it('stores, overwrites and deletes heap-number ids across growth and tombstone rehash', () => {
    const t = new TxTable();
    // Small-integer ids and heap-number ids (what ids become past 2^30) alike.
    const ids = Array.from({ length: 5_000 }, (_, i) => (i % 2 === 0 ? txIdOf(i % 37, i) : 2 ** 40 + i));
    ids.forEach((id, i) => t.set(id, i));
    expect(t.size).toBe(5_000);
    expect(t.get(ids[4_321]!)).toBe(4_321);
    expect(t.get(ids[4_320]!)).toBe(4_320);
    expect(t.get(txIdOf(36, 4_320))).toBe(-1); // same counter, other submitter
    expect(t.get(2 ** 41 + 4_321)).toBe(-1);
    for (let i = 0; i < 5_000; i += 2) expect(t.delete(ids[i]!)).toBe(true);
    expect(t.delete(ids[0]!)).toBe(false);
    expect(t.size).toBe(2_500);
    // Churn through many insert/delete pairs: tombstones force rehashes, live entries survive.
    for (let i = 0; i < 20_000; i++) {
      t.set(txIdOf(99, i), 7);
      t.delete(txIdOf(99, i));
    }
    expect(t.size).toBe(2_500);
    expect(t.get(ids[1]!)).toBe(1);
    expect(t.get(ids[4_999]!)).toBe(4_999);
    expect(t.get(ids[4_998]!)).toBe(-1);
    t.set(ids[1]!, 42);
    expect(t.get(ids[1]!)).toBe(42);
    t.clear();
    expect(t.size).toBe(0);
    expect(t.get(ids[1]!)).toBe(-1);
  });
});

describe('Mempool', () => {
  it('answers add / select / markAccepted exactly as the Set-based reference', () => {
    for (const [maxTxs, memory] of [
      [100_000, 100_000],
      [300, 50],
      [50, 0],
    ] as const) {
      const rnd = lcg(maxTxs + memory);
      const pool = new Mempool({ maxTxs, acceptedMemory: memory });
      const ref = new ReferenceMempool(maxTxs, memory);
      const results: AddResult[] = [];
      for (let step = 0; step < 30_000; step++) {
        const r = rnd();
        const tx = txIdOf(Math.floor(rnd() * 20), 1 + Math.floor(rnd() * 3_000));
        if (r < 0.85) {
          const a = pool.add(tx);
          expect(a).toBe(ref.add(tx));
          results.push(a);
        } else if (r < 0.95) {
          const max = 1 + Math.floor(rnd() * 40);
          const batch = pool.select(max, new Set());
          expect(batch).toEqual(ref.select(max, new Set()));
          // Accept a prefix of what was selected plus an unknown id (a block from elsewhere).
          const acc = [...batch.slice(0, Math.ceil(batch.length / 2)), txIdOf(25, step)];
          pool.markAccepted(acc);
          ref.markAccepted(acc);
        } else {
          const exclude = new Set(ref.select(10, new Set()).filter((_, i) => i % 2 === 0));
          expect(pool.select(30, exclude)).toEqual(ref.select(30, exclude));
        }
        expect(pool.size).toBe(ref.size);
      }
      // Each outcome occurred, so the comparison exercised every branch.
      expect(results).toContain('added');
      expect(results).toContain('duplicate');
      if (memory > 0) expect(results).toContain('already-accepted');
      else expect(results).not.toContain('already-accepted');
      if (maxTxs === 50) expect(results).toContain('full');
    }
  });

  it('nodes sharing one registry each answer exactly as their own reference, through crashes, and the registry frees what nobody holds', () => {
    for (const [maxTxs, memory] of [
      [100_000, 100_000],
      [200, 40],
      [60, 0],
      [500, 3],
    ] as const) {
      const rnd = lcg(7 * maxTxs + memory);
      const nodes = 5;
      const reg = new TxRegistry(nodes);
      const pools = Array.from({ length: nodes }, (_, m) => new Mempool({ maxTxs, acceptedMemory: memory }, reg, m));
      const refs = Array.from({ length: nodes }, () => new ReferenceMempool(maxTxs, memory));
      const seen = new Set<AddResult>();
      for (let step = 0; step < 40_000; step++) {
        const m = Math.floor(rnd() * nodes);
        const pool = pools[m]!;
        const ref = refs[m]!;
        const r = rnd();
        const tx = txIdOf(Math.floor(rnd() * 8), 1 + Math.floor(rnd() * 600));
        if (r < 0.8) {
          const a = pool.add(tx);
          expect(a).toBe(ref.add(tx));
          seen.add(a);
        } else if (r < 0.97) {
          const max = 1 + Math.floor(rnd() * 30);
          const batch = pool.select(max, new Set());
          expect(batch).toEqual(ref.select(max, new Set()));
          // A block: a prefix of the selection, an id nobody has, and sometimes a repeated id.
          const acc = [...batch.slice(0, Math.ceil(batch.length / 2)), txIdOf(9, step)];
          if (rnd() < 0.2 && batch.length > 0) acc.push(batch[0]!);
          if (rnd() < 0.2) acc.unshift(tx);
          pool.markAccepted(acc);
          ref.markAccepted(acc);
        } else if (r < 0.99) {
          const exclude = new Set(ref.select(10, new Set()).filter((_, i) => i % 2 === 0));
          expect(pool.select(30, exclude)).toEqual(ref.select(30, exclude));
        } else {
          pool.clear();
          ref.clear();
        }
        expect(pool.size).toBe(ref.size);
      }
      expect(seen).toContain('added');
      expect(seen).toContain('duplicate');
      if (memory > 0) expect(seen).toContain('already-accepted');
      if (maxTxs === 60) expect(seen).toContain('full');
      for (const p of pools) p.clear();
      expect(reg.size).toBe(0);
    }
  });

  it('keeps arrival order across compaction and refuses accepted ids until they are forgotten', () => {
    const pool = new Mempool({ maxTxs: 100_000, acceptedMemory: 20_000 });
    for (let i = 1; i <= 20_000; i++) pool.add(txIdOf(3, i));
    // Accept the odd ones and the evens up to 4,000: 12,000 removed slots (more than the 8,000 left) compact the arrival order.
    const odd = Array.from({ length: 10_000 }, (_, i) => txIdOf(3, 2 * i + 1));
    const lowEven = Array.from({ length: 2_000 }, (_, i) => txIdOf(3, 2 * i + 2));
    pool.markAccepted([...odd, ...lowEven]);
    expect(pool.size).toBe(8_000);
    expect(pool.select(3, new Set([txIdOf(3, 4_004)]))).toEqual([txIdOf(3, 4_002), txIdOf(3, 4_006), txIdOf(3, 4_008)]);
    expect(pool.add(txIdOf(3, 1))).toBe('already-accepted');
    expect(pool.add(txIdOf(3, 4_002))).toBe('duplicate');
    // 10,000 more acceptances push the first 2,000 out of the accepted memory.
    pool.markAccepted(Array.from({ length: 10_000 }, (_, i) => txIdOf(4, i + 1)));
    expect(pool.add(txIdOf(3, 1))).toBe('added');
    expect(pool.add(txIdOf(3, 4_001))).toBe('already-accepted');
    const all = pool.select(100_000, new Set());
    expect(all.length).toBe(8_001);
    expect(all[0]).toBe(txIdOf(3, 4_002));
    expect(all.at(-1)).toBe(txIdOf(3, 1));
  });

  it('rejects limits outside their bounds with the field name', () => {
    expect(() => new Mempool({ maxTxs: 0, acceptedMemory: 0 })).toThrow(/mempool.maxTxs/);
    expect(() => new Mempool({ maxTxs: 10, acceptedMemory: 2 ** 30 })).toThrow(/mempool.acceptedMemory/);
  });
});
