/** Offered-load points from runs: per run, and per throughput bucket when buckets carry their offered load. */
import type { RunSummary } from '../../metrics/summary.js';
import { round } from './common.js';

export interface LoadPoint {
  offered: number;
  tps: number;
  cpu: number;
  cpuMax: number;
  nodes: string;
}

export function loadPoints(runs: readonly RunSummary[]): { perRun: LoadPoint[]; perBucket: Array<{ offered: number; tps: number; nodes: string }> } {
  const perRun = runs.map((r) => ({ offered: round(r.offeredTps), tps: round(r.tps), cpu: round(r.cpuUtilisation), cpuMax: round(r.cpuUtilisationMax), nodes: `${r.nodes} nodes` }));
  const perBucket = runs.flatMap((r) =>
    r.throughput.flatMap((t) => (t.offeredTps === undefined ? [] : [{ offered: round(t.offeredTps), tps: round(t.tps), nodes: `${r.nodes} nodes` }])),
  );
  return { perRun, perBucket };
}

/** True when the runs cover at least two offered loads (otherwise a load axis says nothing). */
export function hasLoadRange(runs: readonly RunSummary[]): boolean {
  const { perRun, perBucket } = loadPoints(runs);
  return new Set([...perRun, ...perBucket].map((p) => p.offered)).size >= 2;
}
