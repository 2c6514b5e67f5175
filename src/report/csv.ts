/** CSV (RFC 4180) of flat rows: runs, sweep points, throughput over time. */
import { pointText, RUN_COLUMNS, type Cell } from '../metrics/run-columns.js';
import type { RunSummary } from '../metrics/summary.js';
import type { PointSummary } from './aggregate.js';
import { POINT_COLUMNS } from './point-columns.js';

function cell(v: Cell): string {
  if (v === null) return '';
  const s = typeof v === 'number' ? (Number.isFinite(v) ? String(Number(v.toPrecision(10))) : '') : String(v);
  return /[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

export function toCsv(header: readonly string[], rows: ReadonlyArray<readonly Cell[]>): string {
  return [header, ...rows].map((r) => r.map(cell).join(',')).join('\n') + '\n';
}

/** One row per run; the columns are the run-metrics table's (src/metrics/run-columns.ts). */
export function runsCsv(runs: readonly RunSummary[]): string {
  const cols = RUN_COLUMNS.flatMap((c) => (c.csv === undefined ? [] : [{ header: c.csv, read: c.read }]));
  return toCsv(
    cols.map((c) => c.header),
    runs.map((r) => cols.map((c) => c.read(r))),
  );
}

/** One row per sweep point; the columns are the point table's (src/report/point-columns.ts). */
export function pointsCsv(points: readonly PointSummary[]): string {
  const parts = POINT_COLUMNS.flatMap((c) => c.csv);
  return toCsv(
    parts.map(([header]) => header),
    points.map((p) => parts.map(([, value]) => value(p))),
  );
}

export function throughputCsv(runs: readonly RunSummary[]): string {
  return toCsv(
    ['scenario', 'point', 'seed', 'tSeconds', 'tps', 'submittedTps', 'offeredTps', 'widthSeconds'],
    runs.flatMap((r) => r.throughput.map((t) => [r.scenario, pointText(r.point), r.seed, t.tSeconds, t.tps, t.submittedTps ?? null, t.offeredTps ?? null, t.widthSeconds ?? null])),
  );
}
