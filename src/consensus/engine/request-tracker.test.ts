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
});
