/**
 * A sharded run (`avsim run --workers W`) gives the serial run's trace hash
 * and RunSummary, field for field except wall-clock ones, for W = 2 and 4, on
 * a scenario with kills, a partition, message loss, added delay and silent
 * Byzantine nodes. The workers run the compiled dist/ files, so the project
 * is compiled first.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunSummary } from '../../metrics/summary.js';
import { runScenario } from '../../runner/run-scenario.js';
import { parseScenarioText } from '../../scenario/load.js';
import type { Scenario } from '../../scenario/schema.js';
import { checkShardable, planLayout } from './layout.js';
import { simulateSharded } from './run-sharded.js';
import { summarise } from '../../runner/summarise.js';

const ROOT = join(import.meta.dirname, '../../..');

const SCENARIO = `
name: sharded-determinism
duration: 10s
nodes: {count: 48}
network:
  latency: {kind: regions, preset: simblock-2019}
  lossRate: 0.005
workload:
  phases:
    - {kind: poisson, rateTps: 60, duration: 8s}
faults:
  - {kind: kill, at: 2s, for: 1500ms, nodes: {count: 4}}
  - {kind: partition, at: 4s, for: 1s, nodes: {count: 10}}
  - {kind: delay, at: 5500ms, for: 1s, nodes: {count: 6}, extra: 30ms}
  - {kind: loss, at: 6s, for: 500ms, nodes: {count: 5}, rate: 0.2}
byzantine: {strategy: silent, fraction: 0.1}
measurement: {warmup: 1s, livenessBound: 3s}
`;

function scenario(text = SCENARIO): Scenario {
  return parseScenarioText(text).scenario;
}

/** Wall-clock fields differ between any two runs; everything else must not. */
function comparable(s: RunSummary): Omit<RunSummary, 'wallSeconds' | 'eventsPerSecond' | 'simToWallRatio' | 'memoryBytesPerNode'> {
  const { wallSeconds: _w, eventsPerSecond: _e, simToWallRatio: _r, memoryBytesPerNode: _m, ...rest } = s;
  return rest;
}

describe('sharded single runs', () => {
  beforeAll(() => {
    // The Piscina workers load dist/src/parallel/sharded/shard-worker.js.
    try {
      execFileSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(ROOT, 'tsconfig.json')], { stdio: 'pipe' });
    } catch {
      // Type errors elsewhere in the tree do not stop tsc from emitting; a missing worker fails the run below.
    }
  });

  it("a limit that one shard hits is the run's outcome, with that shard's own detail (the others only stopped with it)", async () => {
    const sc = scenario(SCENARIO.replace('measurement:', 'limits: {nodeQueueCapacity: 2}\nmeasurement:'));
    const serial = await runScenario(sc, { seed: 5 });
    expect(serial.outcome).toMatchObject({ kind: 'limit', limit: 'node-queue-capacity' });
    const run = await simulateSharded(sc, { seed: 5 }, 2);
    const outcome = run.result.outcome;
    expect(outcome.kind).toBe('limit');
    if (outcome.kind !== 'limit') return;
    expect(outcome.limit).toBe('node-queue-capacity');
    expect(outcome.peerShard).toBeUndefined();
    expect(outcome.detail).toMatch(/^node \d+: CPU queue would exceed limits\.nodeQueueCapacity = 2 at \d+ µs$/);
  });

  it('W = 1 (serial), 2 and 4 give the same trace hash and the same RunSummary', async () => {
    const sc = scenario();
    const serial = await runScenario(sc, { seed: 9 });
    expect(serial.outcome).toEqual({ kind: 'completed' });
    // The scenario exercises what sharding must get right.
    expect(serial.byzantine?.nodes).toBeGreaterThan(0);
    expect(serial.faultWindows.length).toBe(4);
    // Few transactions make it in 8 s under these faults: 8 (7 measured) at seed 5
    // before early termination counted shared-prefix groups, 5 (4) since; once
    // Byzantine selection stopped reusing the region-placement draws (its own
    // 'byzantine-selection' stream), seed 5 accepts 1, so the test runs seed 9 (11, 6 measured).
    // Issue 11's networking round (adaptive timeouts, fail-fast, unrequested answers
    // dropped) left seed 5 at 1 (0) in 8 s; the run lasts 10 s since.
    expect(serial.acceptedTransactions).toBeGreaterThan(3);
    expect(serial.latencyMs.count).toBeGreaterThan(3);
    expect(serial.recoveryMs).not.toBeNull();
    for (const workers of [2, 4]) {
      const run = await simulateSharded(sc, { seed: 9 }, workers);
      expect(run.sharding.layout.shards).toBe(workers);
      expect(run.sharding.crossShardMessages).toBeGreaterThan(1000);
      const sharded = summarise(run);
      expect(sharded.traceHash).toBe(serial.traceHash);
      expect(comparable(sharded)).toEqual(comparable(serial));
    }
  });

  it('a latency with no positive minimum is rejected for W > 1, naming the field', () => {
    const lognormal = scenario(SCENARIO.replace('{kind: regions, preset: simblock-2019}', '{kind: lognormal, median: 40ms, sigma: 0.5}'));
    expect(() => checkShardable(lognormal)).toThrow(/^network\.latency\.min: a lognormal latency needs a propagation floor \(e\.g\. min: 5ms\) for a sharded run/);
    expect(() => planLayout(lognormal, 1, 2, [])).toThrow(/^network\.latency\.min:/);
    // With a floor the floor is the lookahead.
    const floored = scenario(SCENARIO.replace('{kind: regions, preset: simblock-2019}', '{kind: lognormal, median: 40ms, sigma: 0.5, min: 3ms}'));
    expect(() => checkShardable(floored)).not.toThrow();
    expect(planLayout(floored, 1, 2, []).lookaheadUs).toBe(3000);
    const zero = scenario(SCENARIO.replace('{kind: regions, preset: simblock-2019}', '{kind: uniform, min: 0ms, max: 20ms}'));
    expect(() => checkShardable(zero)).toThrow(/^network\.latency\.min: must be > 0 for a sharded run \(--workers > 1\)/);
    // One worker needs no lookahead.
    expect(planLayout(lognormal, 1, 1, []).shards).toBe(1);
  });

  it('keeps whole SimBlock regions together for 2 shards (lookahead 119 ms) and the Byzantine nodes on one shard', () => {
    const sc = scenario(SCENARIO.replace('count: 48', 'count: 1000'));
    const two = planLayout(sc, 1, 2, []);
    expect(two.strategy).toBe('whole-regions');
    expect(two.lookaheadUs).toBe(119_000);
    expect(Math.max(...two.sizes) / 500).toBeLessThanOrEqual(1.1);
    const four = planLayout(sc, 1, 4, [1, 500, 999]);
    expect(four.strategy).toBe('region-order');
    expect(four.lookaheadUs).toBe(6_000); // Europe is split: its own 11 ms − 5 ms
    expect([four.ownerOf[1], four.ownerOf[500], four.ownerOf[999]]).toEqual([0, 0, 0]);
    expect(four.sizes.reduce((a, b) => a + b, 0)).toBe(1000);
  });
});
