/** Client-observed latency CDF, one line per sweep point (first seed); from quantiles when a run has no CDF. */
import type { RunSummary } from '../../metrics/summary.js';
import { CONFIG, HEIGHT, MAX_SERIES, SCHEMA, WIDTH, round, seriesLabel, type Chart, type ChartInput } from './common.js';

function cdfOf(r: RunSummary): Array<{ ms: number; fraction: number }> {
  if (r.latencyCdf !== undefined && r.latencyCdf.length > 1) return r.latencyCdf;
  const l = r.latencyMs;
  return [{ ms: 0, fraction: 0 }, { ms: l.p50, fraction: 0.5 }, { ms: l.p95, fraction: 0.95 }, { ms: l.p99, fraction: 0.99 }, { ms: l.max, fraction: 1 }];
}

export function latencyCdf({ runs }: ChartInput): Chart | null {
  const seen = new Set<string>();
  const chosen: RunSummary[] = [];
  for (const r of runs) {
    const label = `${r.nodes} nodes ${seriesLabel(r.point)}`;
    if (r.latencyMs.count === 0 || seen.has(label) || chosen.length >= MAX_SERIES) continue;
    seen.add(label);
    chosen.push(r);
  }
  if (chosen.length === 0) return null;
  const values = chosen.flatMap((r) => cdfOf(r).map((p) => ({ ms: round(p.ms), fraction: round(p.fraction), series: `${r.nodes} nodes ${seriesLabel(r.point)}`.replace(/ all$/, '') })));
  return {
    name: 'latency-cdf',
    title: 'Latency CDF',
    caption: 'Share of transactions final within a given time (submission to acceptance), one line per sweep point.',
    spec: {
      $schema: SCHEMA,
      title: { text: 'Finality latency CDF (client-observed)' },
      width: WIDTH,
      height: HEIGHT,
      config: CONFIG,
      data: { values },
      mark: { type: 'line', interpolate: 'step-after' },
      encoding: {
        x: { field: 'ms', type: 'quantitative', title: 'finality latency, submission to acceptance (ms)' },
        y: { field: 'fraction', type: 'quantitative', title: 'fraction final', scale: { domain: [0, 1] } },
        color: { field: 'series', type: 'nominal', title: 'run' },
      },
    },
  };
}
