import { describe, expect, it } from 'vitest';
import type { VertexStatus } from '../consensus.js';
import { bubbleVotes } from './bubble.js';

describe('bubbleVotes (AvalancheGo voter.bubbleVotes)', () => {
  // 1 accepted; 2, 3 processing; 4 held (waiting) on 2 and 5; 5 held on 3; 9 unknown; 6 rejected.
  const status: Record<number, VertexStatus> = { 1: 'accepted', 2: 'processing', 3: 'processing', 6: 'rejected' };
  const held: Record<number, number[]> = { 4: [2, 5], 5: [3] };
  const bubble = (r: number[][]) => bubbleVotes(r, (id) => status[id] ?? 'unknown', (id) => held[id]);

  it('moves votes for held vertices to their processing ancestors, drops decided and unknown ones, once per slot', () => {
    const sorted = bubble([[4], [2, 4], [1, 6, 9], [5, 3]]).map((slot) => slot.toSorted((a, b) => a - b));
    expect(sorted).toEqual([[2, 3], [2, 3], [], [3]]);
  });

  it('returns the responses unchanged when every vote is for a processing vertex', () => {
    const responses = [[2], [3, 2]];
    expect(bubble(responses)).toBe(responses);
  });
});
