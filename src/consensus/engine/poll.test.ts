import { describe, expect, it } from 'vitest';
import type { BlockId } from '../snowman/block.js';
import { DEFAULT_ENGINE_OPTIONS } from './config.js';
import { Poll, type EarlyTermConfig } from './poll.js';
import { PollSet } from './poll-set.js';
import { voteCounts } from './vote-graph.js';

// Block graph: G (last accepted) <- A <- B, and G <- C (A and C conflict).
const G = 100;
const A = 101;
const B = 102;
const C = 103;
const processingParent = new Map<BlockId, BlockId>([
  [A, G],
  [B, A],
  [C, G],
]);
const parentOf = (id: BlockId) => processingParent.get(id);

function cfg(alphaPreference: number, alphaConfidence: number): EarlyTermConfig {
  return { alphaPreference, alphaConfidence, prefixVoteCounts: false, parentOf };
}

describe('Poll early termination (K = 5)', () => {
  const sample = [1, 2, 3, 4, 5];

  it('(1) finishes only when nothing is outstanding if every count could still change', () => {
    const p = new Poll(cfg(3, 4), sample);
    p.vote(1, A);
    p.vote(2, C);
    expect(p.finished()).toBe(false); // A:1+3 >= 3 could still reach alpha
    p.vote(3, A);
    p.vote(4, C);
    expect(p.finished()).toBe(false); // A:2, r=1: 3 reachable
    p.drop(5);
    expect(p.finished()).toBe(true);
    expect(p.terminationReason()).toBe('exhausted');
    expect([...p.result()]).toEqual([
      [A, 2],
      [C, 2],
    ]);
  });

  it('(2) fails early once alphaPreference is unreachable', () => {
    const p = new Poll(cfg(3, 3), sample);
    p.drop(1);
    p.drop(2);
    expect(p.finished()).toBe(false); // 0 + 3 remaining = 3, still reachable
    p.drop(3);
    expect(p.finished()).toBe(true);
    expect(p.terminationReason()).toBe('early-fail');
  });

  it('(3) stops when alphaPreference is reached but alphaConfidence is out of reach', () => {
    const p = new Poll(cfg(3, 5), sample);
    p.vote(1, A);
    p.vote(2, A);
    p.vote(3, A);
    expect(p.finished()).toBe(false); // A:3 + 2 = 5 could reach alphaConfidence
    p.drop(4);
    expect(p.finished()).toBe(true); // A:3 + 1 < 5
    expect(p.terminationReason()).toBe('early-alpha');
  });

  it('(4) stops when alphaConfidence is reached, counting votes transitively', () => {
    const p = new Poll(cfg(3, 4), sample);
    p.vote(1, B);
    p.vote(2, B);
    p.vote(3, A);
    p.vote(4, B);
    // A has 4 (>= alphaConfidence) but B has 3 and one slot left: B could
    // still reach alphaConfidence, so waiting can still improve B's instance.
    expect(p.finished()).toBe(false);
    p.vote(5, B);
    expect(p.finished()).toBe(true);
    expect(p.terminationReason()).toBe('exhausted');
    const q = new Poll(cfg(3, 4), sample);
    q.vote(1, B);
    q.vote(2, B);
    q.vote(3, B);
    expect(q.finished()).toBe(false);
    q.vote(4, B);
    // B, A (transitively, with no direct vote) and G all have 4.
    expect(q.finished()).toBe(true);
    expect(q.terminationReason()).toBe('early-alpha');
  });

  it('a conflicting sibling below alphaPreference still in reach keeps the poll open', () => {
    const p = new Poll(cfg(3, 4), sample);
    p.vote(1, A);
    p.vote(2, A);
    p.vote(3, A);
    p.vote(4, C);
    // A: 3 + 1 = 4 could reach alphaConfidence; C: 1 + 1 < 3 settled; G: 4 settled.
    expect(p.finished()).toBe(false);
  });

  it('counts a validator that filled several slots that many times, once', () => {
    const p = new Poll(cfg(3, 3), [7, 7, 7, 8, 9]);
    p.vote(7, A);
    expect(p.finished()).toBe(true); // A: 3 >= alphaConfidence
    p.vote(7, C); // second answer ignored
    expect(p.result().get(A)).toBe(3);
    expect(p.result().has(C)).toBe(false);
    expect(p.receivedSlots()).toBe(3);
  });
});

