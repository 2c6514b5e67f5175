import { describe, expect, it } from 'vitest';
import { ConfidenceCounters } from './confidence.js';

describe('ConfidenceCounters', () => {
  it('single condition: counts consecutive polls at alphaConfidence and finalises at beta', () => {
    const c = new ConfidenceCounters([{ alphaConfidence: 15, beta: 3 }]);
    expect(c.record(15)).toBe(false);
    expect(c.values()).toEqual([1]);
    expect(c.record(20)).toBe(false);
    expect(c.values()).toEqual([2]);
    expect(c.record(14)).toBe(false); // below alpha: cleared
    expect(c.values()).toEqual([0]);
    c.record(15);
    c.record(15);
    expect(c.record(15)).toBe(true);
    expect(c.values()).toEqual([3]);
  });

  it('a count below condition i clears counter i and every later one, keeps earlier ones', () => {
    const c = new ConfidenceCounters([
      { alphaConfidence: 15, beta: 20 },
      { alphaConfidence: 18, beta: 10 },
      { alphaConfidence: 20, beta: 5 },
    ]);
    for (let i = 0; i < 3; i++) c.record(20);
    expect(c.values()).toEqual([3, 3, 3]);
    c.record(19);
    expect(c.values()).toEqual([4, 4, 0]);
    c.record(16);
    expect(c.values()).toEqual([5, 0, 0]);
    c.record(20);
    expect(c.values()).toEqual([6, 1, 1]);
    c.record(3);
    expect(c.values()).toEqual([0, 0, 0]);
  });

  it('finalises on the first condition to reach its beta and stops counting the rest of that poll', () => {
    const c = new ConfidenceCounters([
      { alphaConfidence: 15, beta: 3 },
      { alphaConfidence: 18, beta: 3 },
    ]);
    c.record(18);
    c.record(18);
    expect(c.record(18)).toBe(true);
    // Counter 0 reached beta first; counter 1 was not incremented in that poll.
    expect(c.values()).toEqual([3, 2]);
  });

  it('clone is independent and reset clears everything', () => {
    const c = new ConfidenceCounters([{ alphaConfidence: 2, beta: 9 }]);
    c.record(2);
    const d = c.clone();
    d.record(2);
    expect(c.values()).toEqual([1]);
    expect(d.values()).toEqual([2]);
    d.reset();
    expect(d.values()).toEqual([0]);
  });
});
