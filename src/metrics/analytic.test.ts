import { describe, expect, it } from 'vitest';
import {
  analyticOverlay,
  binomialPmf,
  expectedPollsMultiPair,
  expectedPollsToFinalise,
  hypergeometricPmf,
  livenessFractionRuleOfThumb,
  logChoose,
  pollSuccessBinomial,
  pollSuccessStakeUnits,
  pollSuccessValidators,
  tailAtLeast,
  type TerminationCondition,
} from './analytic.js';

const sum = (a: Float64Array): number => a.reduce((s, x) => s + x, 0);

// Reference values from scipy.stats (binom.sf(14, 20, p), hypergeom.sf(14, M, n, 20)).
describe('poll success', () => {
  it('binomial form: P[Bin(20, 0.75) >= 15] = 0.6172 (AvalancheGo defaults, f = 25%)', () => {
    expect(pollSuccessBinomial({ k: 20, alpha: 15, faultyFraction: 0.25 })).toBeCloseTo(0.6171726543871046, 12);
    expect(pollSuccessBinomial({ k: 20, alpha: 15, faultyFraction: 0.2 })).toBeCloseTo(0.8042077854595495, 12);
    expect(pollSuccessBinomial({ k: 20, alpha: 15, faultyFraction: 0.1 })).toBeCloseTo(0.988746865835491, 12);
    expect(pollSuccessBinomial({ k: 20, alpha: 15, faultyFraction: 0.33 })).toBeCloseTo(0.3082500563938659, 12);
    expect(pollSuccessBinomial({ k: 20, alpha: 15, faultyFraction: 0 })).toBe(1);
    expect(pollSuccessBinomial({ k: 20, alpha: 15, faultyFraction: 1 })).toBe(0);
  });

  it('without-replacement form matches scipy hypergeom', () => {
    expect(pollSuccessStakeUnits({ k: 20, alpha: 15, totalUnits: 100, honestUnits: 75 })).toBeCloseTo(0.6235334414302615, 12);
    expect(pollSuccessStakeUnits({ k: 20, alpha: 15, totalUnits: 2000, honestUnits: 1500 })).toBeCloseTo(0.6174282825459212, 12);
    expect(pollSuccessValidators({ k: 20, alpha: 15, validators: 150, faulty: 50, unitsPerValidator: 1 })).toBeCloseTo(
      0.2813711544095411,
      12,
    );
  });

  it('hypergeometric converges to the binomial as stake units grow', () => {
    const bin = pollSuccessBinomial({ k: 20, alpha: 15, faultyFraction: 0.25 });
    let prevGap = Infinity;
    for (const units of [1, 10, 100, 10_000, 1_000_000, 1e12]) {
      const hyp = pollSuccessValidators({ k: 20, alpha: 15, validators: 100, faulty: 25, unitsPerValidator: units });
      const gap = Math.abs(hyp - bin);
      expect(gap).toBeLessThan(prevGap);
      prevGap = gap;
    }
    // 1e14 units in all: indistinguishable from the binomial (log-space coefficients keep precision).
    expect(prevGap).toBeLessThan(1e-10);
    // Without replacement, fewer faulty draws are possible: sampling all 20 of 20 units is certain.
    expect(pollSuccessStakeUnits({ k: 20, alpha: 15, totalUnits: 20, honestUnits: 15 })).toBe(1);
  });

  it('pmfs sum to one and logChoose is exact on small numbers', () => {
    expect(sum(binomialPmf(20, 0.37))).toBeCloseTo(1, 13);
    expect(sum(hypergeometricPmf(1000, 333, 20))).toBeCloseTo(1, 13);
    expect(Math.exp(logChoose(20, 15))).toBeCloseTo(15504, 8);
    expect(logChoose(5, 6)).toBe(Number.NEGATIVE_INFINITY);
    expect(tailAtLeast(binomialPmf(4, 0.5), 3)).toBeCloseTo(5 / 16, 15);
  });

  it('rule of thumb f < 1 - alpha/K is 25% at K=20, alpha=15', () => {
    expect(livenessFractionRuleOfThumb({ k: 20, alpha: 15 })).toBe(0.25);
  });

  it('rejects bad input naming the field', () => {
    expect(() => pollSuccessBinomial({ k: 20, alpha: 21, faultyFraction: 0 })).toThrow('poll: alpha must be an integer in [1, 20], got 21');
    expect(() => pollSuccessBinomial({ k: 20, alpha: 15, faultyFraction: 1.5 })).toThrow('poll: faultyFraction must be in [0, 1]');
    expect(() => pollSuccessStakeUnits({ k: 20, alpha: 15, totalUnits: 10, honestUnits: 5 })).toThrow('totalUnits must be >= k');
  });
});

