/**
 * Determinism of DAG runs: a fixed scenario and seed give a pinned trace
 * hash, and a sharded run (W = 2, 4 worker threads) gives the serial run's
 * trace hash and RunSummary, field for field except wall-clock ones, on a
 * scenario with kills, a partition, message loss, honest double spends and
 * double-spending Byzantine nodes. The workers run the compiled dist/ files.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunSummary } from '../../../metrics/summary.js';
import { simulateSharded } from '../../../parallel/sharded/run-sharded.js';
import { runScenario } from '../../../runner/run-scenario.js';
import { summarise } from '../../../runner/summarise.js';
import { parseScenarioText } from '../../../scenario/load.js';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

export const DAG_DETERMINISM_SCENARIO = `
name: dag-determinism
duration: 4s
nodes: {count: 24}
protocol: {name: avalanche, conflictFraction: 0.1, repollRogue: true}
network:
  latency: {kind: regions, preset: simblock-2019}
  lossRate: 0.005
workload:
  phases:
    - {kind: poisson, rateTps: 60, duration: 4s}
faults:
  - {kind: kill, at: 1500ms, for: 1s, nodes: {count: 2}}
  - {kind: partition, at: 2500ms, for: 1s, nodes: {count: 6}}
byzantine: {strategy: double-spend, fraction: 0.1, options: {everyMs: 500}}
measurement: {warmup: 1s, livenessBound: 3s}
`;

function comparable(s: RunSummary): Omit<RunSummary, 'wallSeconds' | 'eventsPerSecond' | 'simToWallRatio' | 'memoryBytesPerNode'> {
  const { wallSeconds: _w, eventsPerSecond: _e, simToWallRatio: _r, memoryBytesPerNode: _m, ...rest } = s;
  return rest;
}

describe('DAG run determinism', () => {
  beforeAll(() => {
    try {
      execFileSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(ROOT, 'tsconfig.json')], { stdio: 'pipe' });
    } catch {
      // type errors elsewhere do not stop tsc from emitting; a missing worker fails below
    }
  });

  it('W = 1 (serial), 2 and 4 give the same trace hash and the same RunSummary', { timeout: 600_000 }, async () => {
    const sc = parseScenarioText(DAG_DETERMINISM_SCENARIO).scenario;
    const serial = await runScenario(sc, { seed: 6 });
    expect(serial.outcome).toEqual({ kind: 'completed' });
    expect(serial.protocol).toBe('avalanche');
    // Pinned: a change of this hash is a change of the DAG protocol's behaviour (say which and why).
    // Seed 3 and 51a97233efc0ebb9 until Byzantine selection got its own stream in runs with a
    // region profile (it reused the region-placement draws): other Byzantine nodes, same protocol.
    // Seed 3 then had no lost double spend (rejectedTransactions 0), so the test runs seed 6.
    // 8a5e38b80097c162 until the DAG node got issue 11's networking and bootstrapping (issue 15): the
    // killed nodes bootstrap after their restart, queries to killed and partitioned nodes fail at once,
    // timers are the adaptive timeout (5 s at boot) instead of a fixed 2 s, unrequested chits are dropped.
    expect(serial.traceHash).toBe('43cdcb067ae134da');
    expect(serial.safety.violations).toBe(0);
    expect(serial.acceptedBlocks).toBeGreaterThan(10);
    expect(serial.rejectedTransactions).toBeGreaterThan(0);
    expect(serial.protocolMetrics?.counters['txsRejected']).toBeGreaterThan(0);
    // The DAG's metrics contract: vertices accepted (acceptedBlocks, the highest count a node reached), transactions
    // accepted / rejected (per-node decisions summed), conflict-set sizes (a double spend's set holds 2) and finality
    // per transaction on the node that decided it.
    const m = serial.protocolMetrics!;
    expect(m.counters['txsAccepted']).toBeGreaterThan(serial.acceptedTransactions);
    expect(m.distributions['conflictSetSize']?.max).toBeGreaterThanOrEqual(2);
    expect(m.distributions['conflictSetSize']?.p50).toBe(1);
    expect(m.distributions['txNodeFinalityMs']?.count).toBe(m.counters['txsAccepted']);
    expect(m.distributions['txNodeFinalityMs']?.p50).toBeGreaterThan(0);
    for (const workers of [2, 4]) {
      const run = await simulateSharded(sc, { seed: 6 }, workers);
      expect(run.sharding.layout.shards).toBe(workers);
      expect(run.sharding.crossShardMessages).toBeGreaterThan(1000);
      const sharded = summarise(run);
      expect(sharded.traceHash).toBe(serial.traceHash);
      expect(comparable(sharded)).toEqual(comparable(serial));
    }
  });
});
