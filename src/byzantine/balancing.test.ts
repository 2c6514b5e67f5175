import { describe, expect, it } from 'vitest';
import { balancingInformed } from './balancing-informed.js';
import { balancingNaive } from './balancing-naive.js';
import { child, FakeView, GENESIS, proposalContext, query, strategyContext } from './view.testkit.js';

const a = child(1, 1, GENESIS);
const b = child(2, 1, GENESIS);
const a2 = child(1, 2, a);

function viewOf(node: number): FakeView {
  const v = new FakeView(node, 12);
  v.hold(a, b, a2).pref = a.id;
  return v;
}

describe('balancing-naive', () => {
  it('votes for each branch about half the time once it holds both, honestly before', () => {
    const view = viewOf(10);
    const s = balancingNaive.create(strategyContext(10, 12, [10, 11], 3));
    const first = query(view, 0, a.id);
    expect(s.answerQuery(first)).toBe(first.honest); // only a known so far
    s.answerQuery(query(view, 0, b.id));
    const votes = Array.from({ length: 400 }, () => {
      const r = s.answerQuery(query(view, 0, a.id));
      return r.kind === 'chits' ? r.preferredId : -1;
    });
    const forA = votes.filter((v) => v === a.id).length;
    expect(forA + votes.filter((v) => v === b.id).length).toBe(400);
    expect(forA).toBeGreaterThan(160);
    expect(forA).toBeLessThan(240);
  });

  it('equivocates when proposing', () => {
    expect(balancingNaive.create(strategyContext(10, 12, [10, 11])).propose(proposalContext(viewOf(10), GENESIS, [1])).kind).toBe('custom');
  });
});

describe('balancing-informed', () => {
  it('votes for the branch fewer honest nodes prefer, learned through a shared oracle', () => {
    const byz = [10, 11];
    const s10 = balancingInformed.create(strategyContext(10, 12, byz));
    const s11 = balancingInformed.create(strategyContext(11, 12, byz));
    const v10 = viewOf(10);
    const v11 = viewOf(11);
    // Honest 0..3 ask node 10 about a (0 and 1 about its child a2), honest 4..5 ask about b.
    for (const [from, id] of [
      [0, a2.id],
      [1, a2.id],
      [2, a.id],
      [3, a.id],
      [4, b.id],
      [5, b.id],
    ] as const) {
      s10.answerQuery(query(v10, from, id));
    }
    // Node 11 learns both blocks but has heard from nobody: the oracle is shared, so it knows a leads 4 to 2.
    s11.answerQuery(query(v11, 11, a.id));
    s11.answerQuery(query(v11, 10, b.id));
    expect(s11.answerQuery(query(v11, 10, a.id))).toMatchObject({ preferredId: b.id, preferredIdAtHeight: b.id });
    // Three honest nodes switch to b: b now leads 5 to 1, so the vote goes to a.
    for (const from of [0, 1, 2]) s10.answerQuery(query(v10, from, b.id));
    expect(s11.answerQuery(query(v11, 10, b.id))).toMatchObject({ preferredId: a.id });
    // Byzantine askers are not counted.
    for (const from of [10, 11]) for (let i = 0; i < 5; i++) s10.answerQuery(query(v10, from, a.id));
    expect(s11.answerQuery(query(v11, 10, b.id))).toMatchObject({ preferredId: a.id });
  });

  it('does not share the oracle between runs (different Byzantine lists)', () => {
    const s1 = balancingInformed.create(strategyContext(10, 12, [10, 11]));
    const s2 = balancingInformed.create(strategyContext(10, 12, [10, 11])); // another run: another array
    const v = viewOf(10);
    for (const from of [0, 1, 2]) s1.answerQuery(query(v, from, b.id));
    s1.answerQuery(query(v, 3, a.id));
    expect(s1.answerQuery(query(v, 4, a.id))).toMatchObject({ preferredId: a.id });
    // s2 heard nothing: a tie, which goes to the higher id (b).
    s2.answerQuery(query(v, 10, b.id));
    expect(s2.answerQuery(query(v, 10, a.id))).toMatchObject({ preferredId: b.id });
  });
});
