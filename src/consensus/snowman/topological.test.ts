import { describe, expect, it } from 'vitest';
import { type ConsensusParams, DEFAULT_PARAMS } from '../params.js';
import { type Block, type BlockId, GENESIS_ID } from './block.js';
import type { PollDecisions } from './consensus.js';
import { Topological } from './topological.js';

/** K=1 parameters as AvalancheGo's snowman tests use them. */
function k1(beta: number): ConsensusParams {
  return { ...DEFAULT_PARAMS, k: 1, alphaPreference: 1, alphaConfidence: 1, beta, concurrentRepolls: 1 };
}
/** Default K and alphas with a short beta. */
function k20(beta: number): ConsensusParams {
  return { ...DEFAULT_PARAMS, beta, concurrentRepolls: 1 };
}

const blocks = new Map<BlockId, Block>();
/** A block `id` on `parent` (height from the parent, genesis at 0). */
function blk(id: BlockId, parent: BlockId): Block {
  const height = parent === GENESIS_ID ? 1 : blocks.get(parent)!.height + 1;
  const b: Block = { id, parent, height, proposer: 0, txs: [id], sizeBytes: 100, builtAt: 0 };
  blocks.set(id, b);
  return b;
}
function tree(params: ConsensusParams, edges: [BlockId, BlockId][], decision?: 'snowflake' | 'snowball'): Topological {
  const t = new Topological(params, { id: GENESIS_ID, height: 0 }, decision === undefined ? {} : { decision });
  for (const [id, parent] of edges) t.add(blk(id, parent));
  return t;
}
function votes(...pairs: [BlockId, number][]): Map<BlockId, number> {
  return new Map(pairs);
}
function ids(d: PollDecisions): { accepted: BlockId[]; rejected: BlockId[] } {
  return { accepted: d.accepted.map((b) => b.id), rejected: d.rejected.map((b) => b.id) };
}
const none = { accepted: [], rejected: [] };

describe('Topological: adding blocks', () => {
  it('tracks processing blocks, preference, preferred heights and parents', () => {
    const t = tree(k20(3), [
      [1, GENESIS_ID],
      [2, 1],
      [3, GENESIS_ID],
    ]);
    expect(t.numProcessing()).toBe(3);
    expect(t.preference()).toBe(2); // 3 does not extend the preferred tail
    expect([t.isPreferred(GENESIS_ID), t.isPreferred(1), t.isPreferred(2), t.isPreferred(3)]).toEqual([true, true, true, false]);
    expect([t.preferenceAtHeight(0), t.preferenceAtHeight(1), t.preferenceAtHeight(2), t.preferenceAtHeight(3)]).toEqual([
      GENESIS_ID,
      1,
      2,
      undefined,
    ]);
    expect([t.processing(GENESIS_ID), t.processing(1), t.processing(3), t.processing(99)]).toEqual([false, true, true, false]);
    expect([t.parentOf(2), t.parentOf(3), t.parentOf(GENESIS_ID), t.parentOf(99)]).toEqual([1, GENESIS_ID, undefined, undefined]);
    expect(t.lastAccepted()).toEqual({ id: GENESIS_ID, height: 0 });
    expect(t.decisionOf(GENESIS_ID)).toEqual({ preference: 1, confidence: [0], finalized: false });
    expect(t.decisionOf(2)).toBeUndefined();
    expect(t.decisionKind()).toBe('snowflake');
  });

  it('rejects duplicates, unknown parents, wrong heights and invalid parameters', () => {
    const t = tree(k20(3), [[1, GENESIS_ID]]);
    expect(() => t.add(blocks.get(1)!)).toThrow('duplicate block add: block 1 is already in the tree');
    expect(() => t.add({ ...blocks.get(1)!, id: GENESIS_ID })).toThrow('duplicate block add');
    expect(() => t.add({ id: 5, parent: 77, height: 2, proposer: 0, txs: [], sizeBytes: 0, builtAt: 0 })).toThrow(
      'unknown parent block: block 5 names parent 77',
    );
    expect(() => t.add({ id: 5, parent: 1, height: 3, proposer: 0, txs: [], sizeBytes: 0, builtAt: 0 })).toThrow(
      'block 5: height must be parent height + 1 (2), got 3',
    );
    expect(() => new Topological({ ...DEFAULT_PARAMS, alphaPreference: 9 }, { id: 0, height: 0 })).toThrow(
      'K/2 < AlphaPreference (10 < 9 is false)',
    );
    expect(() => t.recordPoll(votes([1, -1]))).toThrow('vote count for block 1 must be a non-negative integer (got -1)');
  });
});

