/**
 * The fault driver against a cluster whose respawn is slow (as a real one is:
 * a second or more) and whose kill takes a while: process faults on one node
 * run one after another, so a kill planned during a respawn kills the node
 * once it is up, a restart planned during its kill still respawns it, and the
 * realised windows never close before they open (which the liveness checker
 * would refuse: "faultHealed with no fault active").
 */
import { describe, expect, it } from 'vitest';
import type { TimedFault } from '../../runner/fault-timeline.js';
import { monotonicNs, RunClock } from '../host/clock.js';
import { realisedWindows } from './cluster-run.js';
import { FaultDriver, type ClusterActions } from './fault-driver.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const KILL_MS = 40;
const RESPAWN_MS = 200;

/** One node with the real actions' rules: a kill of a stopped node and a restart of a running one are skipped. */
function fakeCluster(clock: RunClock): { actions: ClusterActions; log: string[] } {
  let state: 'up' | 'down' | 'spawning' | 'killing' = 'up';
  const log: string[] = [];
  const at = (): string => `${Math.round(clock.nowUs() / 10_000) * 10}`;
  const actions: ClusterActions = {
    kill: async () => {
      if (state === 'down') return 'skipped: not running';
      // A kill during a respawn kills the half-started process: the respawn fails (what the real supervisor does).
      if (state === 'spawning') log.push('kill interrupted a respawn');
      state = 'killing';
      log.push(`kill ${at()}`);
      await sleep(KILL_MS);
      state = 'down';
      return 'ok';
    },
    restart: async () => {
      if (state !== 'down') return `skipped: ${state}`;
      state = 'spawning';
      log.push(`respawn ${at()}`);
      await sleep(RESPAWN_MS);
      if (state !== 'spawning') return 'failed: exited before it was ready';
      state = 'up';
      return 'ok';
    },
    pause: () => Promise.resolve('ok'),
    resume: () => Promise.resolve('ok'),
    network: () => Promise.resolve('ok'),
  };
  return { actions, log };
}

const crash = (atMs: number): TimedFault => ({ atUs: atMs * 1000, fault: { kind: 'crash', node: 0 } });
const restart = (atMs: number): TimedFault => ({ atUs: atMs * 1000, fault: { kind: 'restart', node: 0 } });

describe('FaultDriver', () => {
  it('runs process faults of one node in order: a kill during a respawn waits for it, a restart during a kill follows it', async () => {
    const clock = new RunClock(monotonicNs() + 20_000_000n);
    const { actions, log } = fakeCluster(clock);
    // Kill windows closer together than a respawn: [0, 20 ms] and [100, 110 ms] (the second kill lands mid-respawn,
    // and its restart 10 ms later lands mid-kill).
    const faults = [crash(0), restart(20), crash(100), restart(110)];
    const driver = new FaultDriver(faults, clock, actions);
    driver.start();
    await sleep(20 + 20 + RESPAWN_MS * 2 + KILL_MS * 2 + 200);
    await driver.stop();
    expect(log.filter((l) => l.includes('interrupted'))).toEqual([]);
    expect(driver.realised.map((f) => `${f.kind} ${f.outcome}`)).toEqual(['crash ok', 'restart ok', 'crash ok', 'restart ok']);
    const [, r1, c2, r2] = driver.realised;
    // The second kill started once the respawn was done, the second restart once that kill was done.
    expect(c2!.startedUs).toBeGreaterThanOrEqual(r1!.doneUs);
    expect(r2!.startedUs).toBeGreaterThanOrEqual(c2!.doneUs);
    const windows = realisedWindows(
      [
        { kind: 'kill', startUs: 0, endUs: 20_000 },
        { kind: 'kill', startUs: 100_000, endUs: 110_000 },
      ],
      driver.realised,
      10_000_000,
    );
    expect(windows[0]!.endUs).toBe(r1!.doneUs);
    expect(windows[1]!.startUs).toBe(c2!.doneUs);
    expect(windows[1]!.endUs).toBe(r2!.doneUs);
    for (const w of windows) expect(w.endUs).toBeGreaterThanOrEqual(w.startUs);
  });

  it('realised windows stay within the run and never end before they start, whatever the realised times', () => {
    const realised = [
      { kind: 'crash' as const, nodes: [0], plannedUs: 1_000, startedUs: 1_000, doneUs: 9_000, outcome: 'ok' },
      { kind: 'restart' as const, nodes: [0], plannedUs: 2_000, startedUs: 2_000, doneUs: 2_100, outcome: 'skipped: running' },
      { kind: 'crash' as const, nodes: [0], plannedUs: 40_000, startedUs: 40_000, doneUs: 70_000, outcome: 'ok' },
    ];
    const w = realisedWindows(
      [
        { kind: 'kill', startUs: 1_000, endUs: 2_000 },
        { kind: 'kill', startUs: 40_000, endUs: 45_000 },
      ],
      realised,
      50_000,
    );
    expect(w).toEqual([
      { kind: 'kill', startUs: 9_000, endUs: 9_000 },
      { kind: 'kill', startUs: 50_000, endUs: 50_000 },
    ]);
  });
});
