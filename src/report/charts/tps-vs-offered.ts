/** Accepted TPS against offered load, with the y = x line: where they part is the peak (LT-002). */
import { CONFIG, HEIGHT, SCHEMA, WIDTH, round, type Chart, type ChartInput } from './common.js';
import { hasLoadRange, loadPoints } from './load.js';

export function tpsVsOffered({ runs }: ChartInput): Chart | null {
  if (!hasLoadRange(runs)) return null;
  const { perRun, perBucket } = loadPoints(runs);
  const all = [...perRun, ...perBucket];
  // One bucket can spike while a backlog drains: the peak is the best *sustained*
  // figure, i.e. a run's own TPS or the mean over all buckets at one offered level.
  const levels = levelMeans(perBucket);
  const candidates = [...perRun, ...levels];
  const peak = candidates.reduce((a, p) => (p.tps > a.tps ? p : a), candidates[0] ?? { offered: 0, tps: 0 });
  const maxOffered = Math.max(...all.map((p) => p.offered));
  const x = { field: 'offered', type: 'quantitative' as const, title: 'offered load (TPS)' };
  return {
    name: 'tps-vs-offered',
    title: 'TPS vs offered load',
    caption: 'Accepted against offered transactions/s; the dashed line is y = x. Faint points are time buckets, the line their mean per offered level, diamonds whole runs. Points below y = x mean the network saturated.',
    spec: {
      $schema: SCHEMA,
      title: { text: `Accepted vs offered load: sustained peak ${round(peak.tps, 4)} TPS at ${round(peak.offered, 4)} offered` },
      width: WIDTH,
      height: HEIGHT,
      config: CONFIG,
      layer: [
        { data: { values: [{ offered: 0, tps: 0 }, { offered: maxOffered, tps: maxOffered }] }, mark: { type: 'line', color: '#999', strokeDash: [5, 4] }, encoding: { x, y: { field: 'tps', type: 'quantitative', title: 'accepted transactions/s (TPS)' } } },
        ...(levels.length > 1 ? [{ data: { values: levels }, mark: { type: 'line' as const, point: true }, encoding: { x, y: { field: 'tps', type: 'quantitative' as const }, color: { field: 'nodes', type: 'nominal' as const, title: 'size' } } }] : []),
        ...(perBucket.length > 0 ? [{ data: { values: perBucket }, mark: { type: 'point' as const, opacity: 0.35, size: 14 }, encoding: { x, y: { field: 'tps', type: 'quantitative' as const }, color: { field: 'nodes', type: 'nominal' as const, title: 'size' } } }] : []),
        { data: { values: perRun }, mark: { type: 'point', filled: true, size: 70, shape: 'diamond' }, encoding: { x, y: { field: 'tps', type: 'quantitative' }, color: { field: 'nodes', type: 'nominal', title: 'size' } } },
      ],
    },
  };
}

/** Mean accepted TPS over the buckets that share one offered level (a ramp step), per network size. */
function levelMeans<P extends { offered: number; tps: number; nodes: string }>(buckets: readonly P[]): Array<{ offered: number; tps: number; nodes: string }> {
  const groups = new Map<string, { offered: number; nodes: string; sum: number; n: number }>();
  for (const b of buckets) {
    const key = `${b.nodes}|${round(b.offered, 6)}`;
    const g = groups.get(key) ?? { offered: round(b.offered, 6), nodes: b.nodes, sum: 0, n: 0 };
    g.sum += b.tps;
    g.n++;
    groups.set(key, g);
  }
  return [...groups.values()]
    .map((g) => ({ offered: g.offered, tps: round(g.sum / g.n, 4), nodes: g.nodes }))
    .toSorted((a, b) => a.nodes.localeCompare(b.nodes) || a.offered - b.offered);
}