describe('Topological: polls', () => {
  it('accepts a chain after beta successful polls, ancestors first, several in one poll', () => {
    const t = tree(k20(3), [
      [1, GENESIS_ID],
      [2, 1],
      [3, 2],
    ]);
    // Votes for the tail count for every processing ancestor.
    for (let i = 1; i <= 2; i++) {
      expect(ids(t.recordPoll(votes([3, 15])))).toEqual(none);
      expect(t.decisionOf(GENESIS_ID)?.confidence).toEqual([i]);
      expect(t.decisionOf(1)?.confidence).toEqual([i]);
      expect(t.decisionOf(2)?.confidence).toEqual([i]);
      expect(t.numProcessing()).toBe(3);
    }
    expect(ids(t.recordPoll(votes([3, 15])))).toEqual({ accepted: [1, 2, 3], rejected: [] });
    expect(t.lastAccepted()).toEqual({ id: 3, height: 3 });
    expect([t.numProcessing(), t.preference(), t.isPreferred(3), t.processing(3)]).toEqual([0, 3, true, false]);
    expect([t.preferenceAtHeight(3), t.preferenceAtHeight(2), t.parentOf(3)]).toEqual([3, undefined, 2]);
    // The chain continues from the new last accepted block.
    t.add(blk(4, 3));
    expect([t.preference(), t.preferenceAtHeight(4)]).toEqual([4, 4]);
  });

  it('a fork: the winning branch is accepted, the losing branch and all its descendants rejected', () => {
    const t = tree(k20(2), [
      [10, GENESIS_ID],
      [11, 10],
      [20, GENESIS_ID],
      [21, 20],
      [22, 21],
      [23, 21],
      [24, 20],
      [25, 24],
    ]);
    expect(t.preference()).toBe(11);
    // 16 votes for the other branch's grandchild (plus 4 for this one): preference moves.
    expect(ids(t.recordPoll(votes([22, 16], [11, 4])))).toEqual(none);
    expect([t.preference(), t.isPreferred(10), t.isPreferred(20), t.isPreferred(21), t.isPreferred(24)]).toEqual([
      22,
      false,
      true,
      true,
      false,
    ]);
    expect([t.preferenceAtHeight(1), t.preferenceAtHeight(2), t.preferenceAtHeight(3)]).toEqual([20, 21, 22]);
    expect(t.decisionOf(GENESIS_ID)).toEqual({ preference: 20, confidence: [1], finalized: false });
    expect([t.decisionOf(20)?.confidence, t.decisionOf(21)?.confidence]).toEqual([[1], [1]]);
    // Add a block on the preferred tail: its parent's instance starts from nothing.
    t.add(blk(26, 22));
    expect(t.preference()).toBe(26);
    const d = ids(t.recordPoll(votes([26, 15])));
    // Genesis decides 20 (rejecting 10 and its child 11); 20 decides 21 (rejecting 24 and 25);
    // 21 decides 22 (rejecting 23); 22 has seen one poll only.
    expect(d).toEqual({ accepted: [20, 21, 22], rejected: [10, 11, 24, 25, 23] });
    expect([t.numProcessing(), t.preference(), t.lastAccepted().id, t.decisionOf(22)?.confidence]).toEqual([1, 26, 22, [1]]);
    for (const gone of [10, 11, 23, 24, 25]) expect([t.processing(gone), t.parentOf(gone)]).toEqual([false, undefined]);
    expect(ids(t.recordPoll(votes([26, 15])))).toEqual({ accepted: [26], rejected: [] });
    expect(t.numProcessing()).toBe(0);
  });

  it('a vote for a grandchild decides the parent (transitive voting)', () => {
    // AvalancheGo's RecordPollTransitiveVotingTest, K=3, alpha=3, beta=1.
    const t = tree({ ...k1(1), k: 3, alphaPreference: 3, alphaConfidence: 3 }, [
      [1, GENESIS_ID],
      [2, 1],
      [3, 2],
      [4, 1],
      [5, 4],
    ]);
    expect(t.preference()).toBe(3);
    // One vote each for 1, 3 and 5: all three count for 1; 1's children split 1:1.
    expect(ids(t.recordPoll(votes([1, 1], [3, 1], [5, 1])))).toEqual({ accepted: [1], rejected: [] });
    expect([t.numProcessing(), t.preference()]).toEqual([4, 3]);
    expect(ids(t.recordPoll(votes([3, 3])))).toEqual({ accepted: [2, 3], rejected: [4, 5] });
    expect([t.numProcessing(), t.preference(), t.lastAccepted().id]).toEqual([0, 3, 3]);
  });

  it('an unsuccessful poll resets confidence lazily, through the whole tree', () => {
    // AvalancheGo's RecordPollTransitivelyResetConfidenceTest, K=1, beta=2.
    //   G
    //  / \
    // 1   2
    //    / \
    //   3   4
    const t = tree(k1(2), [
      [1, GENESIS_ID],
      [2, GENESIS_ID],
      [3, 2],
      [4, 2],
    ]);
    t.recordPoll(votes([3, 1]));
    expect([t.preference(), t.decisionOf(GENESIS_ID)?.confidence, t.decisionOf(2)?.confidence]).toEqual([3, [1], [1]]);
    // Empty poll: nothing reached alpha. The reset is recorded lazily.
    expect(ids(t.recordPoll(votes()))).toEqual(none);
    expect([t.numProcessing(), t.preference(), t.decisionOf(GENESIS_ID)?.confidence]).toEqual([4, 3, [1]]);
    // Next vote: genesis resets first, then counts 1 (not 2), and so does block 2.
    expect(ids(t.recordPoll(votes([3, 1])))).toEqual(none);
    expect([t.decisionOf(GENESIS_ID)?.confidence, t.decisionOf(2)?.confidence, t.numProcessing()]).toEqual([[1], [1], 4]);
    // A vote for 4: genesis reaches 2 and accepts 2 (rejecting 1); 2's instance switches to 4 and restarts.
    expect(ids(t.recordPoll(votes([4, 1])))).toEqual({ accepted: [2], rejected: [1] });
    expect([t.numProcessing(), t.preference(), t.decisionOf(2)?.confidence]).toEqual([2, 4, [1]]);
    expect(ids(t.recordPoll(votes([4, 1])))).toEqual({ accepted: [4], rejected: [3] });
    expect([t.numProcessing(), t.preference()]).toEqual([0, 4]);
  });

  it('a poll below AlphaPreference, a split poll and votes for unknown blocks all reset confidence', () => {
    const t = tree(k20(4), [
      [1, GENESIS_ID],
      [2, GENESIS_ID],
    ]);
    const g = () => t.decisionOf(GENESIS_ID)?.confidence;
    t.recordPoll(votes([1, 15]));
    t.recordPoll(votes([1, 15]));
    expect(g()).toEqual([2]);
    t.recordPoll(votes([1, 14])); // total < alpha: lazy falter
    expect(g()).toEqual([2]);
    t.recordPoll(votes([1, 20]));
    expect(g()).toEqual([1]);
    t.recordPoll(votes([1, 15]));
    expect(g()).toEqual([2]);
    // 20 votes in total but the mode has 10: the instance records an unsuccessful poll now.
    t.recordPoll(votes([1, 10], [2, 10]));
    expect([g(), t.preference()]).toEqual([[0], 1]);
    t.recordPoll(votes([1, 15]));
    expect(g()).toEqual([1]);
    // Votes for an unknown block or for the last accepted block are dropped: nothing reached alpha.
    t.recordPoll(votes([999, 20]));
    t.recordPoll(votes([GENESIS_ID, 20]));
    t.recordPoll(votes([1, 15]));
    expect(g()).toEqual([1]);
    for (let i = 0; i < 2; i++) t.recordPoll(votes([1, 15]));
    expect(ids(t.recordPoll(votes([1, 15])))).toEqual({ accepted: [1], rejected: [2] });
  });

  it('votes below alpha for a branch make its instance falter even when an ancestor succeeded', () => {
    //   G - 1 - 2 - 3
    //            \- 4
    const t = tree(k20(5), [
      [1, GENESIS_ID],
      [2, 1],
      [3, 2],
      [4, 2],
    ]);
    t.recordPoll(votes([3, 15]));
    t.recordPoll(votes([3, 15]));
    expect([t.decisionOf(1)?.confidence, t.decisionOf(2)?.confidence]).toEqual([[2], [2]]);
    // 15 votes reach 2's children but split 8:7 between 3 and 4: 2 is on the vote stack
    // (15 >= alpha in total) and its instance records the mode, 8: unsuccessful, reset now.
    t.recordPoll(votes([3, 8], [4, 7]));
    expect([t.decisionOf(GENESIS_ID)?.confidence, t.decisionOf(1)?.confidence, t.decisionOf(2)?.confidence]).toEqual([
      [3],
      [3],
      [0],
    ]);
    // Votes naming 1 itself: genesis succeeds, but 1's children got nothing, so 1 is marked
    // to falter; its confidence still reads 3 until its next vote (the reset is lazy).
    t.recordPoll(votes([1, 15]));
    expect([t.decisionOf(GENESIS_ID)?.confidence, t.decisionOf(1)?.confidence]).toEqual([[4], [3]]);
    // Genesis reaches beta 5 and accepts 1; 1 then resets before counting (1, not 4), and
    // passes the reset to its children, so 2 restarts too.
    expect(ids(t.recordPoll(votes([3, 15])))).toEqual({ accepted: [1], rejected: [] });
    expect([t.decisionOf(1)?.confidence, t.decisionOf(2)?.confidence]).toEqual([[1], [1]]);
  });

  it('changes the preferred chain back and forth (AvalancheGo RecordPollChangePreferredChainTest)', () => {
    const t = tree(k1(10), [
      [1, GENESIS_ID],
      [2, 1],
      [3, GENESIS_ID],
      [4, 3],
    ]);
    expect([t.preference(), t.isPreferred(1), t.isPreferred(2), t.isPreferred(3), t.isPreferred(4)]).toEqual([2, true, true, false, false]);
    t.recordPoll(votes([4, 1]));
    expect([t.preference(), t.isPreferred(1), t.isPreferred(2), t.isPreferred(3), t.isPreferred(4)]).toEqual([4, false, false, true, true]);
    expect([t.preferenceAtHeight(1), t.preferenceAtHeight(2)]).toEqual([3, 4]);
    t.recordPoll(votes([1, 1]));
    t.recordPoll(votes([1, 1]));
    expect([t.preference(), t.isPreferred(1), t.isPreferred(2), t.isPreferred(3), t.isPreferred(4)]).toEqual([2, true, true, false, false]);
    expect([t.preferenceAtHeight(1), t.preferenceAtHeight(2)]).toEqual([1, 2]);
  });

  it('Snowball decisions keep the stronger branch where Snowflake follows the last success', () => {
    const edges: [BlockId, BlockId][] = [
      [1, GENESIS_ID],
      [2, GENESIS_ID],
    ];
    const sf = tree(k20(5), edges, 'snowflake');
    const sb = tree(k20(5), edges, 'snowball');
    for (const t of [sf, sb]) {
      t.recordPoll(votes([1, 15]));
      t.recordPoll(votes([1, 15]));
      t.recordPoll(votes([2, 15]));
    }
    expect([sf.preference(), sf.decisionOf(GENESIS_ID)?.confidence]).toEqual([2, [1]]);
    expect([sb.preference(), sb.decisionOf(GENESIS_ID)?.confidence, sb.decisionKind()]).toEqual([1, [1], 'snowball']);
  });

  it('multi-threshold termination: strong polls finalise after the shorter beta', () => {
    const params = {
      ...DEFAULT_PARAMS,
      terminationConditions: [
        { alphaConfidence: 15, beta: 20 },
        { alphaConfidence: 18, beta: 10 },
      ],
    };
    const t = tree(params, [[1, GENESIS_ID]]);
    for (let i = 1; i < 10; i++) t.recordPoll(votes([1, 18]));
    expect(t.decisionOf(GENESIS_ID)?.confidence).toEqual([9, 9]);
    t.recordPoll(votes([1, 17]));
    expect(t.decisionOf(GENESIS_ID)?.confidence).toEqual([10, 0]);
    for (let i = 1; i < 10; i++) t.recordPoll(votes([1, 18]));
    expect(t.decisionOf(GENESIS_ID)?.confidence).toEqual([19, 9]);
    expect(ids(t.recordPoll(votes([1, 20])))).toEqual({ accepted: [1], rejected: [] });
  });
});

