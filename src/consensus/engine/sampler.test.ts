import seedrandom from 'seedrandom';
import { describe, expect, it } from 'vitest';
import { uniformInt, ValidatorSet } from './sampler.js';

function binom(n: number, k: number): number {
  if (k < 0 || k > n) return 0;
  let r = 1;
  for (let i = 0; i < k; i++) r = (r * (n - i)) / (i + 1);
  return r;
}

describe('uniformInt', () => {
  it('rejects the tail above the largest multiple of n and redraws', () => {
    // n = 3: limit = floor(2^26 / 3) * 3 = 2^26 - 1, so x = 2^26 - 1 is rejected.
    const draws = [(2 ** 26 - 1) / 2 ** 26, 0.5];
    let i = 0;
    const src = () => draws[i++]!;
    expect(uniformInt(src, 3)).toBe(2 ** 25 % 3);
    expect(i).toBe(2);
  });

  it('builds 52-bit values from two draws for large n', () => {
    const draws = [0.5, 0.25];
    let i = 0;
    const n = 2 ** 40 + 7;
    const x = 2 ** 25 * 2 ** 26 + 2 ** 24;
    expect(uniformInt(() => draws[i++]!, n)).toBe(x % n);
    expect(i).toBe(2);
  });

  it('names the bad argument', () => {
    expect(() => uniformInt(() => 0, 0)).toThrow(/n must be an integer in \[1, 2\^52\]/);
  });
});

describe('ValidatorSet', () => {
  it('maps stake units to owners, skipping zero-stake validators', () => {
    const v = new ValidatorSet([0, 2, 0, 3]);
    expect([0, 1, 2, 3, 4].map((u) => v.ownerOfUnit(u))).toEqual([1, 1, 3, 3, 3]);
    expect(v.totalStake).toBe(5);
  });

  it('rejects bad stakes and oversize samples with the field named', () => {
    expect(() => new ValidatorSet([1, -1])).toThrow(/stakes\[1\] must be a non-negative integer/);
    expect(() => new ValidatorSet([0, 0])).toThrow(/total stake must be > 0/);
    expect(() => new ValidatorSet([1, 1]).sample(() => 0.3, 3)).toThrow(/k \(3\) must be <= total stake \(2\)/);
  });

  it('never gives a validator more slots than its stake units (no replacement)', () => {
    const v = new ValidatorSet([1, 2, 3]);
    const rng = seedrandom.alea('nr');
    for (let t = 0; t < 2_000; t++) {
      const s = v.sample(rng, 6);
      const counts = [0, 0, 0];
      for (const x of s) counts[x]!++;
      expect(counts).toEqual([1, 2, 3]); // K = total stake: every unit drawn once
    }
  });

  /**
   * Slot multiplicities of a K-sample drawn without replacement of stake
   * units follow the multivariate hypergeometric distribution:
   * P(c_1..c_n) = prod_i C(s_i, c_i) / C(S, K). We compare the empirical
   * distribution over all outcomes with it by a chi-square goodness-of-fit
   * test (draws are seeded, so the statistic is a fixed number; the bound is
   * the 99.9% quantile of chi-square with df = outcomes - 1).
   */
  it('slot multiplicities follow the multivariate hypergeometric law', () => {
    const stakes = [1, 2, 3, 4];
    const S = 10;
    const K = 4;
    const v = new ValidatorSet(stakes);
    const outcomes = new Map<string, number>();
    const expectedP = new Map<string, number>();
    for (let a = 0; a <= 1; a++)
      for (let b = 0; b <= 2; b++)
        for (let c = 0; c <= 3; c++) {
          const d = K - a - b - c;
          if (d < 0 || d > 4) continue;
          expectedP.set(`${a},${b},${c},${d}`, (binom(1, a) * binom(2, b) * binom(3, c) * binom(4, d)) / binom(S, K));
        }
    const total = [...expectedP.values()].reduce((x, y) => x + y, 0);
    expect(total).toBeCloseTo(1, 12);
    const draws = 40_000;
    const rng = seedrandom.alea('mvhg');
    for (let t = 0; t < draws; t++) {
      const counts = [0, 0, 0, 0];
      for (const x of v.sample(rng, K)) counts[x]!++;
      const key = counts.join(',');
      outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
    }
    for (const key of outcomes.keys()) expect(expectedP.has(key)).toBe(true);
    let chi2 = 0;
    for (const [key, p] of expectedP) {
      const e = p * draws;
      const o = outcomes.get(key) ?? 0;
      chi2 += ((o - e) * (o - e)) / e;
    }
    const df = expectedP.size - 1; // 20 outcomes
    expect(df).toBe(19);
    // chi-square(19) 99.9% quantile = 43.82 (scipy.stats.chi2.ppf(0.999, 19))
    expect(chi2).toBeLessThan(43.82);
    // And the marginal of the heaviest validator: E[c_4] = K * 4 / 10 = 1.6.
    let sum = 0;
    for (const [key, o] of outcomes) sum += Number(key.split(',')[3]) * o;
    expect(Math.abs(sum / draws - 1.6)).toBeLessThan(0.02); // sd of mean ~ 0.0038
  });

  it('samples 10,000 validators with uneven stake', () => {
    const stakes = Array.from({ length: 10_000 }, (_, i) => 1 + (i % 100) * 1_000);
    const v = new ValidatorSet(stakes);
    const rng = seedrandom.alea('big');
    const s = v.sample(rng, 20);
    expect(s).toHaveLength(20);
    for (const x of s) expect(x).toBeGreaterThanOrEqual(0);
    // stake-1 validators (i % 100 === 0) own 100 of ~5e8 units: practically never drawn.
    let small = 0;
    for (let t = 0; t < 500; t++) for (const x of v.sample(rng, 20)) if (x % 100 === 0) small++;
    expect(small).toBe(0);
  });

  it('picks distinct uniform peers excluding self', () => {
    const v = new ValidatorSet([5, 5, 5, 5, 5]);
    const rng = seedrandom.alea('peers');
    for (let t = 0; t < 200; t++) {
      const p = v.uniformPeers(rng, 3, 2);
      expect(new Set(p).size).toBe(3);
      expect(p).not.toContain(2);
    }
    expect(v.uniformPeers(rng, 10, 0).toSorted((a, b) => a - b)).toEqual([1, 2, 3, 4]);
  });
});
