import { describe, expect, it } from 'vitest';
import { BinarySlush, NnarySlush } from './slush.js';

describe('Slush', () => {
  it('binary: adopts the choice of a poll that reached AlphaPreference, never finalises', () => {
    const s = new BinarySlush(15, 0);
    const script: [count: number, choice: 0 | 1, pref: 0 | 1][] = [
      [14, 1, 0], // below alpha: no change
      [15, 1, 1],
      [20, 0, 0],
      [3, 1, 0],
    ];
    for (const [count, choice, pref] of script) {
      s.recordPoll(count, choice);
      expect(s.preference()).toBe(pref);
      expect(s.finalized()).toBe(false);
      expect(s.confidence()).toEqual([]);
    }
    s.recordUnsuccessfulPoll();
    expect(s.preference()).toBe(0);
    s.recordSuccessfulPoll(1);
    expect(s.preference()).toBe(1);
  });

  it('n-ary: preference is the last successful choice', () => {
    const s = new NnarySlush(3, 100);
    expect(s.preference()).toBe(100);
    s.recordPoll(3, 7);
    expect(s.preference()).toBe(7);
    s.recordPoll(2, 9);
    expect(s.preference()).toBe(7);
    s.recordPoll(5, 9);
    expect(s.preference()).toBe(9);
  });
});