function three(instance: 'tree' | 'flat'): Topological {
  const t = new Topological(k20(2), { id: GENESIS_ID, height: 0 }, { instance });
  for (const id of [2, 6, 1]) t.add(blk(id, GENESIS_ID));
  return t;
}

describe('Topological: three siblings, trie (default) against flat', () => {
  // Children 2 (0b010) and 6 (0b110) share bits 0-1; 1 (0b001) differs at bit 0.
  // An 8/8/4 split gives no child AlphaPreference = 15, but the {2, 6} group has 16.
  const split = votes([2, 8], [6, 8], [1, 4]);
  it('with the trie, the group that won bit 0 twice has rejected sibling 1 for good', () => {
    const t = three('tree');
    expect(t.parentDecisionKind()).toBe('tree');
    expect(ids(t.recordPoll(split))).toEqual(none);
    expect(ids(t.recordPoll(split))).toEqual(none);
    // Bits 0 and 1 are decided for {2, 6}; the root is the split at bit 2, which never reached alpha.
    expect(t.decisionOf(GENESIS_ID)).toEqual({ preference: 2, confidence: [0], finalized: false });
    // Now every vote names 1: filtered out as rejected, so nothing moves.
    expect(ids(t.recordPoll(votes([1, 20])))).toEqual(none);
    expect(ids(t.recordPoll(votes([1, 20])))).toEqual(none);
    expect([t.preference(), t.numProcessing()]).toEqual([2, 3]);
    // 6 still can win the last bit.
    t.recordPoll(votes([6, 20]));
    expect(ids(t.recordPoll(votes([6, 20])))).toEqual({ accepted: [6], rejected: [2, 1] });
  });

  it('with the flat instance, no child reached alpha, so 1 can still be accepted', () => {
    const t = three('flat');
    expect(ids(t.recordPoll(split))).toEqual(none);
    expect(ids(t.recordPoll(split))).toEqual(none);
    expect(t.decisionOf(GENESIS_ID)).toEqual({ preference: 2, confidence: [0], finalized: false });
    t.recordPoll(votes([1, 20]));
    expect(ids(t.recordPoll(votes([1, 20])))).toEqual({ accepted: [1], rejected: [2, 6] });
  });

  it('a tree cannot run Slush (it has no unary instance)', () => {
    expect(() => new Topological(k20(2), { id: GENESIS_ID, height: 0 }, { decision: 'slush' })).toThrow('use the flat per-parent instance');
    expect(new Topological(k20(2), { id: GENESIS_ID, height: 0 }, { decision: 'slush', instance: 'flat' }).parentDecisionKind()).toBe('flat');
  });
});
