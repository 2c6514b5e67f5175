import { describe, expect, it } from 'vitest';
import { alwaysReject } from './always-reject.js';
import { sybil } from './sybil.js';
import { child, FakeView, GENESIS, query, strategyContext } from './view.testkit.js';

describe.each([alwaysReject, sybil])('$name', (def) => {
  it('votes for a conflicting sibling of what it is asked about, never for the queried block', () => {
    const view = new FakeView(3, 10);
    const a = child(1, 1, GENESIS);
    const b = child(2, 1, GENESIS);
    const c = child(4, 1, GENESIS);
    view.hold(a, b, c).pref = a.id;
    const s = def.create(strategyContext(3, 10, [3]));
    // First sight of b teaches the memory a (its preference) and b; c is learned later.
    expect(s.answerQuery(query(view, 0, b.id))).toMatchObject({ preferredId: a.id, preferredIdAtHeight: a.id });
    expect(s.answerQuery(query(view, 0, c.id))).toMatchObject({ preferredId: a.id });
    // Asked about a: the lowest-id conflicting block (b, proposer 2 < proposer 4).
    expect(s.answerQuery(query(view, 0, a.id))).toMatchObject({ preferredId: b.id, preferredIdAtHeight: b.id });
  });

  it('without a known conflict votes for its last accepted block; asked about that block, stays silent', () => {
    const view = new FakeView(3, 10);
    const a = child(1, 1, GENESIS);
    view.hold(a).pref = a.id;
    const s = def.create(strategyContext(3, 10, [3]));
    expect(s.answerQuery(query(view, 0, a.id))).toEqual({ kind: 'chits', preferredId: GENESIS.id, preferredIdAtHeight: GENESIS.id, acceptedId: GENESIS.id, acceptedHeight: 0 });
    expect(s.answerQuery(query(view, 0, GENESIS.id))).toEqual({ kind: 'silent' });
  });

  it('a descendant of the queried block is not a conflict', () => {
    const view = new FakeView(3, 10);
    const a = child(1, 1, GENESIS);
    const a2 = child(1, 2, a);
    view.hold(a, a2).pref = a2.id;
    const s = def.create(strategyContext(3, 10, [3]));
    expect(s.answerQuery(query(view, 0, a.id))).toMatchObject({ preferredId: GENESIS.id });
  });
});
