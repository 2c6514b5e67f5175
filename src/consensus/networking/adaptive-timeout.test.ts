import { describe, expect, it } from 'vitest';
import { AdaptiveTimeoutManager, adaptiveTimeoutProblems, DEFAULT_ADAPTIVE_TIMEOUT } from './adaptive-timeout.js';

const S = 1_000_000;
const MIN = 60 * S;

/** One measured request every `everyUs` for `forUs`, each answered after `latencyUs`; returns the time reached. */
function traffic(tm: AdaptiveTimeoutManager, from: number, forUs: number, everyUs: number, latencyUs: number, id0: number): number {
  let t = from;
  let id = id0;
  while (t < from + forUs) {
    tm.put(id, t, true);
    tm.remove(id, t + latencyUs);
    id++;
    t += everyUs;
  }
  return t;
}

describe('AdaptiveTimeoutManager (adaptive_timeout_manager.go)', () => {
  it('has AvalancheGo defaults: initial 5 s, minimum 2 s, maximum 10 s, halflife 5 min, coefficient 2', () => {
    expect(DEFAULT_ADAPTIVE_TIMEOUT).toEqual({ initialUs: 5 * S, minimumUs: 2 * S, maximumUs: 10 * S, halflifeUs: 5 * MIN, coefficient: 2 });
    expect(new AdaptiveTimeoutManager(DEFAULT_ADAPTIVE_TIMEOUT, 0).timeoutDuration()).toBe(5 * S);
  });

  it('follows a step change in latency up and down, with the halflife, inside [minimum, maximum]', () => {
    const tm = new AdaptiveTimeoutManager(DEFAULT_ADAPTIVE_TIMEOUT, 0);
    // 100 ms answers for an hour: 2 × 100 ms is below the floor, so the timeout sits at the minimum.
    let t = traffic(tm, 0, 60 * MIN, 100_000, 100_000, 0);
    expect(tm.timeoutDuration()).toBe(2 * S);
    expect(tm.averageLatency()).toBeCloseTo(100_000, -2);
    // Latency steps to 4 s. After one halflife the average is about halfway: (0.1 + 4) / 2 s.
    t = traffic(tm, t, 5 * MIN, 100_000, 4 * S, 1e6);
    expect(tm.averageLatency() / S).toBeCloseTo(2.05, 1);
    expect(tm.timeoutDuration() / S).toBeCloseTo(4.1, 1);
    // Five halflives: within 1/32 of the step, timeout ≈ 2 × 4 s.
    t = traffic(tm, t, 20 * MIN, 100_000, 4 * S, 2e6);
    expect(tm.timeoutDuration() / S).toBeGreaterThan(7.7);
    expect(tm.timeoutDuration()).toBeLessThanOrEqual(8 * S);
    // 9 s answers would ask for 18 s: clamped to the 10 s maximum.
    t = traffic(tm, t, 30 * MIN, 100_000, 9 * S, 3e6);
    expect(tm.timeoutDuration()).toBe(10 * S);
    // And back down to the floor once answers are fast again.
    traffic(tm, t, 60 * MIN, 100_000, 50_000, 4e6);
    expect(tm.timeoutDuration()).toBe(2 * S);
  });

  it('a timed-out request feeds its full wait into the average: repeated timeouts climb to the maximum', () => {
    const tm = new AdaptiveTimeoutManager(DEFAULT_ADAPTIVE_TIMEOUT, 0);
    traffic(tm, 0, 60 * MIN, 100_000, 100_000, 0);
    expect(tm.timeoutDuration()).toBe(2 * S);
    let t = 60 * MIN;
    const seen: number[] = [];
    for (let id = 0; id < 4000; id++) {
      const d = tm.put(1e7 + id, t, true);
      t += d;
      expect(tm.timedOut(1e7 + id, t)).toBe(true);
      if (id % 1000 === 999) seen.push(tm.timeoutDuration());
    }
    expect(tm.timeouts()).toBe(4000);
    expect(seen[0]!).toBeGreaterThan(2 * S);
    expect(seen.at(-1)).toBe(10 * S);
  });

  it('does not measure requests registered unmeasured, and forgets unknown or replaced ids', () => {
    const tm = new AdaptiveTimeoutManager(DEFAULT_ADAPTIVE_TIMEOUT, 0);
    expect(tm.put(1, 0, false)).toBe(5 * S);
    expect(tm.remove(1, 9 * S)).toBe(true);
    expect([tm.timeoutDuration(), tm.averageLatency()]).toEqual([5 * S, 5 * S]);
    expect(tm.remove(1, 9 * S)).toBe(false); // already gone: a late or duplicate answer
    expect(tm.timedOut(2, 9 * S)).toBe(false);
    // Re-putting a pending id removes (and measures) the old request first.
    tm.put(3, 10 * S, true);
    tm.put(3, 11 * S, true);
    expect(tm.pending()).toBe(1);
    // The 1 s answer at 11 s against the 5 s seed from 0 s, decayed by 2^(-11 s / 5 min).
    const w = 2 ** (-11 / 300);
    expect(tm.averageLatency() / S).toBeCloseTo((1 + 5 * w) / (1 + w), 9);
    expect(tm.timeoutDuration()).toBe(Math.trunc((2 * S * (1 + 5 * w)) / (1 + w)));
    // A second observation at the same instant weighs 1, as the first.
    tm.observeLatency(0, 11 * S);
    expect(tm.averageLatency() / S).toBeCloseTo((1 + 5 * w) / (2 + w), 9);
  });

  it("validates as config.go does, with AvalancheGo's inequality", () => {
    const c = DEFAULT_ADAPTIVE_TIMEOUT;
    expect(adaptiveTimeoutProblems(c)).toEqual([]);
    expect(adaptiveTimeoutProblems({ ...c, minimumUs: 0 })).toEqual([{ field: 'minimum', message: 'fails 0 < minimum (minimum = 0us)' }]);
    expect(adaptiveTimeoutProblems({ ...c, minimumUs: 3 * S, maximumUs: 2 * S })).toEqual([
      { field: 'maximum', message: 'fails minimum <= maximum (3s > 2s)' },
    ]);
    expect(adaptiveTimeoutProblems({ ...c, initialUs: 1 * S })).toEqual([
      { field: 'initial', message: 'fails minimum <= initial <= maximum (2s <= 1s <= 10s)' },
    ]);
    expect(adaptiveTimeoutProblems({ ...c, initialUs: 11 * S })[0]!.field).toBe('initial');
    expect(adaptiveTimeoutProblems({ ...c, halflifeUs: 0 })).toEqual([{ field: 'halflife', message: 'fails 0 < halflife (halflife = 0us)' }]);
    expect(adaptiveTimeoutProblems({ ...c, coefficient: 0.9 })).toEqual([{ field: 'coefficient', message: 'fails 1 <= coefficient (coefficient = 0.9)' }]);
    expect(adaptiveTimeoutProblems({ ...c, initialUs: 1.5 })).toEqual([{ field: 'initial', message: 'must be a whole number of microseconds (got 1.5)' }]);
    expect(() => new AdaptiveTimeoutManager({ ...c, coefficient: 0.5 }, 0)).toThrow('adaptive timeout: coefficient fails 1 <= coefficient (coefficient = 0.5)');
  });
});
