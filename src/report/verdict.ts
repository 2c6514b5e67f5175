/**
 * The specification's targets and the verdict of a set of runs against them:
 * 1k nodes >= 200 TPS at p95 <= 100 ms; 5k >= 500 TPS at p95 <= 200 ms;
 * 10k >= 1,000 TPS at p95 <= 500 ms.
 */
import { NO_SAMPLES } from '../metrics/summary.js';
import type { PointSummary } from './aggregate.js';

export interface Target {
  nodes: number;
  minTps: number;
  maxP95Ms: number;
}

export const SPEC_TARGETS: readonly Target[] = [
  { nodes: 1_000, minTps: 200, maxP95Ms: 100 },
  { nodes: 5_000, minTps: 500, maxP95Ms: 200 },
  { nodes: 10_000, minTps: 1_000, maxP95Ms: 500 },
];

export type Verdict = 'pass' | 'fail' | 'inconclusive' | 'not run';

export interface VerdictRow {
  target: Target;
  verdict: Verdict;
  /** Best point at that size (highest TPS meeting the latency target, else highest TPS). */
  tps: number | null;
  p95Ms: number | null;
  offeredTps: number | null;
  runs: number;
  note: string;
}

/**
 * One row per target. Only honest, fault-free points count (Byzantine
 * fraction 0, no fault windows). A miss of the TPS target when less load was offered than the
 * target is 'inconclusive', not 'fail': the run never asked for that much.
 */
export function verdicts(points: readonly PointSummary[], targets: readonly Target[] = SPEC_TARGETS): VerdictRow[] {
  return targets.map((target) => {
    const at = points.filter((p) => p.nodes === target.nodes && p.byzantineFraction === 0 && !p.faulted && Number.isFinite(p.tps.mean));
    if (at.length === 0) return { target, verdict: 'not run', tps: null, p95Ms: null, offeredTps: null, runs: 0, note: `no run at ${target.nodes} nodes` };
    const meetsLatency = at.filter((p) => p.p95.mean <= target.maxP95Ms);
    const pool = meetsLatency.length > 0 ? meetsLatency : at;
    const best = pool.reduce((a, p) => (p.tps.mean > a.tps.mean ? p : a));
    const runs = at.reduce((a, p) => a + p.seeds.length, 0);
    const tpsOk = best.tps.mean >= target.minTps;
    const latOk = best.p95.mean <= target.maxP95Ms;
    // No finality samples at all: there is no p95 to hold against the target (not a 0 ms latency that passes).
    const p95Ms = best.p95.n === 0 ? null : best.p95.mean;
    const base = { target, tps: best.tps.mean, p95Ms, offeredTps: best.offeredTps.mean, runs };
    if (p95Ms === null) return { ...base, verdict: 'fail', note: `p95: ${NO_SAMPLES} (no transaction submitted after the warm-up was accepted)` };
    if (tpsOk && latOk) return { ...base, verdict: 'pass', note: 'meets both targets' };
    if (!latOk) return { ...base, verdict: 'fail', note: `p95 ${best.p95.mean.toFixed(1)} ms > ${target.maxP95Ms} ms` };
    if (best.offeredTps.mean < target.minTps) {
      return { ...base, verdict: 'inconclusive', note: `offered only ${best.offeredTps.mean.toFixed(0)} TPS (< ${target.minTps}); raise the load to test the target` };
    }
    return { ...base, verdict: 'fail', note: `${best.tps.mean.toFixed(1)} TPS < ${target.minTps}` };
  });
}

/** The verdicts worth a console line: those of sizes the runs include ("not run" rows say nothing). */
export function verdictLines(rows: readonly VerdictRow[]): string[] {
  return rows.filter((v) => v.verdict !== 'not run').map((v) => `  ${String(v.target.nodes).padStart(6)} nodes: ${v.verdict.padEnd(12)} ${v.note}`);
}
