import { describe, expect, it } from 'vitest';
import type { Block } from '../snowman/block.js';
import { AcceptedChain } from './accepted-chain.js';

const block = (height: number): Block => ({ id: height * 10, parent: (height - 1) * 10, height, proposer: 0, txs: [], sizeBytes: 0, builtAt: 0 });
const genesis: Block = { id: 0, parent: -1, height: 0, proposer: -1, txs: [], sizeBytes: 0, builtAt: 0 };

describe('AcceptedChain', () => {
  it('serves every accepted block (older than the indexed window by a scan), and refuses a block at the wrong height', () => {
    const c = new AcceptedChain(genesis, 2);
    for (let h = 1; h <= 4; h++) c.append(block(h), 7);
    expect([c.height, c.last().id, c.at(2)?.id]).toEqual([4, 40, 20]);
    expect([0, 10, 20, 30, 40].map((id) => c.servableBlock(id)?.height)).toEqual([0, 1, 2, 3, 4]);
    expect(c.servableBlock(55)).toBeUndefined();
    expect(() => c.append(block(6), 7)).toThrow(/^SnowmanNode 7: accepted block 60 at height 6, expected 5$/);
  });
});
