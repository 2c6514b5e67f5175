/**
 * The Piscina worker of `avsim sweep`: one task = one (sweep point, seed) of a
 * scenario file. It loads the file (with the sweep's `--set` overrides),
 * applies the point's overrides and runs the scenario at the task's seed.
 * The same task run here or in-process gives the same RunSummary (and trace
 * hash): nothing in a run depends on the thread it runs on.
 */
import type { RunSummary } from '../metrics/summary.js';
import type { ScenarioTaskPayload } from '../parallel/scenario-tasks.js';
import type { JsonValue, SweepTask } from '../parallel/task.js';
import { loadScenarioFile } from '../scenario/load.js';
import { resolvePoint, type SweepPoint, type SweepValue } from '../scenario/sweep.js';
import { realWallLimit, runScenario } from './run-scenario.js';

/** Payload of an `avsim sweep` task: the scenario task payload plus the sweep's own `--set` overrides. */
export interface SweepTaskPayload extends ScenarioTaskPayload {
  /** `path=value` overrides given to `avsim sweep --set`, applied before the point's. */
  sets: string[];
  /** `avsim sweep --max-wall`: wall seconds each task may take before it ends with limit max-wall (absent: no limit). */
  maxWallSeconds?: number;
}

/** Loaded scenario inputs kept per thread (loading validates every point of the sweep: not free). */
const MAX_CACHED_FILES = 8;
const inputs = new Map<string, unknown>();

function scenarioInput(file: string, sets: readonly string[]): unknown {
  const key = JSON.stringify([file, sets]);
  const cached = inputs.get(key);
  if (cached !== undefined) return cached;
  const { input } = loadScenarioFile(file, { sets });
  if (inputs.size >= MAX_CACHED_FILES) inputs.clear();
  inputs.set(key, input);
  return input;
}

function isSweepValue(v: JsonValue): v is SweepValue {
  return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
}

/** The sweep point a task carries, checked: payloads cross a thread boundary and may come from a file. */
export function taskPoint(task: SweepTask<ScenarioTaskPayload>): SweepPoint {
  const overrides: Record<string, SweepValue> = {};
  for (const [path, value] of Object.entries(task.payload.overrides)) {
    if (!isSweepValue(value)) throw new TypeError(`task ${task.id}: payload.overrides.${path} must be a string, number or boolean`);
    overrides[path] = value;
  }
  return { id: task.payload.pointId, overrides, values: { ...task.point } };
}

function setsOf(payload: ScenarioTaskPayload): string[] {
  const sets = payload.sets;
  if (sets === undefined) return [];
  if (!Array.isArray(sets) || !sets.every((s): s is string => typeof s === 'string')) throw new TypeError('payload.sets must be a list of path=value strings');
  return sets;
}

/** Runs one sweep task; the RunSummary is what runSweep writes to runs/<task id>.json. */
export async function runSweepTask(task: SweepTask<ScenarioTaskPayload>): Promise<RunSummary> {
  const point = taskPoint(task);
  const scenario = resolvePoint(scenarioInput(task.payload.scenarioFile, setsOf(task.payload)), point);
  const maxWall = task.payload.maxWallSeconds;
  if (maxWall !== undefined && !(typeof maxWall === 'number' && maxWall > 0)) throw new TypeError('payload.maxWallSeconds must be a number of seconds above 0');
  return runScenario(scenario, { seed: task.seed, point, repro: task.repro, ...(maxWall === undefined ? {} : { maxWall: realWallLimit(maxWall) }) });
}
