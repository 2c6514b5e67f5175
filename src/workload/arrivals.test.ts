import { describe, expect, it } from 'vitest';
import { createStream } from '../sim/rng.js';
import { ArrivalProcess, meanOfferedTps, type LoadPhase } from './arrivals.js';

const SECOND = 1_000_000;

function drain(p: ArrivalProcess, cap = 1_000_000): number[] {
  const out: number[] = [];
  for (let t = p.next(); t !== undefined && out.length < cap; t = p.next()) out.push(t);
  return out;
}

describe('ArrivalProcess', () => {
  it('constant load is evenly spaced at the node share, starting at the offset', () => {
    const phases: LoadPhase[] = [{ kind: 'constant', durationUs: 2 * SECOND, tps: 100 }];
    // 10 nodes share 100 tps: 10 tps each, one every 100 ms, this node at offset 0.5.
    const times = drain(new ArrivalProcess(phases, 0.1, 0.5, createStream(1, 0, 'workload')));
    expect(times.slice(0, 3)).toEqual([50_000, 150_000, 250_000]);
    expect(times).toHaveLength(20);
  });

  it('poisson load has the configured mean rate and exponential gaps', () => {
    const phases: LoadPhase[] = [{ kind: 'poisson', durationUs: 1000 * SECOND, tps: 50 }];
    const times = drain(new ArrivalProcess(phases, 1, 0, createStream(3, 0, 'workload')));
    // 50,000 expected arrivals; Poisson sd = sqrt(50,000) ≈ 224, so ±1% is > 2 sd.
    expect(times.length).toBeGreaterThan(49_500);
    expect(times.length).toBeLessThan(50_500);
    const gaps = times.slice(1).map((t, i) => t - (times[i] as number));
    const over40ms = gaps.filter((g) => g > 40_000).length / gaps.length;
    // P[Exp(50/s) > 40 ms] = e^-2 ≈ 0.1353.
    expect(over40ms).toBeCloseTo(Math.exp(-2), 2);
  });

  it('a ramp delivers the integral of its rate, denser at the end', () => {
    const phases: LoadPhase[] = [{ kind: 'ramp', durationUs: 10 * SECOND, fromTps: 10, toTps: 1000, poisson: false }];
    const times = drain(new ArrivalProcess(phases, 1, 0, createStream(1, 0, 'workload')));
    // ∫ rate = (10 + 1000) / 2 · 10 s = 5,050 arrivals.
    expect(times.length).toBe(5050);
    const firstHalf = times.filter((t) => t < 5 * SECOND).length;
    // ∫_0^5 (10 + 99 t) dt = 50 + 1237.5 = 1287.5
    expect(firstHalf).toBe(1288);
  });

  it('phases follow each other and the process ends', () => {
    const phases: LoadPhase[] = [
      { kind: 'constant', durationUs: SECOND, tps: 2 },
      { kind: 'constant', durationUs: SECOND, tps: 4 },
    ];
    expect(drain(new ArrivalProcess(phases, 1, 0, createStream(1, 0, 'workload')))).toEqual([
      0, 500_000, 1_000_000, 1_250_000, 1_500_000, 1_750_000,
    ]);
  });

  it('rejects a share outside (0, 1]', () => {
    expect(() => new ArrivalProcess([], 0, 0, createStream(1, 0, 'workload'))).toThrow('share: must be in (0, 1]');
  });

  it('reports the mean offered rate', () => {
    expect(
      meanOfferedTps([
        { kind: 'constant', durationUs: SECOND, tps: 100 },
        { kind: 'ramp', durationUs: SECOND, fromTps: 0, toTps: 200, poisson: true },
      ]),
    ).toBe(100);
  });
});
