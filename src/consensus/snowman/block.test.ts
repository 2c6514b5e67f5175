import { describe, expect, it } from 'vitest';
import { blockIdOf, GENESIS_ID, ID_STRIDE, proposerOfBlockId, txIdOf } from './block.js';

describe('block and tx ids', () => {
  it('interleave owners: counter · 2^17 + owner (+1 for blocks), genesis 0 never produced', () => {
    expect(blockIdOf(0, 1)).toBe(ID_STRIDE + 1);
    expect(blockIdOf(999, 3)).toBe(3 * 131_072 + 1_000);
    expect(txIdOf(999, 3)).toBe(3 * 131_072 + 999);
    expect(blockIdOf(0, 0)).not.toBe(GENESIS_ID);
  });

  it('are unique per (owner, counter) and give back the proposer', () => {
    const seen = new Set<number>();
    for (const owner of [0, 1, 7, 9_999, 99_999]) {
      for (const counter of [1, 2, 8_191, 8_192, 2 ** 36 - 1]) {
        const id = blockIdOf(owner, counter);
        expect(Number.isSafeInteger(id)).toBe(true);
        expect(proposerOfBlockId(id)).toBe(owner);
        seen.add(id);
      }
    }
    expect(seen.size).toBe(25);
  });

  it('stay small integers (< 2^30) at 10,000 nodes while counters are below 8,192', () => {
    expect(blockIdOf(9_999, 8_191)).toBeLessThan(2 ** 30);
    expect(txIdOf(99_999, 8_191)).toBeLessThan(2 ** 30);
    expect(blockIdOf(0, 8_192)).toBeGreaterThan(2 ** 30);
  });

  it('reject owners and counters outside their ranges, naming the field', () => {
    expect(() => blockIdOf(-1, 1)).toThrow(/id owner/);
    expect(() => txIdOf(ID_STRIDE, 1)).toThrow(/id owner/);
    expect(() => blockIdOf(0, 2 ** 36)).toThrow(/id counter/);
    expect(() => txIdOf(0, Number.NaN)).toThrow(/id counter/);
  });
});
