/** Throughput over time with fault windows shaded (CT-001, CT-002, soak runs). */
import type { RunSummary } from '../../metrics/summary.js';
import { CONFIG, HEIGHT, SCHEMA, WIDTH, mixesProtocols, protocolOf, round, seriesLabel, type Chart, type ChartInput } from './common.js';

/** Lines drawn at most; runs with faults come first. */
const MAX_RUNS = 4;
/** Points per line at most (longer series are averaged into wider buckets). */
const MAX_POINTS = 600;

function downsample(r: RunSummary): Array<{ t: number; tps: number }> {
  const step = Math.max(1, Math.ceil(r.throughput.length / MAX_POINTS));
  const out: Array<{ t: number; tps: number }> = [];
  for (let i = 0; i < r.throughput.length; i += step) {
    const slice = r.throughput.slice(i, i + step);
    out.push({ t: round(slice[0]?.tSeconds ?? 0), tps: round(slice.reduce((a, p) => a + p.tps, 0) / slice.length) });
  }
  return out;
}

/**
 * At most MAX_RUNS runs: one per sweep point (its first seed) before any second
 * seed, spread evenly over the points, so a size sweep shows its extremes.
 */
function spread(runs: readonly RunSummary[]): RunSummary[] {
  const seen = new Set<string>();
  const firsts = runs.filter((r) => {
    const key = JSON.stringify([r.nodes, r.point]);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  if (firsts.length < MAX_RUNS) return [...firsts, ...runs.filter((r) => !firsts.includes(r))].slice(0, MAX_RUNS);
  return Array.from({ length: MAX_RUNS }, (_, i) => firsts[Math.round((i * (firsts.length - 1)) / (MAX_RUNS - 1))] as RunSummary);
}

export function throughputOverTime({ runs }: ChartInput): Chart | null {
  const withData = runs.filter((r) => r.throughput.length >= 2);
  if (withData.length === 0) return null;
  // Runs with faults are what this chart is for; without any, show the first few runs.
  const faulted = withData.filter((r) => r.faultWindows.length > 0);
  const chosen = spread(faulted.length > 0 ? faulted : withData);
  const mixed = mixesProtocols(chosen);
  const label = (r: RunSummary): string => `${r.nodes} nodes ${seriesLabel(r.point, undefined, mixed ? { of: protocolOf(r) } : undefined)} seed ${r.seed}`.replace(' all ', ' ');
  const lines = chosen.flatMap((r) => downsample(r).map((p) => ({ ...p, run: label(r) })));
  const windows = chosen.flatMap((r) => r.faultWindows.map((w) => ({ start: round(w.startSeconds), end: round(w.endSeconds), fault: w.kind })));
  const x = { field: 't', type: 'quantitative' as const, title: 'simulated time (s)' };
  return {
    name: 'throughput-over-time',
    title: 'Throughput over time',
    caption: 'Accepted transactions/s per time bucket; shaded bands are fault windows (kill, partition, pause, ...).',
    spec: {
      $schema: SCHEMA,
      title: { text: windows.length > 0 ? 'Throughput over time (faults shaded)' : 'Throughput over time' },
      width: WIDTH,
      height: HEIGHT,
      config: CONFIG,
      layer: [
        ...(windows.length > 0
          ? [{
              data: { values: windows },
              mark: { type: 'rect' as const, opacity: 0.18 },
              encoding: { x: { field: 'start', type: 'quantitative' as const }, x2: { field: 'end' }, fill: { field: 'fault', type: 'nominal' as const, title: 'fault', scale: { range: ['#e45756', '#f58518', '#b279a2', '#9d755d'] } } },
            }]
          : []),
        { data: { values: lines }, mark: { type: 'line', strokeWidth: 1.5 }, encoding: { x, y: { field: 'tps', type: 'quantitative', title: 'accepted transactions/s (TPS)' }, stroke: { field: 'run', type: 'nominal', title: 'run' } } },
      ],
    },
  };
}
