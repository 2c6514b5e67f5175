/**
 * The soak's figures over time, read back from the Prometheus that scraped the
 * run (its TSDB is kept under the run's --out): RSS per node, height per node,
 * client-observed finality p50/p95/p99, accepted TPS. Writes CSVs, Vega-Lite
 * specs with SVG and PNG renderings, and soak.json with the flatness figures
 * (per 10-minute window: RSS and heap per node, latency quantiles, blocks per second),
 * so "stays flat" is a number, not a look at a plot.
 */
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TopLevelSpec } from 'vega-lite';
import { CONFIG, HEIGHT, SCHEMA, WIDTH } from '../../report/charts/common.js';
import { renderSvg, svgToPng } from '../../report/render.js';
import { writeFileAtomic } from '../../report/atomic.js';
import { NODES_JOB } from '../prometheus/config.js';
import type { MatrixSeries, PromQL } from '../prometheus/promql.js';
import { prometheusLayout, startPrometheus } from '../prometheus/server.js';

export const STEP_SECONDS = 15;
export const WINDOW_SECONDS = 600;

export interface Point {
  t: number;
  series: string;
  value: number;
}

export interface WindowFigures {
  fromMinute: number;
  toMinute: number;
  rssMiB: Record<string, number>;
  heapMiB: Record<string, number>;
  finalityMs: { p50: number; p95: number; p99: number };
  blocksPerSecond: number;
  tps: number;
}

export interface SoakFigures {
  start: number;
  end: number;
  minutes: number;
  windows: WindowFigures[];
  rssGrowthMiB: Record<string, number>;
}

/** The Prometheus folders a cluster run left under --out (one per sweep point and seed). */
export function prometheusRuns(outDir: string): string[] {
  const base = join(outDir, 'prometheus-runs');
  if (!existsSync(base)) return [];
  return readdirSync(base)
    .map((d) => join(base, d))
    .filter((d) => existsSync(prometheusLayout(d).configFile));
}

const SEL = `job="${NODES_JOB}"`;
const QUERIES = {
  rss: `max by (node_id) (process_resident_memory_bytes{${SEL}}) / 1048576`,
  heap: `max by (node_id) (nodejs_heap_size_used_bytes{${SEL}}) / 1048576`,
  height: `max by (node_id) (avsim_last_accepted_height{${SEL}})`,
  p50: `histogram_quantile(0.5, sum by (le) (rate(avsim_tx_finality_seconds_bucket{${SEL}}[1m]))) * 1000`,
  p95: `histogram_quantile(0.95, sum by (le) (rate(avsim_tx_finality_seconds_bucket{${SEL}}[1m]))) * 1000`,
  p99: `histogram_quantile(0.99, sum by (le) (rate(avsim_tx_finality_seconds_bucket{${SEL}}[1m]))) * 1000`,
  // Every honest node accepts every transaction: the median node's rate is the network's.
  tps: `quantile(0.5, rate(avsim_txs_accepted_count{${SEL}}[1m]))`,
  bps: `quantile(0.5, rate(avsim_blks_accepted_count{${SEL}}[1m]))`,
} as const;

type Key = keyof typeof QUERIES;

/**
 * Rounds to a number of decimal places (not significant digits: report/charts' `round` keeps significant digits,
 * which turned 126.4 MiB into 100 and height 12,671 into 12,700). Non-finite stays NaN (JSON null), never a fake 0.
 */
export function fixed(x: number, decimals: number): number {
  if (!Number.isFinite(x)) return Number.NaN;
  const f = 10 ** decimals;
  return Math.round(x * f) / f;
}

async function range(q: PromQL, key: Key, start: number, end: number, label: (m: Record<string, string>) => string): Promise<Point[]> {
  const r = await q.queryRange(QUERIES[key], start, end, STEP_SECONDS);
  if (r.resultType !== 'matrix') throw new Error(`${key}: a ${r.resultType}, not a range`);
  return (r.result as MatrixSeries[]).flatMap((s) =>
    s.values.filter(([, v]) => Number.isFinite(v)).map(([t, v]) => ({ t: fixed((t - start) / 60, 3), series: label(s.metric), value: fixed(v, 3) })),
  );
}

