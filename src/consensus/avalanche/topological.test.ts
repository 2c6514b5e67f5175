/**
 * AvalancheGo's DAG consensus tests (snow/consensus/avalanche/
 * consensus_test.go: v1.7.0's list, plus QuiesceAfterVotingTest and
 * OrphansUpdateTest from v1.9.x) as scripted tests of Topological. Names are
 * AvalancheGo's; parameters and expectations are theirs unless a comment
 * says why not. Not ported: MetricsTest (Prometheus registration), the
 * ErrorOn* tests (callbacks that fail: decisions here are returned values),
 * and TransactionVertexTest, IgnoreInvalidTransactionVertexVotingTest,
 * SilenceTransactionVertexEventsTest (v1.7.10+ also votes on each vertex as
 * a transaction of its own, for the linearisation's stop vertex; avsim
 * models the DAG before that change, see topological.ts).
 */
import { describe, expect, it } from 'vitest';
import type { DagDecisions } from './consensus.js';
import { type AvalancheParams, MAX_BATCH_SIZE } from './params.js';
import { Topological } from './topological.js';
import type { DagTx, DagVertex, TxId, VertexId } from './vertex.js';

function params(k: number, alpha: number, betaVirtuous: number, betaRogue: number): AvalancheParams {
  return {
    k,
    alpha,
    betaVirtuous,
    betaRogue,
    concurrentRepolls: 1,
    optimalProcessing: 1,
    maxOutstandingItems: 1,
    maxItemProcessingTimeUs: 1,
    parents: 2,
    batchSize: 1,
  };
}
/** AvalancheGo's math.MaxInt32 betas are above MAX_BETA here; a million polls is never reached either. */
const NEVER = 1_000_000;

/** Two accepted seed vertices, as every AvalancheGo test starts. */
const S0 = 1;
const S1 = 2;
const SEEDS = [S0, S1];

function dag(p: AvalancheParams, frontier: readonly VertexId[] = SEEDS): Topological<DagVertex> {
  return new Topological<DagVertex>(p, frontier);
}
function tx(id: TxId, ...inputs: number[]): DagTx {
  return { id, inputs, deps: [] };
}
function vtx(id: VertexId, parents: readonly VertexId[], ...txs: DagTx[]): DagVertex {
  return { id, parents, txs };
}
const sorted = (s: ReadonlySet<number>): number[] => [...s].toSorted((a, b) => a - b);
function ids(d: DagDecisions<DagVertex>): Record<string, number[]> {
  return {
    acceptedVertices: d.acceptedVertices.map((v) => v.id),
    rejectedVertices: d.rejectedVertices.map((v) => v.id),
    acceptedTxs: d.acceptedTxs.map((t) => t.id),
    rejectedTxs: d.rejectedTxs.map((t) => t.id),
  };
}

// Inputs (UTXOs).
const U0 = 1000;
const U1 = 1001;

