/**
 * One gate run: load the scenario with the cell's overrides and run it. Used
 * in-process and as the Piscina worker module of `avsim check --workers N`
 * (its default export), so both paths run exactly the same code.
 */
import type { RunSummary } from '../../metrics/summary.js';
import type { SweepTask } from '../../parallel/task.js';
import { runScenario } from '../../runner/run-scenario.js';
import { loadScenarioFile } from '../../scenario/load.js';
import type { SweepPoint } from '../../scenario/sweep.js';

/** A type, not an interface: it is a sweep task's JSON payload (check-runs.ts). */
export type GateCellTask = {
  file: string;
  strategy: string;
  fraction: number;
  seed: number;
  repro: string;
};

/** The cell as `--set` overrides (fraction 0 = no Byzantine node). */
export function cellSets(strategy: string, fraction: number): string[] {
  return [`byzantine.strategy=${strategy}`, `byzantine.fraction=${fraction}`];
}

export async function runGateCell(task: GateCellTask): Promise<RunSummary> {
  const { scenario } = loadScenarioFile(task.file, { sets: cellSets(task.strategy, task.fraction) });
  const values = { 'byzantine.strategy': task.strategy, 'byzantine.fraction': task.fraction };
  const point: SweepPoint = { id: `${task.strategy}_f${task.fraction}`, overrides: values, values };
  return runScenario({ ...scenario, sweep: {} }, { seed: task.seed, point, repro: task.repro });
}

/** The same run as a sweep task (`avsim check --out`, check-runs.ts). */
export async function runGateSweepTask(task: SweepTask<GateCellTask>): Promise<RunSummary> {
  return runGateCell(task.payload);
}

export default runGateCell;
