/**
 * Groups runs by sweep point (all seeds of one point together) and summarises
 * each group with means and 95% confidence intervals over seeds.
 */
import type { RunSummary } from '../metrics/summary.js';
import { POINT_MEANS, type PointMeanName } from './point-columns.js';
import { meanCi, type MeanCi } from './stats.js';

export type PointSummary = {
  /** Stable key: scenario + point values. */
  key: string;
  scenario: string;
  point: RunSummary['point'];
  /** The protocol its runs recorded (absent for older files). */
  protocol?: string;
  nodes: number;
  seeds: number[];
  byzantineFraction: number;
  /** Some run of this point had fault windows. */
  faulted: boolean;
  safetyViolations: number;
  /** Runs whose liveness held / runs. */
  liveShare: number;
  checksFailed: number;
  /** Runs that did not complete (hit a limit or errored). */
  incomplete: number;
} & Record<PointMeanName, MeanCi>; // each of POINT_MEANS, averaged over seeds

/** Scenario + node count + point values: runs of one point differ only in seed (node count included, as `--set` can change it outside a sweep). */
export function pointKey(s: Pick<RunSummary, 'scenario' | 'point' | 'nodes'>): string {
  const values = Object.entries(s.point).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `${s.scenario}|${s.nodes}|${values.map(([k, v]) => `${k}=${String(v)}`).join(',')}`;
}

/** Runs grouped by sweep point (pointKey), groups and runs in the order the runs come. */
export function groupByPoint(runs: readonly RunSummary[]): Map<string, RunSummary[]> {
  const groups = new Map<string, RunSummary[]>();
  for (const r of runs) {
    const key = pointKey(r);
    const g = groups.get(key);
    if (g === undefined) groups.set(key, [r]);
    else g.push(r);
  }
  return groups;
}

export function aggregate(runs: readonly RunSummary[]): PointSummary[] {
  const groups = groupByPoint(runs);
  const out: PointSummary[] = [];
  for (const [key, g] of groups) {
    const first = g[0];
    if (first === undefined) continue;
    const means = Object.fromEntries(Object.entries(POINT_MEANS).map(([name, of]) => [name, meanCi(g.map(of))])) as Record<PointMeanName, MeanCi>;
    out.push({
      key,
      scenario: first.scenario,
      point: first.point,
      ...(first.protocol === undefined ? {} : { protocol: first.protocol }),
      nodes: first.nodes,
      seeds: g.map((r) => r.seed).sort((a, b) => a - b),
      ...means,
      byzantineFraction: first.byzantine?.fraction ?? 0,
      faulted: g.some((r) => r.faultWindows.length > 0),
      safetyViolations: g.reduce((a, r) => a + r.safety.violations, 0),
      liveShare: g.filter((r) => r.liveness.ok).length / g.length,
      checksFailed: g.reduce((a, r) => a + r.checks.filter((c) => !c.ok).length, 0),
      incomplete: g.filter((r) => r.outcome.kind !== 'completed').length,
    });
  }
  // Deterministic order: scenario, nodes, then key.
  return out.sort((a, b) => (a.scenario < b.scenario ? -1 : a.scenario > b.scenario ? 1 : a.nodes - b.nodes || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)));
}
