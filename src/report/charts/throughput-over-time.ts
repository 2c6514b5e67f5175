/**
 * Throughput over time: every seed of up to MAX_POINTS sweep points (one
 * colour per point, one line per seed), the warm-up shaded grey and fault
 * windows shaded by kind (CT-001, CT-002, soak runs).
 */
import type { RunSummary } from '../../metrics/summary.js';
import { groupByPoint } from '../aggregate.js';
import { CONFIG, HEIGHT, SCHEMA, WIDTH, mixesProtocols, protocolOf, round, seriesLabel, type Chart, type ChartInput } from './common.js';

/** Sweep points drawn at most (each with all its seeds); runs with faults come first. */
const MAX_POINTS = 4;
/** Points per line at most (longer series are averaged into wider buckets). */
const MAX_LINE_POINTS = 600;

function downsample(r: RunSummary): Array<{ t: number; tps: number }> {
  const step = Math.max(1, Math.ceil(r.throughput.length / MAX_LINE_POINTS));
  const out: Array<{ t: number; tps: number }> = [];
  for (let i = 0; i < r.throughput.length; i += step) {
    const slice = r.throughput.slice(i, i + step);
    out.push({ t: round(slice[0]?.tSeconds ?? 0), tps: round(slice.reduce((a, p) => a + p.tps, 0) / slice.length) });
  }
  return out;
}

/** The runs grouped by sweep point (in run order); at most MAX_POINTS groups, spread evenly, so a size sweep shows its extremes. */
function spreadPoints(runs: readonly RunSummary[]): { groups: RunSummary[][]; of: number } {
  const all = [...groupByPoint(runs).values()];
  if (all.length <= MAX_POINTS) return { groups: all, of: all.length };
  const picked = Array.from({ length: MAX_POINTS }, (_, i) => all[Math.round((i * (all.length - 1)) / (MAX_POINTS - 1))] as RunSummary[]);
  return { groups: picked, of: all.length };
}

const seedList = (g: readonly RunSummary[]): string => {
  const seeds = g.map((r) => r.seed).toSorted((a, b) => a - b);
  return seeds.length === 1 ? `seed ${seeds[0]}` : seeds.length <= 4 ? `seeds ${seeds.join(', ')}` : `${seeds.length} seeds`;
};

export function throughputOverTime({ runs }: ChartInput): Chart | null {
  const withData = runs.filter((r) => r.throughput.length >= 2);
  if (withData.length === 0) return null;
  // Runs with faults are what this chart is for; without any, show the points of every run.
  const faulted = withData.filter((r) => r.faultWindows.length > 0);
  const { groups, of } = spreadPoints(faulted.length > 0 ? faulted : withData);
  const chosen = groups.flat();
  const mixed = mixesProtocols(chosen);
  const pointName = (g: readonly RunSummary[]): string => {
    const r = g[0] as RunSummary;
    return `${`${r.nodes} nodes ${seriesLabel(r.point, undefined, mixed ? { of: protocolOf(r) } : undefined)}`.replace(/ all$/, '')} (${seedList(g)})`;
  };
  const order = groups.map(pointName);
  const lines = groups.flatMap((g) => g.flatMap((r) => downsample(r).map((p) => ({ ...p, point: pointName(g), seed: r.seed }))));
  const windows = chosen.flatMap((r) => r.faultWindows.map((w) => ({ start: round(w.startSeconds), end: round(w.endSeconds), fault: w.kind })));
  const warmups = [...new Set(chosen.map((r) => r.warmupSeconds ?? 0))];
  const warmup = warmups.length === 1 && (warmups[0] ?? 0) > 0 ? (warmups[0] as number) : undefined;
  const drawn = chosen.length;
  const x = { field: 't', type: 'quantitative' as const, title: 'simulated time (s)' };
  const shaded = [warmup === undefined ? '' : 'grey: warm-up (left out of sustained TPS and latency)', windows.length > 0 ? 'coloured bands: fault windows' : ''].filter((s) => s !== '').join('; ');
  return {
    name: 'throughput-over-time',
    title: 'Throughput over time',
    caption:
      `Accepted transactions/s per time bucket, one line per seed (${drawn} runs${of > groups.length ? `, ${groups.length} of ${of} settings, spread over them` : ''}); ` +
      `a last bucket cut by the run's end is a rate over the part it covers${shaded === '' ? '' : `; ${shaded}`}.`,
    spec: {
      $schema: SCHEMA,
      title: {
        text: windows.length > 0 ? 'Throughput over time (faults shaded)' : 'Throughput over time',
        subtitle: `every seed, one line each${warmup === undefined ? '' : `; grey: warm-up (${round(warmup)} s)`}`,
      },
      width: WIDTH,
      height: HEIGHT,
      config: CONFIG,
      layer: [
        ...(warmup !== undefined
          ? [
              { data: { values: [{ start: 0, end: warmup }] }, mark: { type: 'rect' as const, color: '#999', opacity: 0.15 }, encoding: { x: { field: 'start', type: 'quantitative' as const }, x2: { field: 'end' } } },
              {
                data: { values: [{ t: warmup / 2, label: 'warm-up' }] },
                mark: { type: 'text' as const, color: '#666', fontSize: 11, baseline: 'top' as const, y: 4 },
                encoding: { x: { field: 't', type: 'quantitative' as const }, text: { field: 'label', type: 'nominal' as const } },
              },
            ]
          : []),
        ...(windows.length > 0
          ? [{
              data: { values: windows },
              mark: { type: 'rect' as const, opacity: 0.18 },
              encoding: { x: { field: 'start', type: 'quantitative' as const }, x2: { field: 'end' }, fill: { field: 'fault', type: 'nominal' as const, title: 'fault', scale: { range: ['#e45756', '#f58518', '#b279a2', '#9d755d'] } } },
            }]
          : []),
        {
          data: { values: lines },
          mark: { type: 'line', strokeWidth: 1.2, opacity: 0.75 },
          encoding: {
            x,
            y: { field: 'tps', type: 'quantitative', title: 'accepted transactions/s (TPS)' },
            stroke: { field: 'point', type: 'nominal', title: 'run', sort: order },
            detail: { field: 'seed', type: 'nominal' },
          },
        },
      ],
    },
  };
}
