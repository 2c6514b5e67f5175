/** The real Host: run-clock time, real timers (cancellable), the node's seeded stream, CPU charged as real CPU time. */
import { describe, expect, it } from 'vitest';
import type { HostedNode } from '../../consensus/host.js';
import { createStream } from '../../sim/rng.js';
import { busyWork, cpuNowUs } from './busy-work.js';
import { monotonicNs, RunClock } from './clock.js';
import { RealHost } from './real-host.js';

function recorder(): HostedNode<string, unknown> & { fired: number[] } {
  const fired: number[] = [];
  return { fired, onStart() {}, onMessage() {}, onTimer: (tag) => void fired.push(tag), onClient() {}, onCrash() {}, onRestart() {} };
}

describe('RealHost', () => {
  it('fires timers in time order after their delay, never a cancelled one, and none after stop', async () => {
    const clock = new RunClock(monotonicNs());
    const host = new RealHost<string>({ id: 3, seed: 9, clock, send: () => undefined, connected: () => true });
    const node = recorder();
    host.attach(node);
    const t0 = host.now();
    host.setTimer(30_000, 2);
    host.setTimer(10_000, 1);
    const cancelled = host.setTimer(20_000, 99);
    host.setTimer(0, 0);
    host.cancelTimer(cancelled);
    await new Promise((r) => setTimeout(r, 60));
    expect(node.fired).toEqual([0, 1, 2]);
    expect(host.now() - t0).toBeGreaterThanOrEqual(30_000);
    host.setTimer(1_000, 7);
    host.stop();
    await new Promise((r) => setTimeout(r, 20));
    expect(node.fired).toEqual([0, 1, 2]);
  });

  it('draws from the node\'s own consensus stream, as in the simulator', () => {
    const host = new RealHost<string>({ id: 3, seed: 9, clock: new RunClock(monotonicNs()), send: () => undefined, connected: () => true });
    const sim = createStream(9, 3, 'consensus');
    for (let i = 0; i < 5; i++) expect(host.random()).toBe(sim.next());
  });

  it('pays a CPU charge as that much real CPU time', () => {
    const before = cpuNowUs();
    const spent = busyWork(30_000);
    const used = cpuNowUs() - before;
    expect(spent).toBeGreaterThanOrEqual(30_000);
    expect(used).toBeGreaterThanOrEqual(30_000);
    const host = new RealHost<string>({ id: 0, seed: 1, clock: new RunClock(monotonicNs()), send: () => undefined, connected: () => true });
    const b = cpuNowUs();
    host.chargeCpu(20_000);
    expect(cpuNowUs() - b).toBeGreaterThanOrEqual(20_000);
    expect(host.chargedUs).toBe(20_000);
  });
});
