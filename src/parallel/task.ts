import { createHash } from 'node:crypto';

/** A JSON value: what a task payload, a point and a task result may hold (they cross thread and disk boundaries). */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** The sweep point a task belongs to: field path -> value (same shape as RunSummary.point). */
export type PointValues = Record<string, string | number | boolean>;

/**
 * One unit of work of a sweep: one (point, seed). Tasks are plain data so they
 * can be cloned into a worker thread and hashed; `index` is the task's position
 * in the full (unsharded) sweep and decides ordering and sharding.
 */
export interface SweepTask<P extends JsonValue = JsonValue> {
  index: number;
  /** File-name-safe and unique in the sweep: the result lands in runs/<id>.json. */
  id: string;
  seed: number;
  point: PointValues;
  /** Whatever the worker function needs to run the task, e.g. a scenario file path and overrides. */
  payload: P;
  /** The one command that re-runs exactly this task, printed with its failure. */
  repro: string;
}

/** Limits: a sweep is finite, ids are short file names. */
export const MAX_TASKS = 1_000_000;
export const MAX_ID_LENGTH = 128;
const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._=+,-]*$/;

/** Throws a one-line error naming the task and the rule when a task list cannot be a sweep. */
export function validateTasks(tasks: readonly SweepTask[]): void {
  if (tasks.length === 0) throw new Error('tasks: a sweep needs at least one task');
  if (tasks.length > MAX_TASKS) throw new Error(`tasks: ${tasks.length} tasks exceed the limit of ${MAX_TASKS}`);
  const seen = new Set<string>();
  tasks.forEach((task, position) => {
    const where = `tasks[${position}]`;
    if (task.index !== position) throw new Error(`${where}.index: must equal its position ${position} (got ${task.index})`);
    if (task.id.length === 0 || task.id.length > MAX_ID_LENGTH || !ID_PATTERN.test(task.id)) {
      throw new Error(`${where}.id: "${task.id}" must be 1-${MAX_ID_LENGTH} characters of [A-Za-z0-9._=+,-], starting with a letter or digit`);
    }
    if (seen.has(task.id)) throw new Error(`${where}.id: "${task.id}" is not unique`);
    seen.add(task.id);
    if (!Number.isSafeInteger(task.seed) || task.seed < 0) throw new Error(`${where}.seed: must be a non-negative safe integer (got ${task.seed})`);
    if (task.repro.length === 0) throw new Error(`${where}.repro: must be the command that re-runs the task`);
  });
}

/** JSON with object keys sorted, so a hash does not depend on key insertion order. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return v;
    const sorted: Record<string, unknown> = {};
    for (const k of Object.keys(v).toSorted()) sorted[k] = (v as Record<string, unknown>)[k];
    return sorted;
  });
}

/** Identifies a sweep: same tasks (ids, seeds, points, payloads, repro) => same hash. Shards and resumes check it. */
export function tasksHash(tasks: readonly SweepTask[]): string {
  const hash = createHash('sha256');
  for (const t of tasks) {
    hash.update(canonicalJson({ index: t.index, id: t.id, seed: t.seed, point: t.point, payload: t.payload, repro: t.repro }));
    hash.update('\n');
  }
  return hash.digest('hex');
}
