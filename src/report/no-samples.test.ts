/**
 * A run that accepted nothing has no finality samples: the summary stores
 * null quantiles (count 0), and every table, plot and summary line says
 * "no samples" instead of 0.0 ms (a latency check fails on it: nothing was
 * measured). Older results files stored zeros with count 0: read the same.
 */
import { describe, expect, it } from 'vitest';
import { humanLine } from '../cli/commands/run.js';
import { evaluateChecks } from '../metrics/checks.js';
import { quantileOf, type RunSummary } from '../metrics/summary.js';
import { runScenario } from '../runner/run-scenario.js';
import { parseScenarioText } from '../scenario/load.js';
import { aggregate } from './aggregate.js';
import { latencyVsNodes } from './charts/latency-vs-nodes.js';
import { pointsCsv, runsCsv } from './csv.js';
import { fixtureSummary } from './fixtures.js';
import { POINT_COLUMNS } from './point-columns.js';
import { verdicts } from './verdict.js';

/** Half the stake silent: no poll reaches alpha, nothing is accepted. */
const NOTHING_ACCEPTED = parseScenarioText(`
name: nothing-accepted
duration: 2s
nodes: {count: 20}
network:
  latency: {kind: constant, oneWay: 20ms}
workload:
  phases:
    - {kind: constant, rateTps: 10, duration: 2s}
byzantine: {strategy: silent, fraction: 0.5}
measurement: {warmup: 0s}
`).scenario;

const EMPTY = { p50: null, p95: null, p99: null, mean: null, max: null, count: 0 };
/** A 1,000-node run as an older results file stored one without samples (zeros, count 0), and as one is stored now. */
const old = (seed: number): RunSummary => ({ ...fixtureSummary({ nodes: 1000, seed }), latencyMs: { p50: 0, p95: 0, p99: 0, mean: 0, max: 0, count: 0 } });
const fresh = (seed: number): RunSummary => ({ ...fixtureSummary({ nodes: 1000, seed }), latencyMs: EMPTY });

describe('no finality samples', () => {
  it('a run that accepted nothing stores null quantiles and prints "no samples"; a latency check on it fails', async () => {
    const s = await runScenario(NOTHING_ACCEPTED, { seed: 1 });
    expect(s.acceptedTransactions).toBe(0);
    expect(s.latencyMs).toEqual(EMPTY);
    expect(s.latencyCdf).toEqual([]);
    expect(humanLine(s)).toContain('| p50/p95/p99 no samples |');
    expect(evaluateChecks(['latency.p95 <= 100ms'], s)).toEqual([{ expr: 'latency.p95 <= 100ms', ok: false, value: null }]);
    // runs.csv: empty latency cells, not 0.
    const [header, row] = runsCsv([s]).trimEnd().split('\n');
    const cells = Object.fromEntries((header ?? '').split(',').map((h, i) => [h, (row ?? '').split(',')[i]]));
    expect([cells.latencyP50Ms, cells.latencyP95Ms, cells.latencyP99Ms, cells.nodeLatencyP95Ms]).toEqual(['', '', '', '']);
  });

  it('tables and the verdict say "no samples" for a point without samples; an old file with zeros and count 0 reads the same', () => {
    for (const runs of [[old(1), old(2)], [fresh(1), fresh(2)]]) {
      expect(quantileOf(runs[0]!.latencyMs, 'p95')).toBeNull();
      const [point] = aggregate(runs);
      expect(point?.p95.n).toBe(0);
      const cells = POINT_COLUMNS.filter((c) => /^p[0-9]/.test(c.html[0])).map((c) => [c.html[0], c.html[1](point!)]);
      expect(cells).toEqual([
        ['p50 ms', 'no samples'],
        ['p95 ms (±95% CI)', 'no samples'],
        ['p99 ms', 'no samples'],
      ]);
      const [header, row] = pointsCsv([point!]).trimEnd().split('\n');
      const csv = Object.fromEntries((header ?? '').split(',').map((h, i) => [h, (row ?? '').split(',')[i]]));
      expect([csv.latencyP50MsMean, csv.latencyP95MsMean, csv.latencyP95MsCi95Lo, csv.latencyP99MsMean]).toEqual(['', '', '', '']);
      const [v1k] = verdicts([point!]);
      expect(v1k).toMatchObject({ verdict: 'fail', p95Ms: null, note: 'p95: no samples (no transaction submitted after the warm-up was accepted)' });
    }
  });

  it('the latency plot leaves a point without samples out instead of drawing it at 0 ms', () => {
    const runs = [
      ...[1, 2].map((seed) => fixtureSummary({ nodes: 100, seed })),
      ...[1, 2].map((seed) => fixtureSummary({ nodes: 500, seed })),
      ...[1, 2].map((seed) => ({ ...fixtureSummary({ nodes: 1000, seed }), latencyMs: EMPTY })),
    ];
    const chart = latencyVsNodes({ runs, points: aggregate(runs) });
    expect(chart).not.toBeNull();
    const layers = (chart!.spec as { layer: Array<{ data: { values: Array<{ nodes: number }> } }> }).layer;
    expect(layers[2]?.data.values.map((v) => v.nodes)).toEqual([100, 500]);
  });
});
