import { describe, expect, it } from 'vitest';
import { collusion } from './collusion.js';
import { child, FakeView, GENESIS, proposalContext, query, strategyContext } from './view.testkit.js';

describe('collusion', () => {
  it('every colluder votes for the same colluder-proposed block at the contested height, whatever it is asked', () => {
    const honestBlock = child(0, 1, GENESIS); // lowest id overall, but honest
    const mine = child(5, 1, GENESIS); // proposed by colluder 5
    const other = child(8, 1, GENESIS); // proposed by colluder 8
    const byz = [3, 5, 8];
    for (const [node, pref] of [
      [3, honestBlock.id],
      [5, other.id],
    ] as const) {
      const view = new FakeView(node, 10);
      view.hold(honestBlock, mine, other).pref = pref;
      const s = collusion.create(strategyContext(node, 10, byz));
      s.answerQuery(query(view, 1, mine.id));
      s.answerQuery(query(view, 1, other.id));
      expect(s.answerQuery(query(view, 1, honestBlock.id))).toMatchObject({ preferredId: mine.id, preferredIdAtHeight: mine.id });
    }
  });

  it('with only honest blocks at the height it names the lowest id; with none it answers honestly', () => {
    const a = child(1, 1, GENESIS);
    const b = child(2, 1, GENESIS);
    const view = new FakeView(3, 10);
    view.hold(a, b).pref = b.id;
    const s = collusion.create(strategyContext(3, 10, [3]));
    expect(s.answerQuery(query(view, 0, a.id))).toMatchObject({ preferredId: a.id });
    const empty = new FakeView(3, 10);
    const q = query(empty, 0, 999);
    expect(s.answerQuery(q)).toBe(q.honest);
  });

  it('equivocates when proposing', () => {
    const view = new FakeView(3, 10);
    const p = collusion.create(strategyContext(3, 10, [3])).propose(proposalContext(view, GENESIS, [1]));
    expect(p.kind).toBe('custom');
    if (p.kind === 'custom') expect(p.pushes.map((x) => x.to.length)).toEqual([5, 4]);
  });
});
