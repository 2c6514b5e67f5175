import { describe, expect, it } from 'vitest';
import { Z_95, formatInterval, wilsonInterval } from './wilson.js';

// Reference values: scipy.stats.binomtest(k, n).proportion_ci(method='wilson').
const cases: Array<[number, number, number, number]> = [
  [0, 10, 0, 0.27753279986288926],
  [5, 10, 0.236593090512564, 0.7634069094874361],
  [81, 263, 0.2552885198782742, 0.36620957698280004],
  [1, 5, 0.036224108632430196, 0.6244653702374747],
  [10, 10, 0.7224672001371109, 1],
  [3, 20, 0.05236874589621662, 0.3604188647407569],
];

describe('wilsonInterval', () => {
  it.each(cases)('k=%i n=%i matches scipy', (k, n, lo, hi) => {
    const iv = wilsonInterval(k, n);
    expect(iv.lower).toBeCloseTo(lo, 12);
    expect(iv.upper).toBeCloseTo(hi, 12);
    expect(iv.estimate).toBe(k / n);
  });

  it('pins the exact ends at k = 0 and k = n', () => {
    expect(wilsonInterval(0, 7).lower).toBe(0);
    expect(wilsonInterval(7, 7).upper).toBe(1);
  });

  it('takes another confidence level through z (90%: z = 1.6448536269514722)', () => {
    const iv = wilsonInterval(3, 20, 1.6448536269514722);
    expect(iv.lower).toBeCloseTo(0.061582410477368316, 12);
    expect(iv.upper).toBeCloseTo(0.3218280756753068, 12);
  });

  it('returns the whole unit interval with no trials', () => {
    expect(wilsonInterval(0, 0)).toEqual({ k: 0, n: 0, estimate: 0, lower: 0, upper: 1 });
  });

  it('rejects bad input naming the rule', () => {
    expect(() => wilsonInterval(3, 2)).toThrow('k must be an integer in [0, n=2], got 3');
    expect(() => wilsonInterval(1.5, 2)).toThrow('k must be an integer');
    expect(() => wilsonInterval(0, -1)).toThrow('n must be an integer');
    expect(() => wilsonInterval(0, 1, 0)).toThrow('z must be a positive');
  });

  it('formats as percent with the interval', () => {
    expect(formatInterval(wilsonInterval(5, 10))).toBe('50.0% [23.7–76.3%]');
    expect(Z_95).toBe(1.959963984540054);
  });
});
