/**
 * AvalancheGo's benchlist tests (snow/networking/benchlist/benchlist_test.go),
 * with virtual time instead of sleeps: each observation is at an explicit
 * instant, so the "≈" figures of the Go comments are exact here.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_PARAMS } from '../params.js';
import { ContinuousAverager } from './averager.js';
import { type BenchChange, Benchlist, type BenchlistConfig, benchlistProblems, defaultBenchlistConfig, defaultMaxPortion } from './benchlist.js';

const MS = 1_000;
const DEFAULTS = defaultBenchlistConfig(DEFAULT_PARAMS);

function stakes(...w: number[]): { totalStake: number; stakeOf(n: number): number } {
  return { totalStake: w.reduce((a, b) => a + b, 0), stakeOf: (n) => w[n] ?? 0 };
}
function list(cfg: Partial<BenchlistConfig>, ...w: number[]): Benchlist {
  return new Benchlist({ ...DEFAULTS, ...cfg }, stakes(...w));
}
/** `times` failures of `node` at `now`, the changes they caused. */
function fail(b: Benchlist, node: number, times: number, now = 0): BenchChange[] {
  const out: BenchChange[] = [];
  for (let i = 0; i < times; i++) out.push(...b.registerFailure(node, now));
  return out;
}
const bench = (node: number): BenchChange => ({ node, benched: true });
const unbench = (node: number): BenchChange => ({ node, benched: false });

