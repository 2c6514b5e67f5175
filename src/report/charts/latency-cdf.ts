/** Client-observed latency CDF, one line per sweep point (first seed); from quantiles when a run has no CDF. */
import { quantileOf, type RunSummary } from '../../metrics/summary.js';
import { CONFIG, HEIGHT, MAX_SERIES, SCHEMA, WIDTH, latencyCdfOf, mixesProtocols, protocolOf, round, seriesLabel, type Chart, type ChartInput } from './common.js';

export function latencyCdf({ runs }: ChartInput): Chart | null {
  const seen = new Set<string>();
  const chosen: RunSummary[] = [];
  const mixed = mixesProtocols(runs);
  const name = (r: RunSummary): string => `${r.nodes} nodes ${seriesLabel(r.point, undefined, mixed ? { of: protocolOf(r) } : undefined)}`.replace(/ all$/, '');
  for (const r of runs) {
    const label = name(r);
    if (r.latencyMs.count === 0 || seen.has(label) || chosen.length >= MAX_SERIES) continue;
    seen.add(label);
    chosen.push(r);
  }
  if (chosen.length === 0) return null;
  // Legend and colours in node-count order (100, 500, 1000), not text order (100, 1000, 500).
  chosen.sort((a, b) => a.nodes - b.nodes);
  const order = [...new Set(chosen.map(name))];
  // A few very late transactions would squeeze every curve to the left: cut the axis past the largest p99.
  const p99 = Math.max(...chosen.map((r) => quantileOf(r.latencyMs, 'p99') ?? 0));
  const max = Math.max(...chosen.map((r) => quantileOf(r.latencyMs, 'max') ?? 0));
  const cut = max > p99 * 1.5 ? round(p99 * 1.3, 2) : undefined;
  const values = chosen.flatMap((r) => latencyCdfOf(r).map((p) => ({ ms: round(p.ms), fraction: round(p.fraction), series: name(r) })));
  return {
    name: 'latency-cdf',
    title: 'Latency CDF',
    caption: 'Share of transactions final within a given time (submission to acceptance), one line per sweep point.',
    spec: {
      $schema: SCHEMA,
      title: { text: 'Finality latency CDF (client-observed)', ...(cut === undefined ? {} : { subtitle: `axis cut at 1.3 × the largest p99; slowest transaction ${round(max, 3)} ms` }) },
      width: WIDTH,
      height: HEIGHT,
      config: CONFIG,
      data: { values },
      mark: { type: 'line', interpolate: 'step-after', clip: true },
      encoding: {
        x: { field: 'ms', type: 'quantitative', title: 'finality latency, submission to acceptance (ms)', ...(cut === undefined ? {} : { scale: { domain: [0, cut], nice: false } }) },
        y: { field: 'fraction', type: 'quantitative', title: 'fraction final', scale: { domain: [0, 1] } },
        color: { field: 'series', type: 'nominal', title: 'run', sort: order },
      },
    },
  };
}