describe('Topological (AvalancheGo avalanche consensus_test.go)', () => {
  it('ParamsTest: invalid parameters are refused with the failed inequality', () => {
    expect(() => dag({ ...params(2, 1, 1, 1) })).toThrow('invalid avalanche parameters: K/2 < Alpha (1 < 1 is false)');
    expect(() => dag({ ...params(1, 1, 1, 1), parents: 1 })).toThrow('1 < Parents (1 < 1 is false)');
    expect(() => dag({ ...params(1, 1, 1, 1), batchSize: MAX_BATCH_SIZE + 1 })).toThrow('BatchSize <= MAX_BATCH_SIZE');
  });

  it('NumProcessingTest', () => {
    const a = dag(params(1, 1, 1, 1));
    expect(a.numProcessing()).toBe(0);
    const tx0 = tx(100, U0);
    const tx1 = tx(101, U0);
    a.add(vtx(10, SEEDS, tx0));
    expect(a.numProcessing()).toBe(1);
    const v1 = vtx(11, SEEDS, tx1);
    a.add(v1);
    expect(a.numProcessing()).toBe(2);
    a.add(v1); // duplicate
    expect(a.numProcessing()).toBe(2);
    a.add(vtx(S0, [])); // an accepted vertex
    expect(a.numProcessing()).toBe(2);
    const d = a.recordPoll([[10]]);
    expect(a.numProcessing()).toBe(0);
    expect(ids(d)).toEqual({ acceptedVertices: [10], rejectedVertices: [11], acceptedTxs: [100], rejectedTxs: [101] });
  });

  it('AddTest: the preferred frontier follows adds, duplicates are no-ops', () => {
    const a = dag(params(2, 2, 1, 2));
    expect(a.finalized()).toBe(true);
    expect(sorted(a.preferences())).toEqual(SEEDS);
    const v0 = vtx(10, SEEDS, tx(100, U0));
    const v1 = vtx(11, SEEDS, tx(101, U0));
    const steps: [DagVertex, boolean, VertexId[]][] = [
      [v0, false, [10]],
      [v1, false, [10]],
      [vtx(S0, []), false, [10]],
    ];
    for (const [v, finalized, preferred] of steps) {
      for (let j = 0; j < 2; j++) {
        const d = a.add(v);
        expect(a.finalized()).toBe(finalized);
        expect(sorted(a.preferences())).toEqual(preferred);
        expect(d.acceptedVertices).toEqual([]);
      }
    }
  });

  it('VertexIssuedTest', () => {
    const a = dag(params(2, 2, 1, 2));
    expect(a.vertexIssued(S0)).toBe(true);
    expect(a.vertexIssued(10)).toBe(false);
    a.add(vtx(10, SEEDS, tx(100, U0)));
    expect(a.vertexIssued(10)).toBe(true);
  });

  it('TxIssuedTest (the genesis-transaction half does not apply: avsim genesis has no transactions)', () => {
    const a = dag(params(2, 2, 1, 2));
    const tx1 = tx(101, U0);
    expect(a.txIssued(tx1.id)).toBe(false);
    // A vertex without parents, as in AvalancheGo's test.
    a.add(vtx(10, [], tx1));
    expect(a.txIssued(tx1.id)).toBe(true);
  });

  it('VirtuousTest: the virtuous frontier retreats behind rogue vertices', () => {
    const a = dag(params(2, 2, 10, 20));
    expect(sorted(a.virtuous())).toEqual(SEEDS);
    const v0 = vtx(10, SEEDS, tx(100, U0));
    const v1 = vtx(11, SEEDS, tx(101, U0));
    const v2 = vtx(12, [10], tx(102, U1));
    a.add(v0);
    expect(sorted(a.virtuous())).toEqual([10]);
    a.add(v1);
    expect(sorted(a.virtuous())).toEqual([10]); // stale until a poll changes something
    a.recordPoll([[11], [11]]);
    expect(sorted(a.virtuous())).toEqual(SEEDS);
    a.add(v2);
    expect(sorted(a.virtuous())).toEqual(SEEDS);
    a.recordPoll([[11], [11]]);
    expect(sorted(a.virtuous())).toEqual(SEEDS);
  });

  it('VirtuousSkippedUpdateTest: a poll below alpha does not recompute the frontiers', () => {
    const a = dag(params(2, 2, 10, 20));
    a.add(vtx(10, SEEDS, tx(100, U0)));
    expect(sorted(a.virtuous())).toEqual([10]);
    a.add(vtx(11, SEEDS, tx(101, U0)));
    expect(sorted(a.virtuous())).toEqual([10]);
    a.recordPoll([]);
    expect(sorted(a.virtuous())).toEqual([10]);
  });

  it('VotingTest: two conflicting transactions in different vertices, only one accepted', () => {
    const a = dag(params(2, 2, 1, 2));
    const tx0 = tx(100, U0);
    const tx1 = tx(101, U0);
    a.add(vtx(10, SEEDS, tx0));
    a.add(vtx(11, SEEDS, tx1));
    // BetaRogue is 2: not yet.
    expect(ids(a.recordPoll([[11], [11]]))).toEqual({ acceptedVertices: [], rejectedVertices: [], acceptedTxs: [], rejectedTxs: [] });
    expect(a.finalized()).toBe(false);
    expect(sorted(a.preferences())).toEqual([11]);
    expect([a.txStatus(100), a.txStatus(101)]).toEqual(['processing', 'processing']);
    const d = a.recordPoll([[11], [11]]);
    expect(a.finalized()).toBe(true);
    expect(sorted(a.preferences())).toEqual([11]);
    expect([a.txStatus(100), a.txStatus(101)]).toEqual(['rejected', 'accepted']);
    expect(ids(d)).toEqual({ acceptedVertices: [11], rejectedVertices: [10], acceptedTxs: [101], rejectedTxs: [100] });
  });

  it('IgnoreInvalidVotingTest: a slot voting for both sides of a conflict counts for neither', () => {
    const a = dag(params(3, 2, 1, 1));
    a.add(vtx(10, SEEDS, tx(100, U0)));
    a.add(vtx(11, SEEDS, tx(101, U0)));
    a.recordPoll([[10], [11], [10, 11]]);
    expect(a.finalized()).toBe(false);
    expect(a.txSnowball(100)?.numSuccessfulPolls).toBe(0);
    expect(a.txSnowball(101)?.numSuccessfulPolls).toBe(0);
  });

  it('TransitiveVotingTest: a vote for a vertex is a vote for its processing ancestors', () => {
    const a = dag(params(2, 2, 1, 2));
    const tx0 = tx(100, U0);
    const tx1 = tx(101, U1);
    a.add(vtx(10, SEEDS, tx0));
    a.add(vtx(11, [10], tx1));
    a.add(vtx(12, [11], tx1)); // the same transaction in two vertices
    const d1 = a.recordPoll([[10], [12]]);
    expect(a.finalized()).toBe(false);
    expect(sorted(a.preferences())).toEqual([12]);
    expect(a.txStatus(100)).toBe('accepted');
    expect(ids(d1)).toEqual({ acceptedVertices: [10], rejectedVertices: [], acceptedTxs: [100], rejectedTxs: [] });
    const d2 = a.recordPoll([[12], [12]]);
    expect(a.finalized()).toBe(true);
    expect(sorted(a.preferences())).toEqual([12]);
    expect([a.txStatus(100), a.txStatus(101)]).toEqual(['accepted', 'accepted']);
    expect(ids(d2)).toEqual({ acceptedVertices: [11, 12], rejectedVertices: [], acceptedTxs: [101], rejectedTxs: [] });
  });

  it('SplitVotingTest: votes through two vertices holding one transaction add up', () => {
    const a = dag(params(2, 2, 1, 2));
    const tx0 = tx(100, U0);
    a.add(vtx(10, SEEDS, tx0));
    a.add(vtx(11, SEEDS, tx0));
    const d = a.recordPoll([[10], [11]]);
    expect(a.finalized()).toBe(true);
    expect(sorted(a.preferences())).toEqual([10, 11]);
    expect(a.txStatus(100)).toBe('accepted');
    expect(d.acceptedVertices.map((v) => v.id).toSorted((x, y) => x - y)).toEqual([10, 11]);
  });

  it('TransitiveRejectionTest: rejecting a transaction rejects its vertex and the descendants', () => {
    const a = dag(params(2, 2, 1, 2));
    a.add(vtx(10, SEEDS, tx(100, U0)));
    a.add(vtx(11, SEEDS, tx(101, U0)));
    a.add(vtx(12, [10], tx(102, U1)));
    a.recordPoll([[11], [11]]);
    expect(a.finalized()).toBe(false);
    expect(sorted(a.preferences())).toEqual([11]);
    const d = a.recordPoll([[11], [11]]);
    expect(a.finalized()).toBe(false);
    expect(sorted(a.preferences())).toEqual([11]);
    expect([a.txStatus(100), a.txStatus(101), a.txStatus(102)]).toEqual(['rejected', 'accepted', 'processing']);
    expect(ids(d)).toEqual({ acceptedVertices: [11], rejectedVertices: [10, 12], acceptedTxs: [101], rejectedTxs: [100] });
    // tx2 was in a rejected vertex: it is an orphan, for the engine to re-issue.
    expect(sorted(a.orphans())).toEqual([102]);
    a.recordPoll([[11], [11]]);
    expect(a.finalized()).toBe(false);
    expect(sorted(a.preferences())).toEqual([11]);
    expect([a.txStatus(100), a.txStatus(101), a.txStatus(102)]).toEqual(['rejected', 'accepted', 'processing']);
    expect([a.vertexStatus(10), a.vertexStatus(11), a.vertexStatus(12)]).toEqual(['rejected', 'accepted', 'rejected']);
  });

  it('IsVirtuousTest', () => {
    const a = dag(params(2, 2, 1, 2));
    expect(sorted(a.virtuous())).toEqual(SEEDS);
    const tx0 = tx(100, U0);
    const tx1 = tx(101, U0);
    expect([a.isVirtuous(tx0), a.isVirtuous(tx1)]).toEqual([true, true]);
    a.add(vtx(10, SEEDS, tx0));
    expect([a.isVirtuous(tx0), a.isVirtuous(tx1)]).toEqual([true, false]);
    a.add(vtx(11, SEEDS, tx1));
    expect([a.isVirtuous(tx0), a.isVirtuous(tx1)]).toEqual([false, false]);
  });

  it('QuiesceTest: only virtuous transactions keep the engine polling', () => {
    const a = dag(params(1, 1, 1, 1));
    a.add(vtx(10, SEEDS, tx(100, U0)));
    expect(a.quiesce()).toBe(false);
    a.add(vtx(11, SEEDS, tx(101, U0)));
    expect(a.quiesce()).toBe(true);
    a.add(vtx(12, SEEDS, tx(102, U1)));
    expect(a.quiesce()).toBe(false);
    a.recordPoll([[12]]);
    expect(a.quiesce()).toBe(true);
  });

  it('QuiesceAfterVotingTest (v1.9; an empty vertex is accepted on add here, so quiescence comes one poll earlier)', () => {
    const a = dag(params(1, 1, 2, 2));
    a.add(vtx(10, SEEDS, tx(100, U0)));
    a.add(vtx(11, SEEDS, tx(101, U0)));
    a.add(vtx(12, SEEDS, tx(102, U1)));
    // In AvalancheGo v1.9 an empty vertex is voted on as its own transaction;
    // before that (and here) it is accepted once its parents are.
    expect(ids(a.add(vtx(13, SEEDS))).acceptedVertices).toEqual([13]);
    // tx2 (in vtx2) is virtuous: no quiescence.
    expect(a.quiesce()).toBe(false);
    a.recordPoll([[11, 12]]);
    expect(a.quiesce()).toBe(false);
    a.recordPoll([[10, 12, 13]]);
    // tx2 is accepted; tx0/tx1 are rogue. (AvalancheGo v1.9 still waits for vtx3 here.)
    expect(a.txStatus(102)).toBe('accepted');
    expect(a.quiesce()).toBe(true);
    a.recordPoll([[13]]);
    expect(a.quiesce()).toBe(true);
  });

  it('OrphansTest: a virtuous transaction only in a non-preferred vertex is an orphan', () => {
    const a = dag(params(1, 1, NEVER, NEVER));
    a.add(vtx(10, SEEDS, tx(100, U0)));
    expect(a.orphans().size).toBe(0);
    a.add(vtx(11, SEEDS, tx(101, U0)));
    expect(a.orphans().size).toBe(0);
    a.add(vtx(12, [10], tx(102, U1)));
    expect(a.orphans().size).toBe(0);
    a.recordPoll([[11]]);
    expect(sorted(a.orphans())).toEqual([102]);
  });

  it('OrphansUpdateTest (v1.9): a change of preference swaps the preferred vertices, no orphan', () => {
    const a = dag(params(1, 1, NEVER, NEVER));
    a.add(vtx(10, SEEDS, tx(100, U0)));
    a.add(vtx(11, SEEDS, tx(101, U1)));
    a.add(vtx(12, SEEDS, tx(102, U1)));
    // vtx1 was issued before vtx2: it is preferred.
    expect(sorted(a.preferences())).toEqual([10, 11]);
    a.recordPoll([[12]]);
    expect(sorted(a.preferences())).toEqual([10, 12]);
    expect(sorted(a.orphans())).toEqual([]);
  });
});

