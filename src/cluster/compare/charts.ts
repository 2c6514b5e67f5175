/** The overlays of a comparison: both latency CDFs on one plot, both throughput curves on another. */
import type { TopLevelSpec } from 'vega-lite';
import { quantileOf, type RunSummary } from '../../metrics/summary.js';
import { CONFIG, HEIGHT, SCHEMA, WIDTH, latencyCdfOf as cdfOf, round } from '../../report/charts/common.js';

export function cdfOverlay(sim: RunSummary, real: RunSummary, ks: number): TopLevelSpec {
  const values = [
    ...cdfOf(sim).map((p) => ({ ms: round(p.ms), fraction: round(p.fraction), run: 'simulated' })),
    ...cdfOf(real).map((p) => ({ ms: round(p.ms), fraction: round(p.fraction), run: 'real' })),
  ];
  const cut = round(Math.max(quantileOf(sim.latencyMs, 'p99') ?? 0, quantileOf(real.latencyMs, 'p99') ?? 0) * 1.3, 3);
  return {
    $schema: SCHEMA,
    title: { text: `Finality latency CDF, simulated vs real: ${real.scenario} seed ${real.seed}`, subtitle: `KS distance ${ks}; axis cut at 1.3 × the larger p99` },
    width: WIDTH,
    height: HEIGHT,
    config: CONFIG,
    data: { values },
    mark: { type: 'line', interpolate: 'step-after', clip: true },
    encoding: {
      x: { field: 'ms', type: 'quantitative', title: 'finality latency, submission to acceptance (ms)', scale: { domain: [0, cut], nice: false } },
      y: { field: 'fraction', type: 'quantitative', title: 'fraction final', scale: { domain: [0, 1] } },
      color: { field: 'run', type: 'nominal', title: 'run', sort: ['simulated', 'real'] },
    },
  } as TopLevelSpec;
}

export function throughputOverlay(sim: RunSummary, real: RunSummary): TopLevelSpec {
  const values = [
    ...sim.throughput.map((p) => ({ t: p.tSeconds, tps: p.tps, run: 'simulated' })),
    ...real.throughput.map((p) => ({ t: p.tSeconds, tps: p.tps, run: 'real' })),
  ];
  const windows = real.faultWindows.map((w) => ({ start: w.startSeconds, end: w.endSeconds, kind: w.kind }));
  const line = { mark: { type: 'line', interpolate: 'step-after' }, encoding: { x: { field: 't', type: 'quantitative', title: 'time (s)' }, y: { field: 'tps', type: 'quantitative', title: 'accepted TPS (client-observed)' }, color: { field: 'run', type: 'nominal', title: 'run', sort: ['simulated', 'real'] } } };
  return {
    $schema: SCHEMA,
    title: { text: `Throughput over time, simulated vs real: ${real.scenario} seed ${real.seed}`, ...(windows.length === 0 ? {} : { subtitle: 'shaded: fault windows as realised in the real run' }) },
    width: WIDTH,
    height: HEIGHT,
    config: CONFIG,
    layer: [
      ...(windows.length === 0 ? [] : [{ data: { values: windows }, mark: { type: 'rect', opacity: 0.15, color: '#d62728' }, encoding: { x: { field: 'start', type: 'quantitative' }, x2: { field: 'end' } } }]),
      { data: { values }, ...line },
    ],
  } as TopLevelSpec;
}