const mean = (xs: readonly number[]): number => (xs.length === 0 ? Number.NaN : xs.reduce((a, b) => a + b, 0) / xs.length);
const median = (xs: readonly number[]): number => {
  if (xs.length === 0) return Number.NaN;
  const s = xs.toSorted((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
};

/** Per-window figures: RSS median per node, latency quantile medians, median blocks/s and TPS. */
export function windowFigures(series: Record<Key, Point[]>, minutes: number, windowMinutes = WINDOW_SECONDS / 60): WindowFigures[] {
  const out: WindowFigures[] = [];
  for (let from = 0; from < minutes - 0.5; from += windowMinutes) {
    const to = Math.min(minutes, from + windowMinutes);
    const inW = (p: Point) => p.t >= from && p.t < to;
    const perNode = (k: 'rss' | 'heap'): Record<string, number> => {
      const out: Record<string, number> = {};
      for (const node of [...new Set(series[k].map((p) => p.series))].toSorted()) out[node] = fixed(median(series[k].filter((p) => inW(p) && p.series === node).map((p) => p.value)), 1);
      return out;
    };
    const q = (k: Key) => fixed(median(series[k].filter(inW).map((p) => p.value)), 1);
    out.push({ fromMinute: fixed(from, 2), toMinute: fixed(to, 2), rssMiB: perNode('rss'), heapMiB: perNode('heap'), finalityMs: { p50: q('p50'), p95: q('p95'), p99: q('p99') }, blocksPerSecond: fixed(mean(series.bps.filter(inW).map((p) => p.value)), 3), tps: fixed(mean(series.tps.filter(inW).map((p) => p.value)), 2) });
  }
  return out;
}

/** Per node: median RSS of the last window minus that of the second (the first holds the start-up climb). */
export function rssGrowth(windows: readonly WindowFigures[]): Record<string, number> {
  const first = windows[1] ?? windows[0];
  const last = windows.at(-1);
  const out: Record<string, number> = {};
  if (first !== undefined && last !== undefined) for (const n of Object.keys(last.rssMiB)) out[n] = fixed((last.rssMiB[n] ?? Number.NaN) - (first.rssMiB[n] ?? Number.NaN), 1);
  return out;
}

function lineChart(title: string, subtitle: string, yTitle: string, values: Point[], seriesTitle: string): TopLevelSpec {
  return {
    $schema: SCHEMA,
    title: { text: title, subtitle },
    width: WIDTH,
    height: HEIGHT,
    config: CONFIG,
    data: { values },
    mark: { type: 'line', strokeWidth: 1.2 },
    encoding: {
      x: { field: 't', type: 'quantitative', title: 'time since the run began (minutes)' },
      y: { field: 'value', type: 'quantitative', title: yTitle },
      color: { field: 'series', type: 'nominal', title: seriesTitle },
    },
  } as TopLevelSpec;
}

function csv(points: readonly Point[]): string {
  return `minute,series,value\n${points.map((p) => `${p.t},${p.series},${p.value}`).join('\n')}\n`;
}

const node = (m: Record<string, string>): string => `node ${m.node_id ?? '?'}`;

/** Starts a Prometheus on a kept run's TSDB, reads the series, writes `<outDir>/soak/`. Returns the figures. */
export async function writeSoakReport(outDir: string, scenario: string, windowMinutes = WINDOW_SECONDS / 60): Promise<SoakFigures> {
  const runs = prometheusRuns(outDir);
  if (runs.length !== 1) throw new RangeError(`${outDir}: expected one kept Prometheus run under prometheus-runs/, found ${runs.length} (run avsim cluster run with --prometheus --out)`);
  const prom = await startPrometheus(prometheusLayout(runs[0] as string));
  try {
    const res = await fetch(`${prom.url}/api/v1/status/tsdb`);
    const head = ((await res.json()) as { data: { headStats: { minTime: number; maxTime: number } } }).data.headStats;
    const start = Math.floor(head.minTime / 1000);
    const end = Math.ceil(head.maxTime / 1000);
    const series = {} as Record<Key, Point[]>;
    for (const k of Object.keys(QUERIES) as Key[]) series[k] = await range(prom.promql, k, start, end, k === 'rss' || k === 'heap' || k === 'height' ? node : () => k);
    const minutes = fixed((end - start) / 60, 2);
    const windows = windowFigures(series, minutes, windowMinutes);
    const figures: SoakFigures = { start, end, minutes, windows, rssGrowthMiB: rssGrowth(windows) };

    const dir = join(outDir, 'soak');
    mkdirSync(dir, { recursive: true });
    const latency = [...series.p50, ...series.p95, ...series.p99];
    const charts: Array<[string, TopLevelSpec, Point[]]> = [
      ['rss-per-node', lineChart(`RSS per node: ${scenario}`, 'process_resident_memory_bytes, each node process (a kill restarts it: the dips)', 'RSS (MiB)', series.rss, 'node'), series.rss],
      ['heap-per-node', lineChart(`JS heap used per node: ${scenario}`, 'nodejs_heap_size_used_bytes, each node process (V8 heap; RSS adds native memory: RocksDB, buffers, code)', 'heap used (MiB)', series.heap, 'node'), series.heap],
      ['height-per-node', lineChart(`Accepted height per node: ${scenario}`, 'avsim_last_accepted_height; a killed node drops out and climbs back after its restart', 'last accepted height', series.height, 'node'), series.height],
      ['finality-latency', lineChart(`Client-observed finality over time: ${scenario}`, 'histogram_quantile over 1-minute rates of avsim_tx_finality_seconds, all nodes', 'finality (ms)', latency, 'quantile'), latency],
      ['accepted-tps', lineChart(`Accepted TPS over time: ${scenario}`, 'median node, 1-minute rate of avsim_txs_accepted_count', 'TPS', series.tps, 'series'), series.tps],
    ];
    for (const [name, spec, points] of charts) {
      writeFileSync(join(dir, `${name}.csv`), csv(points));
      writeFileSync(join(dir, `${name}.vl.json`), `${JSON.stringify(spec, null, 1)}\n`);
      const svg = await renderSvg(spec);
      writeFileSync(join(dir, `${name}.svg`), svg);
      writeFileSync(join(dir, `${name}.png`), svgToPng(svg));
    }
    writeFileAtomic(join(dir, 'soak.json'), `${JSON.stringify(figures, null, 2)}\n`);
    return figures;
  } finally {
    await prom.stop();
  }
}
