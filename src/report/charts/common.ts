/** What every chart shares: size, font, a chart description for the report. */
import type { TopLevelSpec } from 'vega-lite';
import type { RunSummary } from '../../metrics/summary.js';
import type { PointSummary } from '../aggregate.js';

export interface ChartInput {
  runs: readonly RunSummary[];
  points: readonly PointSummary[];
}

export interface Chart {
  /** File-name stem: plots/<name>.svg. */
  name: string;
  title: string;
  /** One sentence under the chart: what it shows. */
  caption: string;
  spec: TopLevelSpec;
}

export const WIDTH = 520;
export const HEIGHT = 300;
/** Most series one chart draws; more would be unreadable. */
export const MAX_SERIES = 8;

export const CONFIG = {
  font: 'DejaVu Sans',
  background: 'white',
  view: { stroke: '#ddd' },
  axis: { labelFontSize: 11, titleFontSize: 12, gridColor: '#eee' },
  legend: { labelFontSize: 11, titleFontSize: 11, labelLimit: 320 },
  title: { fontSize: 14, anchor: 'start' as const, subtitleFontSize: 11, subtitleColor: '#555' },
};

export const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';

/**
 * The protocol a run or point ran: the swept (or --set) `protocol.name`, else
 * the one its summary records; undefined for older files that record none.
 */
export function protocolOf(r: { point: RunSummary['point']; protocol?: string | undefined }): string | undefined {
  const swept = r.point['protocol.name'];
  return swept === undefined ? r.protocol : String(swept);
}

/** Whether the runs or points of one chart ran more than one protocol (their labels must then say which). */
export function mixesProtocols(items: ReadonlyArray<{ point: RunSummary['point']; protocol?: string | undefined }>): boolean {
  return new Set(items.map(protocolOf)).size > 1;
}

/**
 * A label for a sweep point's values other than node count (e.g. `k=20 rate=100`).
 * `protocol.name` reads `protocol=…`. With `protocol` (pass it when the chart
 * mixes protocols), a point that does not set `protocol.name` is labelled with
 * the protocol its run recorded (`protocol=scenario's` when it recorded none),
 * so a series is never just "all" beside a `protocol=snowman` one.
 */
export function seriesLabel(point: RunSummary['point'], omit: readonly string[] = ['nodes.count'], protocol?: { of: string | undefined }): string {
  const parts = Object.entries(point)
    .filter(([k]) => !omit.includes(k))
    .map(([k, v]) => (k === 'protocol.name' ? `protocol=${String(v)}` : `${k.split('.').pop() ?? k}=${String(v)}`));
  if (protocol !== undefined && point['protocol.name'] === undefined) parts.unshift(`protocol=${protocol.of ?? "scenario's"}`);
  return parts.length === 0 ? 'all' : parts.join(' ');
}

/**
 * A log-scale node-count axis spanning the data with a little margin: vega's
 * default "nice" log domain runs to the next power of ten, leaving most of the
 * plot empty and putting the first point on the axis line.
 */
export function nodesAxis(nodes: readonly number[]): {
  field: 'nodes';
  type: 'quantitative';
  scale: { type: 'log'; domain: [number, number]; nice: false };
  axis: { values: number[]; format: string };
  title: string;
} {
  const lo = Math.min(...nodes);
  const hi = Math.max(...nodes);
  // Ticks at the measured sizes: log-scale default ticks skip some (e.g. no "100" label).
  const values = [...new Set(nodes)].slice(0, 20);
  return { field: 'nodes', type: 'quantitative', scale: { type: 'log', domain: [round(lo / 1.2, 3), round(hi * 1.2, 3)], nice: false }, axis: { values, format: ',' }, title: 'nodes (log scale)' };
}

export const round = (x: number, digits = 4): number => (Number.isFinite(x) ? Number(x.toPrecision(digits)) : 0);

/** Points and runs with no Byzantine nodes and no faults: what scaling charts and verdicts compare. */
export function isClean(p: { byzantineFraction: number; faulted: boolean }): boolean {
  return p.byzantineFraction === 0 && !p.faulted;
}
export function isCleanRun(r: RunSummary): boolean {
  return (r.byzantine?.fraction ?? 0) === 0 && r.faultWindows.length === 0;
}

/** A run's latency CDF (ms, fraction <= ms); from its quantiles when it has no CDF; empty when it has no samples. */
export function latencyCdfOf(r: RunSummary): Array<{ ms: number; fraction: number }> {
  if (r.latencyCdf !== undefined && r.latencyCdf.length > 1) return r.latencyCdf;
  const l = r.latencyMs;
  if (l.count === 0 || l.p50 === null || l.p95 === null || l.p99 === null || l.max === null) return [];
  return [{ ms: 0, fraction: 0 }, { ms: l.p50, fraction: 0.5 }, { ms: l.p95, fraction: 0.95 }, { ms: l.p99, fraction: 0.99 }, { ms: l.max, fraction: 1 }];
}

/**
 * "n = 2 seeds per point" (or "n = 2–8 ...") for a chart's subtitle: with few
 * seeds a 95% interval uses a large t (12.7 at n = 2), so the chart says n.
 */
export function seedsText(ns: readonly number[], per = 'point'): string {
  const counted = ns.filter((n) => n > 0);
  if (counted.length === 0) return 'no seeds';
  const lo = Math.min(...counted);
  const hi = Math.max(...counted);
  const n = lo === hi ? String(lo) : `${lo}–${hi}`;
  return `n = ${n} ${hi === 1 ? 'seed' : 'seeds'} per ${per}`;
}

/** Where a seed's own point is drawn on a log node axis: just right of its point's interval bar, so both stay visible. */
export const besideNodes = (nodes: number): number => round(nodes * 1.045);
