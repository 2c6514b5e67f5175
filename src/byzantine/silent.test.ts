import { describe, expect, it } from 'vitest';
import { silent } from './silent.js';
import { child, FakeView, GENESIS, proposalContext, query, strategyContext } from './view.testkit.js';

describe('silent', () => {
  it('never answers, proposes, relays or serves', () => {
    const view = new FakeView(3, 10);
    const a = child(1, 1, GENESIS);
    view.hold(a).pref = a.id;
    const s = silent.create(strategyContext(3, 10, [3]));
    expect(s.answerQuery(query(view, 0, a.id))).toEqual({ kind: 'silent' });
    expect(s.propose(proposalContext(view, a, [7]))).toEqual({ kind: 'none' });
    expect(s.relayTxs(view, [7])).toBe(false);
    expect(s.serveBlock(view, 0, a)).toBe(false);
  });
});
