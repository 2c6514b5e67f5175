/**
 * The metrics of one run, in one table: the runs.csv columns (header and
 * value, in this order) and the metrics a scenario check may name
 * (`latency.p95 <= 100ms`). Adding a metric to the summary means one row
 * here, besides its field in summary.ts and its computation in
 * src/runner/summarise.ts; the per-point means (aggregate, points.csv,
 * report.html) are the same kind of table in src/report/point-columns.ts.
 */
import { quantileOf, type RunSummary } from './summary.js';

/** A CSV cell: empty for null, numbers rounded to 10 significant digits (src/report/csv.ts). */
export type Cell = string | number | boolean | null;

/** What a metric measures decides which units a check may write after its number. */
export type Dimension = 'count' | 'rate' | 'timeMs' | 'fraction' | 'bytes' | 'boolean';

/** A metric a check may name. Time metrics are read in ms, fractions as 0..1. */
export interface CheckSpec {
  name: string;
  dimension: Dimension;
  help: string;
}

/** A column of runs.csv, a checkable metric, or both (a checkable metric reads a number, a boolean or null). */
export type RunColumn =
  | { csv: string; read: (s: RunSummary) => Cell; check?: undefined }
  | { csv?: string; read: (s: RunSummary) => number | boolean | null; check: CheckSpec };

/** A sweep point as one CSV cell: `k=v k=v`. */
export const pointText = (p: RunSummary['point']): string => Object.entries(p).map(([k, v]) => `${k}=${String(v)}`).join(' ');
const check = (name: string, dimension: Dimension, help: string): CheckSpec => ({ name, dimension, help });

export const RUN_COLUMNS: readonly RunColumn[] = [
  { csv: 'scenario', read: (s) => s.scenario },
  { csv: 'point', read: (s) => pointText(s.point) },
  { csv: 'seed', read: (s) => s.seed },
  { csv: 'nodes', read: (s) => s.nodes },
  // A run that hit a limit is labelled with it (`limit:max-wall`): its figures cover only part of the planned duration.
  { csv: 'outcome', read: (s) => (s.outcome.kind === 'limit' ? `limit:${s.outcome.limit}` : s.outcome.kind) },
  { csv: 'offeredTps', read: (s) => s.offeredTps, check: check('offeredTps', 'rate', 'offered load, transactions/s') },
  { csv: 'tps', read: (s) => s.tps, check: check('tps', 'rate', 'sustained accepted transactions/s') },
  { csv: 'latencyP50Ms', read: (s) => quantileOf(s.latencyMs, 'p50'), check: check('latency.p50', 'timeMs', 'client-observed finality p50') },
  { csv: 'latencyP95Ms', read: (s) => quantileOf(s.latencyMs, 'p95'), check: check('latency.p95', 'timeMs', 'client-observed finality p95') },
  { csv: 'latencyP99Ms', read: (s) => quantileOf(s.latencyMs, 'p99'), check: check('latency.p99', 'timeMs', 'client-observed finality p99') },
  { read: (s) => quantileOf(s.latencyMs, 'mean'), check: check('latency.mean', 'timeMs', 'client-observed finality mean') },
  { read: (s) => quantileOf(s.latencyMs, 'max'), check: check('latency.max', 'timeMs', 'client-observed finality max') },
  { read: (s) => quantileOf(s.nodeLatencyMs, 'p50'), check: check('nodeLatency.p50', 'timeMs', 'per-node finality p50') },
  { csv: 'nodeLatencyP95Ms', read: (s) => quantileOf(s.nodeLatencyMs, 'p95'), check: check('nodeLatency.p95', 'timeMs', 'per-node finality p95') },
  { read: (s) => quantileOf(s.nodeLatencyMs, 'p99'), check: check('nodeLatency.p99', 'timeMs', 'per-node finality p99') },
  { csv: 'pollSuccessRate', read: (s) => s.pollSuccessRate, check: check('pollSuccessRate', 'fraction', 'successful polls / polls, 0..1 (or %)') },
  { csv: 'pollsPerDecision', read: (s) => s.pollsPerDecision, check: check('pollsPerDecision', 'count', 'polls per accepted block') },
  { csv: 'messagesPerNodePerSecond', read: (s) => s.messagesPerNodePerSecond, check: check('messagesPerNodePerSecond', 'count', 'messages per node per second') },
  { csv: 'bytesPerNodePerSecond', read: (s) => s.bytesPerNodePerSecond, check: check('bytesPerNodePerSecond', 'bytes', 'bytes per node per second') },
  { csv: 'cpuUtilisation', read: (s) => s.cpuUtilisation, check: check('cpuUtilisation', 'fraction', 'mean CPU utilisation, 0..1 (or %)') },
  { csv: 'cpuUtilisationMax', read: (s) => s.cpuUtilisationMax, check: check('cpuUtilisationMax', 'fraction', 'busiest node CPU utilisation') },
  { read: (s) => s.cpuQueueDelayMs, check: check('cpuQueueDelay', 'timeMs', 'mean CPU queueing delay') },
  { csv: 'memoryBytesPerNode', read: (s) => s.memoryBytesPerNode, check: check('memoryBytesPerNode', 'bytes', 'memory per virtual node') },
  { csv: 'recoveryMs', read: (s) => s.recoveryMs, check: check('recovery', 'timeMs', 'last fault healed -> next accepted block') },
  { csv: 'byzantineFraction', read: (s) => s.byzantine?.fraction ?? 0 },
  { csv: 'safetyViolations', read: (s) => s.safety.violations, check: check('safety.violations', 'count', 'conflicting honest acceptances') },
  { csv: 'livenessOk', read: (s) => s.liveness.ok, check: check('liveness.ok', 'boolean', 'all honest work decided within the bound') },
  { csv: 'undecided', read: (s) => s.liveness.undecided, check: check('liveness.undecided', 'count', 'honest transactions undecided past the bound') },
  { csv: 'checksFailed', read: (s) => s.checks.filter((c) => !c.ok).length },
  { read: (s) => s.acceptedBlocks, check: check('acceptedBlocks', 'count', 'accepted blocks') },
  { read: (s) => s.acceptedTransactions, check: check('acceptedTransactions', 'count', 'accepted transactions') },
  { csv: 'events', read: (s) => s.events, check: check('events', 'count', 'events processed') },
  { csv: 'eventsPerSecond', read: (s) => s.eventsPerSecond, check: check('eventsPerSecond', 'rate', 'events per wall-clock second') },
  { read: (s) => s.simToWallRatio, check: check('simToWallRatio', 'count', 'simulated seconds per wall second') },
  { csv: 'simSeconds', read: (s) => s.simSeconds },
  { csv: 'wallSeconds', read: (s) => s.wallSeconds },
  { csv: 'traceHash', read: (s) => s.traceHash },
  { csv: 'repro', read: (s) => s.repro },
];