describe('expected polls to finalise', () => {
  it('closed form (1 - p^b)/((1 - p) p^b)', () => {
    expect(expectedPollsToFinalise(1, 20)).toBe(20);
    expect(expectedPollsToFinalise(0.5, 1)).toBeCloseTo(2, 14);
    expect(expectedPollsToFinalise(0.5, 3)).toBeCloseTo(14, 12); // 2 + 4 + 8
    expect(expectedPollsToFinalise(0, 3)).toBe(Number.POSITIVE_INFINITY);
    const p = pollSuccessBinomial({ k: 20, alpha: 15, faultyFraction: 0.25 });
    expect(expectedPollsToFinalise(p, 20)).toBeCloseTo(40628.95234734865, 6);
    // Near p = 1 the expm1 form stays accurate: sum of p^-i for i = 1..20.
    const q = 1 - 1e-12;
    let direct = 0;
    for (let i = 1; i <= 20; i++) direct += q ** -i;
    expect(expectedPollsToFinalise(q, 20)).toBeCloseTo(direct, 8);
  });

  it('one termination pair equals the closed form', () => {
    const pmf = binomialPmf(20, 0.8);
    const p = tailAtLeast(pmf, 15);
    expect(expectedPollsMultiPair(pmf, [{ alphaConfidence: 15, beta: 20 }])).toBeCloseTo(expectedPollsToFinalise(p, 20), 6);
  });

  it('several pairs match an independent value iteration, and finalise sooner than one pair', () => {
    const pmf = binomialPmf(20, 0.8);
    const conds: TerminationCondition[] = [
      { alphaConfidence: 14, beta: 6 },
      { alphaConfidence: 17, beta: 3 },
    ];
    const exact = expectedPollsMultiPair(pmf, conds);
    // Value iteration over (s1, s2), s1 in [0, 6), s2 in [0, 3), straight from the RecordPoll rules.
    const p1 = tailAtLeast(pmf, 14) - tailAtLeast(pmf, 17);
    const p2 = tailAtLeast(pmf, 17);
    let e = Array.from({ length: 6 }, () => new Float64Array(3));
    for (let round = 0; round < 5000; round++) {
      const next = Array.from({ length: 6 }, () => new Float64Array(3));
      for (let s1 = 0; s1 < 6; s1++) {
        for (let s2 = 0; s2 < 3; s2++) {
          const reset = e[0]?.[0] ?? 0;
          const lvl1 = s1 + 1 >= 6 ? 0 : (e[s1 + 1]?.[0] ?? 0);
          const lvl2 = s1 + 1 >= 6 || s2 + 1 >= 3 ? 0 : (e[s1 + 1]?.[s2 + 1] ?? 0);
          next[s1]![s2] = 1 + (1 - p1 - p2) * reset + p1 * lvl1 + p2 * lvl2;
        }
      }
      e = next;
    }
    expect(exact).toBeCloseTo(e[0]?.[0] ?? NaN, 8);
    expect(exact).toBeLessThan(expectedPollsToFinalise(tailAtLeast(pmf, 14), 6));
  });

  it('rejects pairs out of order', () => {
    const pmf = binomialPmf(20, 0.8);
    expect(() =>
      expectedPollsMultiPair(pmf, [
        { alphaConfidence: 17, beta: 3 },
        { alphaConfidence: 14, beta: 6 },
      ]),
    ).toThrow('conditions[1] must have alphaConfidence >= and beta <= those of conditions[0]');
  });
});

describe('analyticOverlay', () => {
  it('tabulates both forms per fraction (K=20, alpha=15, beta=20, 150 single-unit validators; scipy values)', () => {
    const rows = analyticOverlay({ k: 20, alpha: 15, beta: 20, validators: 150, unitsPerValidator: 1, fractions: [0, 0.2, 0.33] });
    expect(rows.map((r) => r.faultyValidators)).toEqual([0, 30, 50]);
    expect(rows[0]).toMatchObject({ pollSuccessBinomial: 1, expectedPollsBinomial: 20, expectedPollsWithoutReplacement: 20 });
    expect(rows[1]?.pollSuccessWithoutReplacement).toBeCloseTo(0.8187367175356831, 12);
    expect(rows[1]?.expectedPollsBinomial).toBeCloseTo(393.76965814875297, 6);
    expect(rows[1]?.expectedPollsWithoutReplacement).toBeCloseTo(295.6483792912742, 6);
    expect(rows[2]?.pollSuccessWithoutReplacement).toBeCloseTo(0.2813711544095411, 12);
    expect((rows[2]?.expectedPollsWithoutReplacement ?? 0) / 143848025885.1168).toBeCloseTo(1, 9);
  });
});
