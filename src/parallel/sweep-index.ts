import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ShardSpec } from './shard.js';
import type { JsonValue, PointValues, SweepTask } from './task.js';
import { writeFileAtomic } from './atomic-write.js';

/** Layout of a sweep output directory. */
export const INDEX_FILE = 'sweep.json';
export const RUNS_DIR = 'runs';
export const FAILURES_DIR = 'failures';
export const INDEX_FORMAT = 'avsim-sweep/2';
/** Indexes from before result hashes; read (their results have no recorded hash), never written. */
const OLDER_FORMATS: readonly string[] = ['avsim-sweep/1'];

export const resultPath = (id: string): string => `${RUNS_DIR}/${id}.json`;
export const failurePath = (id: string): string => `${FAILURES_DIR}/${id}.json`;

export type TaskStatus = 'done' | 'failed' | 'pending';

/** One task's line in sweep.json. Paths are relative to the sweep directory, with `/`. */
export interface SweepIndexEntry {
  index: number;
  id: string;
  seed: number;
  point: PointValues;
  payload: JsonValue;
  repro: string;
  status: TaskStatus;
  /** runs/<id>.json when done. */
  result: string | null;
  /** SHA-256 of runs/<id>.json's bytes when done: resume and report refuse a result that does not match. */
  sha256: string | null;
  /** failures/<id>.json when failed. */
  failure: string | null;
  /** First line of the error when failed. */
  error: string | null;
}

/**
 * sweep.json: the index of a sweep directory. It holds no wall-clock times or
 * host names, so a merged set of shards writes the very same bytes as an
 * unsharded sweep.
 */
export interface SweepIndex {
  format: typeof INDEX_FORMAT;
  /** sha256 over the full (unsharded) task list: identifies the sweep. */
  tasksHash: string;
  /** Number of tasks in the full sweep. */
  totalTasks: number;
  /** The shard this directory holds, or null for a whole sweep (or a merge). */
  shard: ShardSpec | null;
  counts: { done: number; failed: number; pending: number };
  complete: boolean;
  tasks: SweepIndexEntry[];
}

export function indexEntry(task: SweepTask, status: TaskStatus, error: string | null, sha256: string | null = null): SweepIndexEntry {
  return {
    index: task.index,
    id: task.id,
    seed: task.seed,
    point: task.point,
    payload: task.payload,
    repro: task.repro,
    status,
    result: status === 'done' ? resultPath(task.id) : null,
    sha256: status === 'done' ? sha256 : null,
    failure: status === 'failed' ? failurePath(task.id) : null,
    error: status === 'failed' ? error : null,
  };
}

/** An entry read from disk, keys in the order indexEntry writes them (older indexes lack sha256). */
function normaliseEntry(e: SweepIndexEntry): SweepIndexEntry {
  return {
    index: e.index,
    id: e.id,
    seed: e.seed,
    point: e.point,
    payload: e.payload,
    repro: e.repro,
    status: e.status,
    result: e.result,
    sha256: typeof e.sha256 === 'string' ? e.sha256 : null,
    failure: e.failure,
    error: e.error,
  };
}

/** Builds the index from entries sorted by task index; key order is fixed here, so bytes are reproducible. */
export function buildIndex(hash: string, totalTasks: number, shard: ShardSpec | null, entries: SweepIndexEntry[]): SweepIndex {
  const tasks = entries.toSorted((a, b) => a.index - b.index);
  const counts = { done: 0, failed: 0, pending: 0 };
  for (const e of tasks) counts[e.status] += 1;
  return {
    format: INDEX_FORMAT,
    tasksHash: hash,
    totalTasks,
    shard: shard === null ? null : { index: shard.index, count: shard.count },
    counts,
    complete: counts.pending === 0 && counts.failed === 0,
    tasks,
  };
}

export const serialiseJson = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;

export async function writeIndex(dir: string, index: SweepIndex): Promise<void> {
  await writeFileAtomic(join(dir, INDEX_FILE), serialiseJson(index));
}

/** Reads dir/sweep.json, or null when there is none. Rejects files that are not a sweep index. */
export async function readIndex(dir: string): Promise<SweepIndex | null> {
  const path = join(dir, INDEX_FILE);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error(`${path}: not valid JSON`);
  }
  const index = parsed as Partial<SweepIndex> | null;
  const format = index?.format as string | undefined;
  if (index === null || typeof index !== 'object' || (format !== INDEX_FORMAT && !OLDER_FORMATS.includes(format ?? '')) || !Array.isArray(index.tasks) || typeof index.tasksHash !== 'string') {
    throw new Error(`${path}: not a sweep index (format must be "${INDEX_FORMAT}")`);
  }
  // Older indexes have no hashes: their results count as unrecorded.
  return { ...(index as SweepIndex), format: INDEX_FORMAT, tasks: (index.tasks as SweepIndexEntry[]).map(normaliseEntry) };
}
