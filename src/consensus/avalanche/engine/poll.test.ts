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

/** AvalancheGo's Finished() as written: scan every vertex, union the voters of those below alpha. */
function referenceFinished(alpha: number, pending: number, answers: ReadonlyArray<{ votes: readonly number[]; slots: number }>): boolean {
  if (pending === 0) return true;
  if (pending > alpha) return false;
  const count = new Map<number, number>();
  for (const a of answers) for (const id of new Set(a.votes)) count.set(id, (count.get(id) ?? 0) + a.slots);
  let partial = 0;
  for (const a of answers) if (a.votes.some((id) => count.get(id)! < alpha)) partial += a.slots;
  return partial + pending < alpha;
}

describe('DagPoll incremental partial votes', () => {
  it('agrees with the full scan after every vote of 2,000 random polls', () => {
    let seed = 12345;
    // mulberry32
    const next = (n: number): number => {
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return (((t ^ (t >>> 14)) >>> 0) % n);
    };
    let checked = 0;
    let early = 0;
    for (let round = 0; round < 2_000; round++) {
      const k = 1 + next(20);
      const alpha = Math.floor(k / 2) + 1 + next(k - Math.floor(k / 2));
      const sample = Array.from({ length: k }, () => next(24));
      const p = new DagPoll(alpha, sample);
      const answers: Array<{ votes: number[]; slots: number }> = [];
      for (const vdr of new Set(sample)) {
        const votes = Array.from({ length: next(4) }, () => next(5));
        p.vote(vdr, votes);
        if (votes.length > 0) answers.push({ votes, slots: sample.filter((x) => x === vdr).length });
        const pending = sample.length - p.result().length;
        const want = referenceFinished(alpha, pending, answers);
        expect(p.finished()).toBe(want);
        checked++;
        if (want && pending > 0) early++;
      }
    }
    expect(checked).toBeGreaterThan(10_000);
    expect(early).toBeGreaterThan(100); // early termination exercised, not only full polls
  });
});
