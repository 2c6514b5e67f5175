/** CSV (RFC 4180) of flat rows: runs, sweep points, throughput over time. */
import type { RunSummary } from '../metrics/summary.js';
import type { PointSummary } from './aggregate.js';

type Cell = string | number | boolean | null;

function cell(v: Cell): string {
  if (v === null) return '';
  const s = typeof v === 'number' ? (Number.isFinite(v) ? String(Number(v.toPrecision(10))) : '') : String(v);
  return /[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

export function toCsv(header: readonly string[], rows: ReadonlyArray<readonly Cell[]>): string {
  return [header, ...rows].map((r) => r.map(cell).join(',')).join('\n') + '\n';
}

const pointText = (p: RunSummary['point']): string => Object.entries(p).map(([k, v]) => `${k}=${String(v)}`).join(' ');

export function runsCsv(runs: readonly RunSummary[]): string {
  return toCsv(
    ['scenario', 'point', 'seed', 'nodes', 'outcome', 'offeredTps', 'tps', 'latencyP50Ms', 'latencyP95Ms', 'latencyP99Ms', 'nodeLatencyP95Ms', 'pollSuccessRate', 'pollsPerDecision', 'messagesPerNodePerSecond', 'bytesPerNodePerSecond', 'cpuUtilisation', 'cpuUtilisationMax', 'memoryBytesPerNode', 'recoveryMs', 'byzantineFraction', 'safetyViolations', 'livenessOk', 'undecided', 'checksFailed', 'events', 'eventsPerSecond', 'simSeconds', 'wallSeconds', 'traceHash', 'repro'],
    runs.map((r) => [
      r.scenario, pointText(r.point), r.seed, r.nodes, r.outcome.kind, r.offeredTps, r.tps, r.latencyMs.p50, r.latencyMs.p95, r.latencyMs.p99, r.nodeLatencyMs.p95,
      r.pollSuccessRate, r.pollsPerDecision, r.messagesPerNodePerSecond, r.bytesPerNodePerSecond, r.cpuUtilisation, r.cpuUtilisationMax, r.memoryBytesPerNode, r.recoveryMs,
      r.byzantine?.fraction ?? 0, r.safety.violations, r.liveness.ok, r.liveness.undecided, r.checks.filter((c) => !c.ok).length, r.events, r.eventsPerSecond, r.simSeconds, r.wallSeconds, r.traceHash, r.repro,
    ]),
  );
}

export function pointsCsv(points: readonly PointSummary[]): string {
  return toCsv(
    ['scenario', 'point', 'nodes', 'seeds', 'offeredTps', 'tpsMean', 'tpsCi95Lo', 'tpsCi95Hi', 'latencyP50MsMean', 'latencyP95MsMean', 'latencyP95MsCi95Lo', 'latencyP95MsCi95Hi', 'latencyP99MsMean', 'pollSuccessRateMean', 'cpuUtilisationMean', 'byzantineFraction', 'safetyViolations', 'liveShare', 'checksFailed', 'incomplete'],
    points.map((p) => [
      p.scenario, pointText(p.point), p.nodes, p.seeds.length, p.offeredTps.mean, p.tps.mean, p.tps.lo, p.tps.hi, p.p50.mean, p.p95.mean, p.p95.lo, p.p95.hi, p.p99.mean,
      p.pollSuccessRate.mean, p.cpuUtilisation.mean, p.byzantineFraction, p.safetyViolations, p.liveShare, p.checksFailed, p.incomplete,
    ]),
  );
}

export function throughputCsv(runs: readonly RunSummary[]): string {
  return toCsv(
    ['scenario', 'point', 'seed', 'tSeconds', 'tps', 'offeredTps'],
    runs.flatMap((r) => r.throughput.map((t) => [r.scenario, pointText(r.point), r.seed, t.tSeconds, t.tps, t.offeredTps ?? null])),
  );
}
