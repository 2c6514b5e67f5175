import { describe, expect, it } from 'vitest';
import { DagPoll, DagPollSet } from './poll.js';

describe('DagPoll (AvalancheGo early_term_no_traversal.go)', () => {
  it('finishes when every slot answered, a validator filling several slots answering for all of them', () => {
    const p = new DagPoll(3, [1, 2, 2, 3]);
    expect(p.outstanding()).toEqual([1, 2, 3]);
    p.vote(2, [10]);
    expect([p.finished(), p.receivedSlots()]).toEqual([false, 2]);
    p.vote(2, [11]); // a second answer of a validator is ignored
    p.vote(1, [10]);
    p.drop(3);
    expect(p.finished()).toBe(true);
    expect(p.result()).toEqual([[10], [10], [10], []]);
    expect(p.sampleSize).toBe(4);
  });

  it('waits while the pending slots could still bring a vertex below alpha to alpha', () => {
    // K = 5, alpha = 4: two slots voted v1, one v2, two pending.
    const p = new DagPoll(4, [1, 2, 3, 4, 5]);
    p.vote(1, [7]);
    p.vote(2, [7]);
    p.vote(3, [8]);
    // Pending (2) > ... partial = 3 slots below alpha, 3 + 2 >= 4: wait.
    expect(p.finished()).toBe(false);
    p.vote(4, [8]);
    // Partial 4 + pending 1 >= 4: still wait (a shared ancestor could get alpha).
    expect(p.finished()).toBe(false);
    p.drop(5);
    expect(p.finished()).toBe(true);
  });

  it('ends early once the only vertices voted reached alpha and the rest cannot matter', () => {
    const p = new DagPoll(4, [1, 2, 3, 4, 5]);
    for (const v of [1, 2, 3, 4]) p.vote(v, [9, 9]);
    // v9 has 4 >= alpha: its slots are not partial; 0 + 1 pending < 4.
    expect(p.finished()).toBe(true);
  });

  it('counts a validator filling several slots once per slot towards the partial votes', () => {
    // K = 5, alpha = 4: validator 1 fills two slots with a vertex below alpha; 2 + 2 pending >= 4.
    const p = new DagPoll(4, [1, 1, 2, 3, 4]);
    p.vote(1, [7]);
    p.vote(2, [8]);
    expect(p.finished()).toBe(false);
    // Partial 4 (v7 three slots, v8 one) + 1 pending: still wait; every slot in after the drop: finished.
    p.vote(3, [7]);
    expect(p.finished()).toBe(false);
    p.drop(4);
    expect(p.finished()).toBe(true);
  });

  it('never finishes early while more slots are pending than alpha', () => {
    const p = new DagPoll(2, [1, 2, 3, 4, 5]);
    p.vote(1, [3]);
    expect(p.finished()).toBe(false); // 4 pending > alpha 2
  });
});

describe('DagPollSet', () => {
  it('releases results strictly oldest first, a finished younger poll waiting for the older', () => {
    const s = new DagPollSet(1);
    expect(s.add(1, [7], 0)).toBe(true);
    expect(s.add(2, [8], 5)).toBe(true);
    expect(s.add(2, [8], 5)).toBe(false);
    expect(s.vote(2, 8, [100])).toEqual([]);
    expect(s.isOutstanding(1, 7)).toBe(true);
    const out = s.vote(1, 7, [101]);
    expect(out.map((r) => [r.requestId, r.responses, r.startedAt])).toEqual([
      [1, [[101]], 0],
      [2, [[100]], 5],
    ]);
    expect(s.size).toBe(0);
    expect(s.vote(9, 7, [1])).toEqual([]);
  });
});
