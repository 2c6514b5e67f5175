import { describe, expect, it } from 'vitest';
import type { Block, BlockId } from '../../snowman/block.js';
import { ancestorsOf, DEFAULT_ANCESTORS_LIMITS } from './ancestors.js';

function chain(n: number, sizeBytes: number): Map<BlockId, Block> {
  const m = new Map<BlockId, Block>();
  for (let h = 0; h <= n; h++) m.set(h, { id: h, parent: h - 1, height: h, proposer: 0, txs: [], sizeBytes, builtAt: 0 });
  return m;
}

describe('ancestorsOf (getter.go GetAncestors)', () => {
  it("has AvalancheGo's limits: 2,000 containers each way, 4/5 of 2 MiB", () => {
    expect(DEFAULT_ANCESTORS_LIMITS).toEqual({ maxContainersSent: 2_000, maxContainersReceived: 2_000, maxBytes: 1_677_721 });
  });

  it('answers the block and its ancestors newest first, up to 2,000 blocks', () => {
    const c = chain(5_000, 100);
    const a = ancestorsOf(4_500, (id) => c.get(id), DEFAULT_ANCESTORS_LIMITS);
    expect(a).toHaveLength(2_000);
    expect([a[0]!.id, a[1]!.id, a.at(-1)!.id]).toEqual([4_500, 4_499, 2_501]);
  });

  it('stops before the byte bound, counting a 4-byte length per container', () => {
    // 1,677,721 / (10,000 + 4) = 167.7: 167 blocks fit.
    const c = chain(1_000, 10_000);
    expect(ancestorsOf(900, (id) => c.get(id), DEFAULT_ANCESTORS_LIMITS)).toHaveLength(167);
    // The requested block is sent even when it alone is over the bound.
    const big = chain(3, 5_000_000);
    expect(ancestorsOf(3, (id) => big.get(id), DEFAULT_ANCESTORS_LIMITS).map((b) => b.id)).toEqual([3]);
  });

  it('ends at the first block it does not have, and is empty for an unknown block', () => {
    const c = chain(10, 1);
    expect(ancestorsOf(4, (id) => c.get(id), DEFAULT_ANCESTORS_LIMITS).map((b) => b.id)).toEqual([4, 3, 2, 1, 0]);
    expect(ancestorsOf(99, (id) => c.get(id), DEFAULT_ANCESTORS_LIMITS)).toEqual([]);
  });
});