describe('Benchlist (benchlist.go)', () => {
  it("has AvalancheGo's defaults: halflife 1 min, bench > 0.5, unbench < 0.2, 5 min, cap (1 − αc/K)/3", () => {
    expect(DEFAULTS).toEqual({ halflifeUs: 60_000_000, benchProbability: 0.5, unbenchProbability: 0.2, durationUs: 300_000_000, maxPortion: (1 - 15 / 20) / 3 });
    expect(defaultMaxPortion({ k: 20, alphaConfidence: 15 })).toBeCloseTo(1 / 12, 15);
  });

  it('TestBenchlist: benches on the second failure, unbenches after eight answers, rebenches after four failures one halflife later', () => {
    const halflife = 25 * MS;
    const b = list({ halflifeUs: halflife, maxPortion: 0.999 }, 1, 1);
    // The first failure starts from the optimistic prior: p = 0.5, not above 0.5.
    expect(b.registerFailure(0, 0)).toEqual([]);
    expect(b.failureProbability(0)).toBe(0.5);
    expect(b.registerFailure(0, 0)).toEqual([bench(0)]); // p = 2/3
    // Node 2 has no stake: not tracked.
    expect(b.registerFailure(2, 0)).toEqual([]);
    expect([b.isBenched(0), b.isBenched(2), b.failureProbability(2)]).toEqual([true, false, undefined]);
    const answers: BenchChange[] = [];
    for (let i = 0; i < 8; i++) answers.push(...b.registerResponse(0, 0));
    expect(answers).toEqual([unbench(0)]); // p = 2/11 < 0.2
    expect(b.failureProbability(0)).toBeCloseTo(2 / 11, 15);
    // One halflife later the past weighs half: (4 + 2/2) / (4 + 11/2) = 0.526 > 0.5 at the fourth failure.
    expect(fail(b, 0, 3, halflife)).toEqual([]);
    expect(fail(b, 0, 1, halflife)).toEqual([bench(0)]);
    expect(b.failureProbability(0)).toBeCloseTo(5 / 9.5, 12);
  });

  it('TestBenchlistSkipsBenchingWhenMaxPortionExceeded', () => {
    const b = list({ maxPortion: 0.4 }, 1, 1);
    expect(fail(b, 0, 2)).toEqual([]); // p = 2/3, but half the stake is over 40%
    expect([b.isBenched(0), b.benched(), b.benchedStake()]).toEqual([false, [], 0]);
  });

  it('TestBenchlistTimeout and TestBenchlistTimeoutCleansSlate: let back after the duration with a clean slate', () => {
    const b = list({ durationUs: 50 * MS, maxPortion: 0.999 }, 1, 1);
    expect(fail(b, 0, 2)).toEqual([bench(0)]);
    expect(b.nextExpiry()).toBe(50 * MS);
    expect(b.expire(49 * MS)).toEqual([]);
    expect(b.expire(50 * MS)).toEqual([unbench(0)]);
    expect([b.isBenched(0), b.nextExpiry(), b.failureProbability(0)]).toEqual([false, undefined, 0]);
    // A response then a failure: 1/3, not enough to bench again.
    expect(b.registerResponse(0, 50 * MS)).toEqual([]);
    expect(b.registerFailure(0, 50 * MS)).toEqual([]);
    expect(b.failureProbability(0)).toBeCloseTo(1 / 3, 15);
  });

  it('an observation after the duration is applied before the peer is let back (events, then timeouts)', () => {
    const b = list({ durationUs: 50 * MS, maxPortion: 0.999 }, 1, 1);
    fail(b, 0, 2);
    expect(b.registerFailure(0, 60 * MS)).toEqual([unbench(0)]);
    expect(b.failureProbability(0)).toBe(0); // the slate is cleaned after the failure was counted
  });

  it('TestBenchlistEvictsLowestProbabilityNode', () => {
    const b = list({ maxPortion: 0.4 }, 1, 1, 1);
    expect(fail(b, 0, 2)).toEqual([bench(0)]); // p = 2/3; room for one stake unit (1.2)
    expect(fail(b, 1, 2)).toEqual([]); // 2/3 is not strictly above A's 2/3: no eviction
    expect(fail(b, 1, 1)).toEqual([unbench(0), bench(1)]); // 3/4 > 2/3: A evicted
    expect(b.benched()).toEqual([1]);
  });

  it('TestBenchlistEvictsMultipleNodes: D (stake 5) needs A and B (2 + 2) out', () => {
    const b = list({ maxPortion: 0.5 }, 2, 2, 1, 5);
    expect(fail(b, 0, 2)).toEqual([bench(0)]);
    expect(fail(b, 1, 2)).toEqual([bench(1)]);
    expect(b.benchedStake()).toBe(4);
    expect(fail(b, 3, 5)).toEqual([unbench(0), unbench(1), bench(3)]);
    expect([b.benched(), b.benchedStake()]).toEqual([[3], 5]);
  });

  it('TestBenchlistEvictionRefusedWhenNoBetterCandidate', () => {
    const b = list({ maxPortion: 0.4 }, 1, 1, 1);
    expect(fail(b, 0, 10)).toEqual([bench(0)]);
    expect(fail(b, 1, 2)).toEqual([]);
    expect([b.isBenched(0), b.isBenched(1)]).toEqual([true, false]);
  });

  it('TestBenchlistEvictionRespectsStakeConstraints', () => {
    const b = list({ maxPortion: 0.15 }, 1, 3, 6);
    expect(fail(b, 0, 2)).toEqual([bench(0)]);
    expect(fail(b, 1, 5)).toEqual([]); // evicting A frees 1 of the 3 needed
    expect([b.isBenched(0), b.isBenched(1)]).toEqual([true, false]);
  });

  it('TestBenchlistEvictedNodePreservesEWMA: an evicted peer keeps its average', () => {
    const b = list({ maxPortion: 0.4 }, 1, 1, 1);
    fail(b, 0, 2);
    expect(fail(b, 1, 3)).toEqual([unbench(0), bench(1)]);
    expect(b.failureProbability(0)).toBeCloseTo(2 / 3, 15);
    // Answers bring it under 0.2 the organic way (it is no longer benched, so no change is reported).
    for (let i = 0; i < 8; i++) expect(b.registerResponse(0, 0)).toEqual([]);
    expect(b.failureProbability(0)).toBeCloseTo(2 / 11, 15);
  });

  it('with the default cap, at most 1/12 of the stake is benched however many peers fail', () => {
    const b = new Benchlist(DEFAULTS, stakes(...Array.from({ length: 100 }, () => 1)));
    for (let n = 0; n < 40; n++) fail(b, n, 3);
    expect(b.benched()).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(b.benchedStake()).toBe(8);
  });

  it('maxPortion 0 disables benching (manager.go NewManager)', () => {
    const b = list({ maxPortion: 0 }, 1, 1);
    expect([b.enabled(), fail(b, 0, 10), b.isBenched(0)]).toEqual([false, [], false]);
  });

  it('validates: 0 <= maxPortion < 1 (AvalancheGo), and the probabilities, halflife and duration', () => {
    expect(benchlistProblems(DEFAULTS)).toEqual([]);
    expect(benchlistProblems({ ...DEFAULTS, maxPortion: 1 })).toEqual([{ field: 'maxPortion', message: 'fails 0 <= maxPortion < 1 (maxPortion = 1)' }]);
    expect(benchlistProblems({ ...DEFAULTS, maxPortion: -0.1 })[0]!.field).toBe('maxPortion');
    expect(benchlistProblems({ ...DEFAULTS, unbenchProbability: 0.6 })).toEqual([
      { field: 'unbenchProbability', message: 'fails 0 <= unbenchProbability <= benchProbability (0.6 <= 0.5)' },
    ]);
    expect(benchlistProblems({ ...DEFAULTS, benchProbability: 1.5 })[0]).toEqual({ field: 'benchProbability', message: 'fails 0 <= benchProbability <= 1 (benchProbability = 1.5)' });
    expect(benchlistProblems({ ...DEFAULTS, halflifeUs: 0 })).toEqual([{ field: 'halflife', message: 'fails 0 < halflife (halflife = 0us)' }]);
    expect(benchlistProblems({ ...DEFAULTS, durationUs: -1 })).toEqual([{ field: 'duration', message: 'fails 0 < duration (duration = -1us)' }]);
    expect(() => list({ maxPortion: 2 }, 1)).toThrow('benchlist: maxPortion fails 0 <= maxPortion < 1 (maxPortion = 2)');
  });

  it('keeps each peer\'s average bit for bit as ContinuousAverager does, with or without the validator count (flat arrays)', () => {
    // No benching (the bench threshold is out of reach), so every observation only moves the averages.
    const cfg: BenchlistConfig = { ...DEFAULTS, halflifeUs: 40 * MS, benchProbability: 1, unbenchProbability: 0 };
    const w = [3, 1, 0, 2, 5, 1, 1, 4];
    const sized = new Benchlist(cfg, { ...stakes(...w), size: w.length });
    const growing = new Benchlist(cfg, stakes(...w));
    const ref = new Map<number, ContinuousAverager>();
    let x = 12345;
    let now = 0;
    for (let i = 0; i < 3_000; i++) {
      x = (Math.imul(x, 1103515245) + 12345) >>> 0;
      const node = x % w.length;
      const fails = (x >>> 8) % 7 === 0; // mostly answers: a peer's sum stays exactly 0 until it first fails
      now += (x >>> 12) % 3 === 0 ? 0 : (x >>> 16) % (10 * MS);
      for (const b of [sized, growing]) {
        if (fails) b.registerFailure(node, now);
        else b.registerResponse(node, now);
      }
      if (w[node] === 0) continue;
      let a = ref.get(node);
      if (a === undefined) ref.set(node, (a = new ContinuousAverager(0, cfg.halflifeUs, now)));
      a.observe(fails ? 1 : 0, now);
      expect(sized.failureProbability(node)).toBe(a.read());
      expect(growing.failureProbability(node)).toBe(a.read());
    }
    expect(sized.failureProbability(2)).toBeUndefined(); // no stake: never tracked
    expect([...ref.keys()].length).toBe(7);
  });
});
