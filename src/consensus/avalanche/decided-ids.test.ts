import { describe, expect, it } from 'vitest';
import { ID_STRIDE } from '../snowman/block.js';
import { createStream } from '../../sim/rng.js';
import { DecidedIds } from './decided-ids.js';

const id = (owner: number, counter: number): number => counter * ID_STRIDE + owner;

describe('DecidedIds', () => {
  it('holds one entry per owner when ids are decided in order', () => {
    const d = new DecidedIds();
    for (let c = 0; c < 10_000; c++) for (let o = 0; o < 3; o++) d.add(id(o, c));
    expect(d.size()).toBe(30_000);
    expect(d.heldEntries()).toBe(3);
    expect([d.has(id(1, 9_999)), d.has(id(1, 10_000)), d.has(id(3, 0))]).toEqual([true, false, false]);
  });

  it('with counters numbered from firstCounter, holds one entry per owner (not maxOutOfOrder) and the ids below it exactly', () => {
    const from0 = new DecidedIds();
    const from1 = new DecidedIds(64, 1);
    const addUpTo = (last: number): void => {
      for (const d of [from0, from1]) for (let c = 1; c <= last; c++) for (let o = 1; o <= 3; o++) d.add(id(o, c));
    };
    for (const d of [from0, from1]) d.add(0); // the genesis vertex: owner 0, counter 0
    addUpTo(50);
    // Counting from 0, each owner waits for a counter 0 that never comes, holding every id above it until the
    // 65th forces a jump: up to maxOutOfOrder entries per owner (65,000 per node on a 1,000-node network).
    expect(from0.heldEntries()).toBe(1 + 3 * 51);
    expect(from1.heldEntries()).toBe(1 + 3);
    addUpTo(1_000);
    expect(from1.heldEntries()).toBe(1 + 3);
    expect(from1.size()).toBe(3_001);
    expect([from1.has(0), from1.has(id(2, 0)), from1.has(id(2, 1_000)), from1.has(id(2, 1_001))]).toEqual([true, false, true, false]);
    from1.add(id(2, 0));
    expect([from1.has(id(2, 0)), from1.size()]).toEqual([true, 3_002]);
    expect(() => new DecidedIds(64, -1)).toThrow(/firstCounter must be an integer >= 0/);
  });

  it('keeps out-of-order ids above the watermark until the gap fills, and counts duplicates once', () => {
    const d = new DecidedIds();
    d.add(id(7, 2));
    d.add(id(7, 3));
    d.add(id(7, 3));
    expect([d.has(id(7, 0)), d.has(id(7, 1)), d.has(id(7, 2)), d.has(id(7, 3))]).toEqual([false, false, true, true]);
    expect(d.size()).toBe(2);
    expect(d.heldEntries()).toBe(3);
    d.add(id(7, 0));
    d.add(id(7, 1));
    expect(d.heldEntries()).toBe(1);
    expect(d.has(id(7, 3))).toBe(true);
    expect(d.has(id(7, 4))).toBe(false);
    expect(d.size()).toBe(4);
  });

  it('jumps over a gap that does not fill, remembering it as missing, so membership stays exact', () => {
    const d = new DecidedIds(8);
    // Counter 0 never gets decided; 1..20 do.
    for (let c = 1; c <= 20; c++) d.add(id(0, c));
    expect(d.has(id(0, 0))).toBe(false);
    for (let c = 1; c <= 20; c++) expect(d.has(id(0, c))).toBe(true);
    expect(d.has(id(0, 21))).toBe(false);
    // Bounded: the watermark moved past the gap (1 owner record + 1 missing).
    expect(d.heldEntries()).toBe(2);
    // The gap fills late: still exact.
    d.add(id(0, 0));
    expect(d.has(id(0, 0))).toBe(true);
    expect(d.heldEntries()).toBe(1);
    expect(d.size()).toBe(21);
  });

  it('matches a plain Set on a random out-of-order stream, in bounded memory', () => {
    const rng = createStream(5, 0, 'consensus');
    const d = new DecidedIds(64);
    const ref = new Set<number>();
    let maxHeld = 0;
    // Each id is decided once, up to 30 steps after it was created; 1% never are.
    const due: number[][] = Array.from({ length: 5_030 }, () => []);
    for (let c = 0; c < 5_000; c++) {
      for (let o = 0; o < 4; o++) if (rng.next() >= 0.01) due[c + rng.int(30)]!.push(id(o, c));
    }
    for (const batch of due) {
      for (const x of batch) {
        d.add(x);
        ref.add(x);
      }
      maxHeld = Math.max(maxHeld, d.heldEntries());
    }
    for (let c = 0; c < 5_000; c++) for (let o = 0; o < 5; o++) expect(d.has(id(o, c))).toBe(ref.has(id(o, c)));
    expect(d.size()).toBe(ref.size);
    // ~19,800 decided ids fit in the never-decided gaps (~200) plus the out-of-order window.
    expect(ref.size).toBeGreaterThan(19_500);
    expect(maxHeld).toBeLessThan(600);
  });

  it('rejects a bad bound', () => {
    expect(() => new DecidedIds(0)).toThrow('maxOutOfOrder must be a positive integer (got 0)');
  });
});
