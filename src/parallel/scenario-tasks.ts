import type { JsonValue, PointValues, SweepTask } from './task.js';

/** A sweep point as `expandSweep(scenario)` produces it. */
export interface SweepPointInput {
  id: string;
  /** Field path -> value to set on the base scenario (`--set path=value` on the command line). */
  overrides: Readonly<Record<string, JsonValue>>;
  values: PointValues;
}

/** Payload of a scenario sweep task: enough for a worker to load the scenario and run one (point, seed). */
export interface ScenarioTaskPayload {
  [key: string]: JsonValue;
  scenarioFile: string;
  pointId: string;
  overrides: { [path: string]: JsonValue };
}

/** Limit on seeds per point, so a typo cannot ask for a billion runs. */
export const MAX_SEEDS = 100_000;

/**
 * The tasks of a scenario sweep: every point x every seed, point-major, seed-minor
 * (so `index mod N` sharding spreads each point's seeds over shards). Task ids are
 * `<pointId>.s<seed>`; each task's repro is `avsim run FILE --seed N --set path=value ...`.
 */
export function buildScenarioTasks(input: {
  scenarioFile: string;
  points: readonly SweepPointInput[];
  seeds: readonly number[];
}): SweepTask<ScenarioTaskPayload>[] {
  if (input.points.length === 0) throw new Error('points: a sweep needs at least one point');
  if (input.seeds.length === 0) throw new Error('seeds: a sweep needs at least one seed');
  if (input.seeds.length > MAX_SEEDS) throw new Error(`seeds: ${input.seeds.length} seeds exceed the limit of ${MAX_SEEDS}`);
  if (new Set(input.seeds).size !== input.seeds.length) throw new Error('seeds: must not repeat a seed');
  const tasks: SweepTask<ScenarioTaskPayload>[] = [];
  for (const point of input.points) {
    for (const seed of input.seeds) {
      tasks.push({
        index: tasks.length,
        id: `${point.id}.s${seed}`,
        seed,
        point: { ...point.values },
        payload: { scenarioFile: input.scenarioFile, pointId: point.id, overrides: { ...point.overrides } },
        repro: reproCommand(input.scenarioFile, seed, point.overrides),
      });
    }
  }
  return tasks;
}

/** `avsim run FILE --seed N --set path=value ...`, shell-quoted; strings stay bare, other non-scalars become JSON. */
export function reproCommand(scenarioFile: string, seed: number, overrides: Readonly<Record<string, JsonValue>>): string {
  const parts = ['avsim', 'run', shellQuote(scenarioFile), '--seed', String(seed)];
  for (const [path, value] of Object.entries(overrides)) {
    const text = typeof value === 'string' ? value : JSON.stringify(value);
    parts.push('--set', shellQuote(`${path}=${text}`));
  }
  return parts.join(' ');
}

/** POSIX shell quoting: bare when safe, else single quotes with ' written as '\''. */
export function shellQuote(word: string): string {
  if (/^[A-Za-z0-9_./=:,+@%-]+$/.test(word)) return word;
  return `'${word.replaceAll("'", `'\\''`)}'`;
}
