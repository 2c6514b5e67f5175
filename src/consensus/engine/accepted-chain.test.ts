import { describe, expect, it } from 'vitest';
import type { Block, BlockId } from '../snowman/block.js';
import { AcceptedChain, type AcceptedStore } from './accepted-chain.js';

const block = (height: number): Block => ({ id: height * 10, parent: (height - 1) * 10, height, proposer: 0, txs: [], sizeBytes: 0, builtAt: 0 });
const genesis: Block = { id: 0, parent: -1, height: 0, proposer: -1, txs: [], sizeBytes: 0, builtAt: 0 };

/** A store as the real node's: every accepted block, by height and id, counting its reads. */
class MapStore implements AcceptedStore {
  readonly byHeight = new Map<number, Block>();
  reads = 0;
  put(b: Block): void {
    this.byHeight.set(b.height, b);
  }
  blockAt(height: number): Block | undefined {
    this.reads++;
    return this.byHeight.get(height);
  }
  heightOf(id: BlockId): number | undefined {
    this.reads++;
    return id % 10 === 0 && this.byHeight.has(id / 10) ? id / 10 : undefined;
  }
}

describe('AcceptedChain', () => {
  it('serves every accepted block (older than the indexed window by a scan), and refuses a block at the wrong height', () => {
    const c = new AcceptedChain(genesis, 2);
    for (let h = 1; h <= 4; h++) c.append(block(h), 7);
    expect([c.height, c.last().id, c.at(2)?.id]).toEqual([4, 40, 20]);
    expect([0, 10, 20, 30, 40].map((id) => c.servableBlock(id)?.height)).toEqual([0, 1, 2, 3, 4]);
    expect(c.servableBlock(55)).toBeUndefined();
    expect(() => c.append(block(6), 7)).toThrow(/^SnowmanNode 7: accepted block 60 at height 6, expected 5$/);
  });

  it('backed by a store: holds at most twice the indexed depth in memory and answers every lookup as the in-memory chain does', () => {
    const store = new MapStore();
    const windowed = new AcceptedChain(genesis, 4, store);
    const whole = new AcceptedChain(genesis, 4);
    let most = 0;
    for (let h = 1; h <= 1_000; h++) {
      store.put(block(h));
      windowed.append(block(h), 1);
      whole.append(block(h), 1);
      most = Math.max(most, windowed.inMemory);
    }
    expect([most, windowed.inMemory >= 4, whole.inMemory]).toEqual([8, true, 1_000]);
    expect([windowed.height, windowed.last().id]).toEqual([1_000, 10_000]);
    for (let h = -1; h <= 1_001; h++) expect(windowed.at(h)).toEqual(whole.at(h));
    for (let id = -5; id <= 10_010; id += 5) expect(windowed.servableBlock(id)).toEqual(whole.servableBlock(id));
    // The indexed newest blocks need no store read.
    store.reads = 0;
    for (let h = 997; h <= 1_000; h++) windowed.servableBlock(h * 10);
    expect(store.reads).toBe(0);
    expect(() => windowed.all()).toThrow(/backed by a store/);
  });

  it('backed by a store: restores from the tail of a long chain, whose first block must extend the stored block below it', () => {
    const store = new MapStore();
    for (let h = 1; h <= 50; h++) store.put(block(h));
    const c = new AcceptedChain(genesis, 4, store);
    for (let h = 45; h <= 50; h++) c.restore(block(h), 3);
    expect([c.height, c.inMemory, c.at(10)?.id, c.servableBlock(120)?.height]).toEqual([50, 6, 100, 12]);
    c.append(block(51), 3);
    expect(c.last().id).toBe(510);
    const wrong = new AcceptedChain(genesis, 4, store);
    expect(() => wrong.restore({ ...block(45), parent: 999 }, 3)).toThrow(/^SnowmanNode 3: restored block 450 at height 45: its parent 999 is not the stored block at height 44$/);
    // Without a store a tail cannot be restored.
    expect(() => new AcceptedChain(genesis, 4).restore(block(45), 3)).toThrow(/^SnowmanNode 3: restored block 450 at height 45 does not extend block 0 at height 0$/);
  });
});
