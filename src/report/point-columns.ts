/**
 * The per-point table, in one place: the numbers aggregate() averages over a
 * sweep point's seeds (each a mean with its 95% CI), and the columns of
 * points.csv (header and value) and of the report's points table (heading
 * and cell), in the order both show them. Adding a per-point metric is one
 * entry in POINT_MEANS and one in POINT_COLUMNS.
 */
import { pointText, type Cell } from '../metrics/run-columns.js';
import { NO_SAMPLES, quantileOf, type RunSummary } from '../metrics/summary.js';
import type { PointSummary } from './aggregate.js';
import { ci, escapeHtml, fmt, pct, pointLabel } from './html-format.js';
import type { MeanCi } from './stats.js';

/** Per-run numbers averaged over a point's seeds (aggregate gives each a MeanCi under its name). */
export const POINT_MEANS = {
  offeredTps: (r) => r.offeredTps,
  tps: (r) => r.tps,
  // A run with no finality samples has no quantiles (null), not 0 ms: left out of the point's mean.
  p50: (r) => quantileOf(r.latencyMs, 'p50'),
  p95: (r) => quantileOf(r.latencyMs, 'p95'),
  p99: (r) => quantileOf(r.latencyMs, 'p99'),
  pollSuccessRate: (r) => r.pollSuccessRate,
  cpuUtilisation: (r) => r.cpuUtilisation,
  bytesPerNodePerSecond: (r) => r.bytesPerNodePerSecond,
} as const satisfies Record<string, (r: RunSummary) => number | null>;
export type PointMeanName = keyof typeof POINT_MEANS;

/** A latency cell: "no samples" when no run of the point had a finality sample (points.csv leaves the cell empty). */
const latencyCell = (m: MeanCi, text: string): string => (m.n === 0 ? NO_SAMPLES : text);

type CsvPart = readonly [header: string, value: (p: PointSummary) => Cell];

export interface PointColumn {
  /** points.csv columns this column writes (a mean with its CI writes three). */
  csv: readonly CsvPart[];
  /** The report's table heading and cell (HTML). */
  html: readonly [heading: string, cell: (p: PointSummary) => string];
}

const meanOf = (header: string, m: PointMeanName): CsvPart => [header, (p) => p[m].mean];
/** `<stem>Mean`, `<stem>Ci95Lo`, `<stem>Ci95Hi`. */
const withCi = (stem: string, m: PointMeanName): CsvPart[] => [
  [`${stem}Mean`, (p) => p[m].mean],
  [`${stem}Ci95Lo`, (p) => p[m].lo],
  [`${stem}Ci95Hi`, (p) => p[m].hi],
];

export const POINT_COLUMNS: readonly PointColumn[] = [
  { csv: [['scenario', (p) => p.scenario]], html: ['scenario', (p) => escapeHtml(p.scenario)] },
  { csv: [['point', (p) => pointText(p.point)]], html: ['point', (p) => escapeHtml(pointLabel(p.point))] },
  { csv: [['nodes', (p) => p.nodes]], html: ['nodes', (p) => p.nodes.toLocaleString('en-US')] },
  { csv: [['seeds', (p) => p.seeds.length]], html: ['seeds', (p) => String(p.seeds.length)] },
  { csv: [meanOf('offeredTps', 'offeredTps')], html: ['offered TPS', (p) => fmt(p.offeredTps.mean, 0)] },
  { csv: withCi('tps', 'tps'), html: ['TPS (±95% CI)', (p) => ci(p.tps)] },
  { csv: [meanOf('latencyP50MsMean', 'p50')], html: ['p50 ms', (p) => latencyCell(p.p50, fmt(p.p50.mean))] },
  { csv: withCi('latencyP95Ms', 'p95'), html: ['p95 ms (±95% CI)', (p) => latencyCell(p.p95, ci(p.p95))] },
  { csv: [meanOf('latencyP99MsMean', 'p99')], html: ['p99 ms', (p) => latencyCell(p.p99, fmt(p.p99.mean))] },
  { csv: [meanOf('pollSuccessRateMean', 'pollSuccessRate')], html: ['poll success', (p) => pct(p.pollSuccessRate.mean)] },
  { csv: [meanOf('cpuUtilisationMean', 'cpuUtilisation')], html: ['CPU', (p) => pct(p.cpuUtilisation.mean)] },
  { csv: [['byzantineFraction', (p) => p.byzantineFraction]], html: ['Byzantine', (p) => pct(p.byzantineFraction)] },
  { csv: [['safetyViolations', (p) => p.safetyViolations]], html: ['safety violations', (p) => String(p.safetyViolations)] },
  { csv: [['liveShare', (p) => p.liveShare]], html: ['live runs', (p) => pct(p.liveShare)] },
  { csv: [['checksFailed', (p) => p.checksFailed]], html: ['failed checks', (p) => String(p.checksFailed)] },
  { csv: [['incomplete', (p) => p.incomplete]], html: ['incomplete', (p) => String(p.incomplete)] },
];
