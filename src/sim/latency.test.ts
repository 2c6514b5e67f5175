import { describe, expect, it } from 'vitest';
import {
  LatencySampler,
  minLatencyUs,
  simblock2019Profile,
  SIMBLOCK_LATENCY_2019_MS,
  SIMBLOCK_REGION_DISTRIBUTION_2019,
  type LatencyProfile,
} from './latency.js';
import { createStream } from './rng.js';

const SAMPLES = 200_000;

function draw(p: LatencyProfile, src = 0, dst = 1, nodeCount = 2): Float64Array {
  const s = new LatencySampler(p, nodeCount, createStream(1, -1, 'placement'));
  const rng = createStream(1, 0, 'network');
  const out = new Float64Array(SAMPLES);
  for (let i = 0; i < SAMPLES; i++) out[i] = s.sample(src, dst, rng);
  return out;
}

function mean(xs: Float64Array): number {
  let s = 0;
  for (const x of xs) s += x;
  return s / xs.length;
}

function minOf(xs: Float64Array): number {
  return xs.reduce((a, b) => (b < a ? b : a), Infinity);
}

function maxOf(xs: Float64Array): number {
  return xs.reduce((a, b) => (b > a ? b : a), -Infinity);
}

function quantile(xs: Float64Array, q: number): number {
  // A fresh copy, sorted in place (typed-array sort is numeric).
  const sorted = Float64Array.from(xs);
  sorted.sort();
  return sorted[Math.floor(q * (sorted.length - 1))]!;
}

/** |got - want| <= tol * want */
function near(got: number, want: number, tol: number): void {
  expect(Math.abs(got - want)).toBeLessThanOrEqual(tol * want);
}

// Tolerances: with 200k samples the standard error of the mean is < 0.3% for
// these shapes; we allow 1% on means and 1.5% on quantiles.
describe('latency profiles match their distributions (200k samples)', () => {
  it('constant', () => {
    const xs = draw({ kind: 'constant', latencyUs: 1234 });
    expect(minOf(xs)).toBe(1234);
    expect(maxOf(xs)).toBe(1234);
  });

  it('uniform (inclusive bounds): mean (a+b)/2, quartiles at a + (b-a)/4 and 3/4', () => {
    const xs = draw({ kind: 'uniform', minUs: 1000, maxUs: 5000 });
    expect(minOf(xs)).toBe(1000);
    expect(maxOf(xs)).toBe(5000);
    near(mean(xs), 3000, 0.01);
    near(quantile(xs, 0.25), 2000, 0.015);
    near(quantile(xs, 0.75), 4000, 0.015);
  });

  it('lognormal (median + sigma): median, mean = median·e^(σ²/2), p90 = median·e^(1.2816σ)', () => {
    const median = 50_000;
    const sigma = 0.5;
    const xs = draw({ kind: 'lognormal', medianUs: median, sigma, floorUs: 1 });
    near(quantile(xs, 0.5), median, 0.015);
    near(mean(xs), median * Math.exp((sigma * sigma) / 2), 0.01);
    near(quantile(xs, 0.9), median * Math.exp(1.2816 * sigma), 0.015);
  });

  it('region matrix with SimBlock Pareto jitter: mean = table value, min = (m - 5) ms, median = scale·2^(1/shape)', () => {
    const p: LatencyProfile = {
      kind: 'region',
      matrixMs: SIMBLOCK_LATENCY_2019_MS,
      regionWeights: [1, 0, 0, 0, 0, 0], // everyone in NA: pair (NA, NA), m = 32 ms
      jitter: { kind: 'pareto-simblock' },
    };
    const xs = draw(p);
    const m = 32;
    const shape = 0.2 * m;
    const scaleUs = (m - 5) * 1000;
    near(mean(xs), m * 1000, 0.01);
    expect(minOf(xs)).toBeGreaterThanOrEqual(scaleUs);
    near(quantile(xs, 0.5), scaleUs * Math.pow(2, 1 / shape), 0.015);
    near(quantile(xs, 0.99), scaleUs * Math.pow(100, 1 / shape), 0.015);
  });

  it('region matrix without jitter uses the table value between the nodes regions', () => {
    const p: LatencyProfile = { kind: 'region', matrixMs: [[10, 80], [80, 10]], regionWeights: [1, 1], jitter: { kind: 'none' } };
    const s = new LatencySampler(p, 1000, createStream(9, -1, 'placement'));
    const rng = createStream(9, 0, 'network');
    for (let a = 0; a < 20; a++) {
      const want = s.regionOf[a] === s.regionOf[a + 1] ? 10_000 : 80_000;
      expect(s.sample(a, a + 1, rng)).toBe(want);
    }
  });

  it('places nodes by SimBlock 2019 region weights', () => {
    const n = 100_000;
    const s = new LatencySampler(simblock2019Profile(), n, createStream(5, -1, 'placement'));
    const counts = Array.from({ length: 6 }, () => 0);
    for (const r of s.regionOf) counts[r]!++;
    SIMBLOCK_REGION_DISTRIBUTION_2019.forEach((w, r) => {
      expect(Math.abs(counts[r]! / n - w)).toBeLessThan(0.005);
    });
  });
});

describe('minLatencyUs (lookahead bound)', () => {
  it('is exact and positive for each profile', () => {
    expect(minLatencyUs({ kind: 'constant', latencyUs: 700 })).toBe(700);
    expect(minLatencyUs({ kind: 'uniform', minUs: 3, maxUs: 9 })).toBe(3);
    expect(minLatencyUs({ kind: 'lognormal', medianUs: 100, sigma: 1, floorUs: 20 })).toBe(20);
    // SimBlock: smallest entry 11 ms (EU-EU), Pareto scale 11 - 5 = 6 ms.
    expect(minLatencyUs(simblock2019Profile())).toBe(6000);
    expect(minLatencyUs({ kind: 'region', matrixMs: [[3]], regionWeights: [1], jitter: { kind: 'none' } })).toBe(3000);
  });

  it('rejects profiles that could give zero or invalid latency, naming the field', () => {
    expect(() => minLatencyUs({ kind: 'constant', latencyUs: 0 })).toThrow(/latency\.latencyUs/);
    expect(() => minLatencyUs({ kind: 'uniform', minUs: 5, maxUs: 4 })).toThrow(/latency\.maxUs/);
    expect(() => minLatencyUs({ kind: 'region', matrixMs: [[4]], regionWeights: [1], jitter: { kind: 'pareto-simblock' } })).toThrow(
      /matrixMs\[0\]\[0\]/,
    );
    expect(() => minLatencyUs({ kind: 'region', matrixMs: [[40, 50]], regionWeights: [1], jitter: { kind: 'none' } })).toThrow(/square/);
  });
});
