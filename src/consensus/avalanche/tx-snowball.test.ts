import { describe, expect, it } from 'vitest';
import { confidenceAt, isFinalized, newTxSnowball, recordSuccessfulPoll } from './tx-snowball.js';

describe('TxSnowball (snowstorm snowball.go)', () => {
  it('counts consecutive successes and resets lazily after a missed poll', () => {
    const sb = newTxSnowball();
    recordSuccessfulPoll(sb, 1);
    recordSuccessfulPoll(sb, 2);
    expect([sb.numSuccessfulPolls, sb.confidence, confidenceAt(sb, 2), confidenceAt(sb, 3)]).toEqual([2, 2, 2, 0]);
    // Poll 3 went elsewhere; poll 4 starts a new run.
    recordSuccessfulPoll(sb, 4);
    expect([sb.numSuccessfulPolls, sb.confidence, sb.lastVote]).toEqual([3, 1, 4]);
  });

  it('finalises a virtuous transaction at BetaVirtuous and a rogue one only at BetaRogue', () => {
    const v = newTxSnowball();
    const r = { ...newTxSnowball(), rogue: true };
    for (let poll = 1; poll <= 3; poll++) {
      recordSuccessfulPoll(v, poll);
      recordSuccessfulPoll(r, poll);
    }
    expect([isFinalized(v, 3, 5), isFinalized(r, 3, 5)]).toEqual([true, false]);
    recordSuccessfulPoll(r, 4);
    recordSuccessfulPoll(r, 5);
    expect(isFinalized(r, 3, 5)).toBe(true);
  });
});
