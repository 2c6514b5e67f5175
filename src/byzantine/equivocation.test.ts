import { describe, expect, it } from 'vitest';
import { equivocation } from './equivocation.js';
import { child, FakeView, GENESIS, proposalContext, query, strategyContext } from './view.testkit.js';

describe('equivocation', () => {
  it('pushes two conflicting children of the parent to the two honest halves and both to the other colluders', () => {
    const view = new FakeView(3, 10);
    const s = equivocation.create(strategyContext(3, 10, [3, 7]));
    const p = s.propose(proposalContext(view, GENESIS, [1, 2]));
    if (p.kind !== 'custom') throw new Error(`expected a custom proposal, got ${p.kind}`);
    expect(p.issueLocally).toBeUndefined();
    const [x, y] = p.pushes;
    if (x === undefined || y === undefined) throw new Error('expected two pushes');
    expect(x.block.id).not.toBe(y.block.id);
    expect([x.block.parent, y.block.parent, x.block.height, y.block.height]).toEqual([GENESIS.id, GENESIS.id, 1, 1]);
    expect(x.block.txs).toEqual([1, 2]);
    expect(x.to).toEqual([0, 1, 2, 4, 7]);
    expect(y.to).toEqual([5, 6, 8, 9, 7]);
  });

  it('answers queries honestly', () => {
    const view = new FakeView(3, 10);
    const a = child(1, 1, GENESIS);
    const b = child(2, 1, GENESIS);
    view.hold(a, b).pref = a.id;
    const s = equivocation.create(strategyContext(3, 10, [3]));
    const q = query(view, 0, b.id);
    expect(s.answerQuery(q)).toBe(q.honest);
  });
});
