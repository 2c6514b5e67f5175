/** RunSummary.nodeRecovery from a simulated run: killed nodes restart, bootstrap, then vote and accept again. */
import { describe, expect, it } from 'vitest';
import { parseScenarioText } from '../scenario/load.js';
import { runScenario } from './run-scenario.js';

const SCENARIO = `
name: node-recovery
duration: 8s
nodes: {count: 12}
network: {latency: {kind: constant, oneWay: 20ms}}
workload: {phases: [{kind: poisson, rateTps: 40, duration: 8s}]}
faults:
  - {kind: kill, at: 1s, for: 3s, nodes: {ids: [4, 9]}}
measurement: {warmup: 0s, livenessBound: 6s}
`;

describe('RunSummary.nodeRecovery', () => {
  it('has one entry per restarted node: bootstrapped, then its first successful poll and first acceptance', { timeout: 60_000 }, async () => {
    const s = await runScenario(parseScenarioText(SCENARIO).scenario, { seed: 2 });
    const rec = s.nodeRecovery ?? [];
    expect(rec.map((r) => [r.node, r.restartedAtSeconds])).toEqual([
      [4, 4],
      [9, 4],
    ]);
    for (const r of rec) {
      expect(r.bootstrapMs).toBeGreaterThan(0);
      expect(r.firstSuccessfulPollMs).not.toBeNull();
      expect(r.firstAcceptMs).not.toBeNull();
      expect(r.firstSuccessfulPollMs!).toBeGreaterThanOrEqual(r.bootstrapMs);
      expect(r.firstAcceptMs!).toBeGreaterThanOrEqual(r.bootstrapMs);
      expect(r.firstAcceptMs!).toBeLessThan(4_000);
    }
    // The per-node counter agrees with the entry.
    expect(s.protocolMetrics?.counters['bootstrapMs.node4']).toBeCloseTo(rec[0]!.bootstrapMs, 3);
  });

  it('on the Avalanche DAG too: the restarted node bootstraps (vertices fetched and accepted), then polls and accepts', { timeout: 60_000 }, async () => {
    const dag = SCENARIO.replace('name: node-recovery', 'name: node-recovery-dag\nprotocol: {name: avalanche}');
    const s = await runScenario(parseScenarioText(dag).scenario, { seed: 2 });
    expect(s.protocol).toBe('avalanche');
    expect(s.safety.violations).toBe(0);
    const rec = s.nodeRecovery ?? [];
    expect(rec.map((r) => [r.node, r.restartedAtSeconds])).toEqual([
      [4, 4],
      [9, 4],
    ]);
    for (const r of rec) {
      expect(r.bootstrapMs).toBeGreaterThan(0);
      expect(r.firstSuccessfulPollMs!).toBeGreaterThanOrEqual(r.bootstrapMs);
      expect(r.firstAcceptMs!).toBeGreaterThanOrEqual(r.bootstrapMs);
      expect(r.firstAcceptMs!).toBeLessThan(4_000);
    }
    const c = s.protocolMetrics?.counters ?? {};
    expect(c['bootstraps']).toBe(2);
    expect(c['bootstrapVerticesAccepted']).toBeGreaterThan(0);
    expect(c['bootstrapVerticesAccepted']).toBe(c['bootstrapVerticesFetched']);
    expect(c['bootstrapMs.node9']).toBeCloseTo(rec[1]!.bootstrapMs, 3);
  });
});
