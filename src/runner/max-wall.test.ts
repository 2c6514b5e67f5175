/**
 * `--max-wall`: the runner checks the wall-time limit between run windows and
 * ends the run with the labelled limit 'max-wall'; what was simulated until
 * then is summarised as a partial run (a prefix of the full run: the same
 * events, so the same throughput in every bucket it covers). The clock is
 * scripted here, so the test does not depend on the machine's speed.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { simulateSharded } from '../parallel/sharded/run-sharded.js';
import { parseScenarioText } from '../scenario/load.js';
import { runScenario, wallLimitHit } from './run-scenario.js';

const ROOT = join(import.meta.dirname, '../..');

const SCENARIO = parseScenarioText(`
name: max-wall
duration: 2s
nodes: {count: 20}
network:
  latency: {kind: constant, oneWay: 10ms}
workload:
  phases:
    - {kind: constant, rateTps: 20, duration: 2s}
measurement: {warmup: 0s, throughputBucket: 500ms}
`).scenario;

/** A wall clock that reads 0 s for the first `calls - 1` reads and `then` s after. */
function scriptedClock(calls: number, then: number): () => number {
  let n = 0;
  return () => (++n >= calls ? then : 0);
}

describe('--max-wall', () => {
  beforeAll(() => {
    // The sharded case's Piscina workers load dist/src/parallel/sharded/shard-worker.js.
    try {
      execFileSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(ROOT, 'tsconfig.json')], { stdio: 'pipe' });
    } catch {
      // Type errors elsewhere do not stop tsc from emitting; a missing worker fails the run below.
    }
  });

  it('ends the run between windows with limit max-wall, and the partial run is a prefix of the full one', async () => {
    const full = await runScenario(SCENARIO, { seed: 1 });
    expect(full.outcome).toEqual({ kind: 'completed' });
    // Windows are 100 ms of simulated time for a 2 s run: the 10th check stops it at 1 s.
    const partial = await runScenario(SCENARIO, { seed: 1, maxWall: { seconds: 50, elapsedSeconds: scriptedClock(10, 100) } });
    expect(partial.outcome).toEqual({
      kind: 'limit',
      limit: 'max-wall',
      detail: 'stopped after 100.0 s of wall time (--max-wall 50 s) at simulated 1.000 s of 2s: a partial run, its figures cover 0 to 1.000 s',
    });
    expect(partial.simSeconds).toBe(1);
    expect(partial.acceptedTransactions).toBeGreaterThan(0);
    expect(partial.acceptedTransactions).toBeLessThan(full.acceptedTransactions);
    expect(partial.events).toBeLessThan(full.events);
    // The buckets the partial run covers are the full run's, except that its last
    // one, [0.5 s, 1 s], also holds what happened at its end instant, t = 1 s
    // exactly (the engine ran it): here one submission (20 TPS, one every 50 ms).
    expect(partial.throughput.slice(0, 1)).toEqual(full.throughput.slice(0, 1));
    expect(partial.throughput).toHaveLength(2);
    expect(partial.throughput[1]).toEqual({ ...full.throughput[1], submittedTps: (full.throughput[1]!.submittedTps! * 0.5 + 1) / 0.5 });
    expect(partial.traceHash).not.toBe(full.traceHash);
  });

  it('a limit not reached changes nothing (same trace hash as a run without it)', async () => {
    const plain = await runScenario(SCENARIO, { seed: 2 });
    const limited = await runScenario(SCENARIO, { seed: 2, maxWall: { seconds: 3600, elapsedSeconds: () => 1 } });
    expect(limited.outcome).toEqual({ kind: 'completed' });
    expect(limited.traceHash).toBe(plain.traceHash);
  });

  it('is checked only when given and only once the limit has passed', () => {
    expect(wallLimitHit(undefined, 0, 1)).toBeUndefined();
    expect(wallLimitHit({ seconds: 2, elapsedSeconds: () => 1.9 }, 5, 10)).toBeUndefined();
    expect(wallLimitHit({ seconds: 2, elapsedSeconds: () => 2 }, 1_500_000, 10_000_000)).toMatchObject({ kind: 'limit', limit: 'max-wall' });
  });

  it('a sharded run (--workers 2) stops on it too, labelled with shard 0 that read the clock', async () => {
    const run = await simulateSharded(SCENARIO, { seed: 1, maxWall: { seconds: 1e-9, elapsedSeconds: () => 0 } }, 2);
    const outcome = run.result.outcome;
    expect(outcome).toMatchObject({ kind: 'limit', limit: 'max-wall' });
    if (outcome.kind !== 'limit') return;
    expect(outcome.peerShard).toBeUndefined();
    expect(outcome.detail).toMatch(/^stopped after [0-9.]+ s of wall time \(--max-wall 1e-9 s\) at simulated 0\.0[0-9]{2} s of 2s/);
    expect(run.result.endTimeUs).toBeLessThan(SCENARIO.duration);
  });
});