describe('voteCounts', () => {
  it('sums votes up the processing chain, with the last accepted block as root', () => {
    const r = voteCounts(
      new Map([
        [B, 2],
        [A, 1],
        [C, 1],
      ]),
      parentOf,
      false,
    );
    expect(r.counts.toSorted((x, y) => x - y)).toEqual([1, 2, 3, 4]); // C, B, A, G
    expect(r.maxTransitive).toBe(3); // A; G (root) is excluded
  });

  it('adds shared-prefix group sums of siblings when asked (AvalancheGo trie)', () => {
    // Children 4 (..100), 6 (..110), 5 (..101) of 1. Bit 0 splits {4,6}|{5}
    // (a split at bit 0 has no shared prefix); {4,6} then splits at bit 1.
    const par = new Map<BlockId, BlockId>([
      [4, 1],
      [5, 1],
      [6, 1],
    ]);
    const votes = new Map<BlockId, number>([
      [4, 2],
      [5, 3],
      [6, 1],
    ]);
    const off = voteCounts(votes, (id) => par.get(id), false);
    const on = voteCounts(votes, (id) => par.get(id), true);
    expect(off.counts.length).toBe(4);
    expect(on.counts.length).toBe(5);
    expect(on.counts[4]).toBe(3); // votes of 4 and 6
  });

  it('by default waits for a shared-prefix group that can still reach alpha (early_term_traversal)', () => {
    // Siblings 4 (..100) and 6 (..110) share bits 0-1 in the trie under 1; 5 (..101) is alone.
    const par = new Map<BlockId, BlockId>([
      [4, 1],
      [5, 1],
      [6, 1],
    ]);
    const run = (prefixVoteCounts: boolean): boolean => {
      const p = new Poll({ alphaPreference: 3, alphaConfidence: 3, prefixVoteCounts, parentOf: (id) => par.get(id) }, [1, 2, 3, 4, 5, 6]);
      for (const [vdr, block] of [[1, 4], [2, 6], [3, 5], [4, 5], [5, 5]] as const) p.vote(vdr, block);
      // 5 has 3 (settled), 4 and 6 one each (settled: 1 + 1 < 3), but {4, 6} has 2 and one answer may make it 3.
      return p.finished();
    };
    expect(DEFAULT_ENGINE_OPTIONS.prefixVoteCounts).toBe(true);
    expect(run(DEFAULT_ENGINE_OPTIONS.prefixVoteCounts)).toBe(false);
    expect(run(false)).toBe(true);
  });
});

describe('PollSet', () => {
  it('releases results strictly oldest first', () => {
    const s = new PollSet(cfg(2, 2));
    expect(s.add(1, [1, 2], 0)).toBe(true);
    expect(s.add(2, [1, 2], 10)).toBe(true);
    expect(s.add(2, [1, 2], 10)).toBe(false); // duplicate request id
    expect(s.vote(2, 1, A)).toEqual([]);
    expect(s.vote(2, 2, A)).toEqual([]); // poll 2 finished, but poll 1 is older and open
    expect(s.size).toBe(2);
    expect(s.vote(1, 1, C)).toEqual([]);
    const out = s.vote(1, 2, C);
    expect(out.map((r) => r.requestId)).toEqual([1, 2]);
    expect(out.map((r) => [...r.votes])).toEqual([[[C, 2]], [[A, 2]]]);
    expect(out.map((r) => r.startedAt)).toEqual([0, 10]);
    expect(s.size).toBe(0);
  });

  it('a finished poll waiting for an older one still records late votes (as AvalancheGo)', () => {
    const s = new PollSet(cfg(2, 2));
    s.add(1, [1, 2], 0);
    s.add(2, [1, 2, 3], 0);
    expect(s.vote(2, 1, A)).toEqual([]);
    expect(s.vote(2, 2, A)).toEqual([]); // finished (A has alphaConfidence), waits for poll 1
    expect(s.vote(2, 3, C)).toEqual([]);
    expect(s.vote(1, 1, C)).toEqual([]);
    const out = s.vote(1, 2, C);
    expect(out.map((r) => r.requestId)).toEqual([1, 2]);
    expect(out[0]!.reason).toBe('exhausted');
    expect(out[1]!.reason).toBe('early-alpha');
    expect(out[1]!.votes.get(C)).toBe(1);
    expect(out[1]!.receivedSlots).toBe(3);
  });

  it('ignores votes for unknown polls and unpolled validators', () => {
    const s = new PollSet(cfg(2, 2));
    s.add(5, [1, 2], 0);
    expect(s.vote(6, 1, A)).toEqual([]);
    expect(s.vote(5, 9, A)).toEqual([]);
    expect(s.outstanding(5)).toEqual([1, 2]);
  });
});
