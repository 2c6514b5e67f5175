import { describe, expect, it } from 'vitest';
import { alwaysAccept } from './always-accept.js';
import { child, FakeView, GENESIS, query, strategyContext } from './view.testkit.js';

describe('always-accept', () => {
  it('votes for the queried block, even one conflicting with its own preference', () => {
    const view = new FakeView(3, 10);
    const a = child(1, 1, GENESIS);
    const b = child(2, 1, GENESIS);
    view.hold(a, b).pref = a.id;
    const s = alwaysAccept.create(strategyContext(3, 10, [3]));
    expect(s.answerQuery(query(view, 0, b.id))).toEqual({ kind: 'chits', preferredId: b.id, preferredIdAtHeight: b.id, acceptedId: GENESIS.id, acceptedHeight: 0 });
    expect(s.answerQuery(query(view, 0, a.id))).toMatchObject({ preferredId: a.id, preferredIdAtHeight: a.id });
    // A block it does not even hold: still confirmed.
    expect(s.answerQuery(query(view, 0, 12_345))).toMatchObject({ preferredId: 12_345 });
  });
});
