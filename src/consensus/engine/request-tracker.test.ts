import { describe, expect, it } from 'vitest';
import type { Host } from '../host.js';
import { AdaptiveTimeoutManager } from '../networking/adaptive-timeout.js';
import { RequestTracker } from './request-tracker.js';
import { TimerKind, timerArg, timerKind } from './timer-tags.js';

function fakeHost(): { host: Host<never>; set: Array<{ delay: number; tag: number }>; cancelled: number[] } {
  const set: Array<{ delay: number; tag: number }> = [];
  const cancelled: number[] = [];
  const host = {
    id: 0,
    now: () => 0,
    send: () => {},
    setTimer: (delay: number, tag: number) => set.push({ delay, tag }),
    cancelTimer: (h: number) => cancelled.push(h),
    random: () => 0,
    chargeCpu: () => {},
    isConnected: () => true,
  };
  return { host, set, cancelled };
}

describe('RequestTracker', () => {
  it('sets one timeout per request, cancels it when settled, and forgets an expired one without cancelling', () => {
    const { host, set, cancelled } = fakeHost();
    const timeouts = new AdaptiveTimeoutManager({ initialUs: 2_000, minimumUs: 2_000, maximumUs: 2_000, halflifeUs: 1_000_000, coefficient: 2 }, 0);
    const t = new RequestTracker(host, TimerKind.GetTimeout, () => timeouts);
    t.register(41, 5);
    t.register(42, 6);
    expect(set.map((s) => [s.delay, timerKind(s.tag), timerArg(s.tag)])).toEqual([
      [2_000, TimerKind.GetTimeout, 41],
      [2_000, TimerKind.GetTimeout, 42],
    ]);
    expect([t.peerOf(41), t.size]).toEqual([5, 2]);
    expect(t.settle(41)).toBe(true);
    expect(cancelled).toEqual([1]);
    expect(t.settle(41)).toBe(false);
    expect(t.expire(42)).toBe(true);
    expect(cancelled).toEqual([1]);
    expect([t.has(42), t.size]).toEqual([false, 0]);
    t.register(43, 1);
    t.clear();
    expect([cancelled, t.size]).toEqual([[1, 3], 0]);
  });

  it('feeds each answer, settle(answered) and every failed peer of an expiry to the adaptive timeout, and nothing when not measuring; a re-registered id keeps its peer', () => {
    let now = 0;
    const { host } = fakeHost();
    const h = { ...host, now: () => now };
    const seen: number[][] = [];
    const timeouts = { timeoutDuration: () => 5_000, observeLatency: (l: number, at: number) => seen.push([l, at]) } as unknown as AdaptiveTimeoutManager;
    const t = new RequestTracker(h, TimerKind.QueryTimeout, () => timeouts);
    t.register(1);
    now = 300;
    t.responded(1);
    now = 500;
    expect(t.settle(1, true)).toBe(true);
    t.responded(1); // settled: not open any more
    t.register(2, 9);
    now = 5_500;
    expect(t.expire(2, 3)).toBe(true);
    expect(t.expire(2, 3)).toBe(false);
    expect(seen).toEqual([[300, 300], [500, 500], [5_000, 5_500], [5_000, 5_500], [5_000, 5_500]]);
    t.register(3, 7);
    t.register(3);
    expect([t.peerOf(3), t.size]).toEqual([7, 1]);
    const quiet = new RequestTracker(h, TimerKind.GetTimeout, () => timeouts, false);
    quiet.register(4, 1);
    now = 6_000;
    quiet.responded(4);
    expect(quiet.settle(4, true)).toBe(true);
    quiet.register(5, 1);
    expect(quiet.expire(5, 2)).toBe(true);
    expect(seen.length).toBe(5);
  });
});
