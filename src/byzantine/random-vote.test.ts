import { describe, expect, it } from 'vitest';
import { randomVote } from './random-vote.js';
import { child, FakeView, GENESIS, query, strategyContext } from './view.testkit.js';

describe('random-vote', () => {
  it('answers honestly or for the conflicting block, about half each, from its own seeded stream', () => {
    const view = new FakeView(3, 10);
    const a = child(1, 1, GENESIS);
    const b = child(2, 1, GENESIS);
    view.hold(a, b).pref = a.id;
    const s = randomVote.create(strategyContext(3, 10, [3], 7));
    s.answerQuery(query(view, 0, b.id)); // learn b
    const votes = Array.from({ length: 400 }, () => {
      const r = s.answerQuery(query(view, 0, a.id));
      return r.kind === 'chits' ? r.preferredId : -1;
    });
    const forB = votes.filter((v) => v === b.id).length;
    const forA = votes.filter((v) => v === a.id).length;
    expect(forA + forB).toBe(400);
    expect(forB).toBeGreaterThan(160);
    expect(forB).toBeLessThan(240);
    // Same seed, same answers.
    const again = randomVote.create(strategyContext(3, 10, [3], 7));
    again.answerQuery(query(view, 0, b.id));
    const votes2 = Array.from({ length: 400 }, () => {
      const r = again.answerQuery(query(view, 0, a.id));
      return r.kind === 'chits' ? r.preferredId : -1;
    });
    expect(votes2).toEqual(votes);
  });

  it('with no conflicting block the dishonest half votes for the last accepted block', () => {
    const view = new FakeView(3, 10);
    const a = child(1, 1, GENESIS);
    view.hold(a).pref = a.id;
    const s = randomVote.create(strategyContext(3, 10, [3]));
    const ids = new Set(
      Array.from({ length: 100 }, () => {
        const r = s.answerQuery(query(view, 0, a.id));
        return r.kind === 'chits' ? r.preferredId : -1;
      }),
    );
    expect([...ids].toSorted((x, y) => x - y)).toEqual([GENESIS.id, a.id]);
  });
});