describe('Topological: pruning and the rest of the interface', () => {
  it('forgets accepted vertices but keeps their status, and builds on a pruned parent', () => {
    const a = dag(params(1, 1, 1, 1), [0]);
    let parent = 0;
    for (let i = 1; i <= 200; i++) {
      const id = i * 10;
      a.add(vtx(id, [parent], tx(10_000 + i, 20_000 + i)));
      a.recordPoll([[id]]);
      expect(a.vertexStatus(id)).toBe('accepted');
      parent = id;
    }
    expect(a.numProcessing()).toBe(0);
    expect(a.numProcessingTxs()).toBe(0);
    expect(sorted(a.acceptedFrontier())).toEqual([2000]);
    expect([a.vertexStatus(10), a.txStatus(10_001), a.vertexIssued(10), a.vertexStatus(15)]).toEqual([
      'accepted',
      'accepted',
      true,
      'unknown',
    ]);
    // A late vertex on an old accepted parent is fine; an unknown parent is not.
    a.add(vtx(5, [10], tx(9, 9_999)));
    expect(a.vertexStatus(5)).toBe('processing');
    expect(() => a.add(vtx(6, [15]))).toThrow('unknown parent vertex: vertex 6 names parent 15, neither processing nor decided');
  });

  it('accepts on add a vertex whose transactions are already accepted, and re-adding a decided one is a no-op', () => {
    const a = dag(params(1, 1, 1, 1), [0]);
    const t = tx(100, U0);
    a.add(vtx(10, [0], t));
    a.recordPoll([[10]]);
    expect(ids(a.add(vtx(11, [10], t))).acceptedVertices).toEqual([11]);
    expect(ids(a.add(vtx(11, [10], t))).acceptedVertices).toEqual([]);
    expect(sorted(a.acceptedFrontier())).toEqual([11]);
  });

  it('a vertex added on a rejected parent is rejected at once', () => {
    const a = dag(params(1, 1, 1, 1), [0]);
    a.add(vtx(10, [0], tx(100, U0)));
    a.add(vtx(11, [0], tx(101, U0)));
    a.recordPoll([[10]]);
    expect(a.vertexStatus(11)).toBe('rejected');
    expect(ids(a.add(vtx(12, [11], tx(102, U1))))).toEqual({
      acceptedVertices: [],
      rejectedVertices: [12],
      acceptedTxs: [],
      rejectedTxs: [],
    });
    expect(a.txStatus(102)).toBe('processing');
  });

  it('counts each responder slot once per transaction however many voted vertices lead to it, beyond 32 slots', () => {
    const k = 40;
    const a = dag(params(k, 30, 1, 1), [0]);
    a.add(vtx(10, [0], tx(100, U0)));
    a.add(vtx(11, [10], tx(101, U1)));
    a.add(vtx(12, [10], tx(102, 1002)));
    // 29 slots name both children: tx0 gets 29 distinct slots, not 58: below alpha = 30.
    const both = Array.from({ length: 29 }, () => [11, 12]);
    a.recordPoll([...both, ...Array.from({ length: k - 29 }, () => [])]);
    expect(a.txStatus(100)).toBe('processing');
    // Slot 39 (past the first 32-bit word) makes it 30.
    const d = a.recordPoll([...both, ...Array.from({ length: 10 }, () => []), [12]]);
    // tx0 and tx2 (in the vertex slot 39 named) reach 30; tx1 stays at 29.
    expect(ids(d).acceptedTxs).toEqual([100, 102]);
    expect(a.txStatus(101)).toBe('processing');
    expect(a.txSnowball(101)?.numSuccessfulPolls).toBe(0);
  });

  it('holds a bounded number of entries while 40,000 vertices of 4 issuers are accepted', () => {
    const a = dag(params(1, 1, 1, 1), [0]);
    let tips = [0];
    const held: number[] = [];
    for (let i = 1; i <= 10_000; i++) {
      const next: VertexId[] = [];
      for (let issuer = 0; issuer < 4; issuer++) {
        // (issuer, counter) ids, as the engine builds them (vertexIdOf / txIdOf).
        const id = i * 131_072 + issuer + 1;
        const t = tx(i * 131_072 + issuer, i * 131_072 + issuer);
        a.add(vtx(id, tips, t));
        next.push(id);
      }
      a.recordPoll([next]);
      tips = next;
      if (i % 1_000 === 0) held.push(a.retainedEntries());
    }
    expect(a.numProcessing()).toBe(0);
    expect(a.vertexStatus(131_072 + 1)).toBe('accepted');
    // The same handful of entries after 4,000 and after 40,000 vertices.
    expect(Math.max(...held)).toBeLessThan(64);
    expect(held[held.length - 1]).toBe(held[0]);
  });
});
