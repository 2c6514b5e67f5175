import { existsSync } from 'node:fs';
import { readdir, rm } from 'node:fs/promises';
import { makeDir } from '../io/make-dir.js';
import { availableParallelism } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Piscina } from 'piscina';
import { removeStaleTempFiles, writeFileAtomic, isTempFile } from './atomic-write.js';
import { classifyError, failureRecord, failureSummary, type FailureKind, type FailureRecord } from './failure.js';
import { selectShard, validateShard, type ShardSpec } from './shard.js';
import {
  FAILURES_DIR,
  INDEX_FILE,
  RUNS_DIR,
  buildIndex,
  failurePath,
  indexEntry,
  readIndex,
  resultPath,
  serialiseJson,
  writeIndex,
  type SweepIndex,
} from './sweep-index.js';
import { checkResult, contentHash, journalResult, recordedHashes, removeJournal } from './result-hashes.js';
import { tasksHash, validateTasks, type JsonValue, type SweepTask } from './task.js';

/** Limit on worker threads per pool. */
export const MAX_WORKERS = 256;

export interface SweepProgress {
  phase: 'start' | 'task' | 'end';
  /** Tasks in this run (this shard's tasks when sharded). */
  total: number;
  /** Tasks with a result, including those found on disk when resuming. */
  done: number;
  failed: number;
  /** Tasks skipped because their result already existed (resume). */
  skipped: number;
  inFlight: number;
  /** The task that just finished (phase 'task'). */
  last: { id: string; status: 'done' | 'failed'; error: string | null } | null;
}

export interface RunSweepOptions<P extends JsonValue = JsonValue> {
  /** The full sweep, in order (task.index === position); sharding selects from it. */
  tasks: readonly SweepTask<P>[];
  /** Compiled ESM worker module (.js/.mjs path or file URL) exporting the task function. */
  workerModule: string | URL;
  /** Name of the exported task function `(task: SweepTask<P>) => Promise<JSON object>`; default `default`. */
  workerExport?: string;
  outDir: string;
  /** Worker threads; default os.availableParallelism(). */
  workers?: number;
  /** Continue the sweep already in outDir: skip tasks whose result exists, retry failed and unfinished ones. */
  resume?: boolean;
  shard?: ShardSpec;
  onProgress?: (progress: SweepProgress) => void;
  /** Aborting stops the sweep: no new tasks, in-flight ones abandoned, finished results kept. */
  signal?: AbortSignal;
  /** A task running longer than this is recorded as a `timeout` failure and its worker terminated. */
  taskTimeoutMs?: number;
  /** Heap limit per worker thread (MB); a task exceeding it is recorded as `out-of-memory`. */
  workerHeapMb?: number;
  /** Notices for the user (results found on disk that do not match their recorded hash). */
  log?: (line: string) => void;
  /**
   * A fresh (not resumed) run may start in an outDir holding other files
   * (`avsim check --out`, whose directory may hold other checks' folders); the
   * caller has removed the sweep's own files (runs/, failures/, the index and
   * journal) first. Default false: a fresh sweep needs an empty outDir.
   */
  allowOtherEntries?: boolean;
}

export interface SweepFailure {
  id: string;
  kind: FailureKind;
  message: string;
  repro: string;
  /** Path of the failure file. */
  file: string;
}

export interface SweepResult {
  /** `interrupted` when the signal aborted the sweep before every task finished. */
  outcome: 'completed' | 'interrupted';
  outDir: string;
  indexPath: string;
  total: number;
  done: number;
  failed: number;
  pending: number;
  skipped: number;
  failures: SweepFailure[];
}

type TaskState = { status: 'done'; sha256: string } | { status: 'pending' } | { status: 'failed'; record: FailureRecord };

/**
 * Runs the tasks of a sweep (or of one shard of it) on a Piscina pool. Each
 * finished task's result is written atomically to outDir/runs/<id>.json; a task
 * that throws or kills its worker gets outDir/failures/<id>.json with its error
 * and repro command, and the others go on. outDir/sweep.json indexes every task
 * in sweep order; it is written when the sweep starts and when it ends.
 */
export async function runSweep<P extends JsonValue>(options: RunSweepOptions<P>): Promise<SweepResult> {
  const tasks = options.tasks;
  validateTasks(tasks);
  const shard = options.shard === undefined ? null : validateShard(options.shard);
  const workers = options.workers ?? Math.max(1, availableParallelism());
  if (!Number.isSafeInteger(workers) || workers < 1 || workers > MAX_WORKERS) {
    throw new Error(`workers: must be an integer in 1..${MAX_WORKERS} (got ${workers})`);
  }
  if (options.taskTimeoutMs !== undefined && !(Number.isFinite(options.taskTimeoutMs) && options.taskTimeoutMs > 0)) {
    throw new Error(`taskTimeoutMs: must be a positive number of milliseconds (got ${options.taskTimeoutMs})`);
  }
  if (options.workerHeapMb !== undefined && !(Number.isSafeInteger(options.workerHeapMb) && options.workerHeapMb >= 16)) {
    throw new Error(`workerHeapMb: must be an integer >= 16 (got ${options.workerHeapMb})`);
  }
  const workerExport = options.workerExport ?? 'default';
  const workerUrl = await checkWorkerModule(options.workerModule, workerExport);

  const outDir = resolve(options.outDir);
  const hash = tasksHash(tasks);
  const previous = await prepareOutDir(outDir, options.resume === true, hash, shard, options.allowOtherEntries === true);

  const selected = shard === null ? [...tasks] : selectShard(tasks, shard);
  const existing = new Set(await readdir(join(outDir, RUNS_DIR)));
  const hashes = await recordedHashes(outDir, previous);
  const states = new Map<number, TaskState>();
  let unrecorded = 0;
  for (const task of selected) {
    if (existing.has(`${task.id}.json`)) {
      // A result counts only if its bytes are the ones the sweep wrote; anything else runs again.
      const check = checkResult(outDir, task.id, hashes);
      if (check.kind === 'ok') {
        states.set(task.index, { status: 'done', sha256: check.sha256 });
        // A crash between writing a result and removing an older failure file leaves both; the result wins.
        await rm(join(outDir, failurePath(task.id)), { force: true });
        continue;
      }
      if (check.kind === 'unrecorded') unrecorded += 1;
      else options.log?.(`sweep: ${check.file} does not match the SHA-256 recorded for it in ${INDEX_FILE} (truncated or edited since the sweep wrote it); running it again`);
      await rm(join(outDir, resultPath(task.id)), { force: true });
    }
    states.set(task.index, { status: 'pending' });
  }
  if (unrecorded > 0) {
    options.log?.(`sweep: ${unrecorded} result(s) in ${join(outDir, RUNS_DIR)} have no recorded hash (written as the sweep was killed, or by an older avsim); running them again`);
  }
  const todo = selected.filter((t) => states.get(t.index)?.status === 'pending');
  const skipped = selected.length - todo.length;

  const snapshot = (): SweepIndex =>
    buildIndex(
      hash,
      tasks.length,
      shard,
      selected.map((task) => {
        const state = states.get(task.index) ?? { status: 'pending' };
        return indexEntry(task, state.status, state.status === 'failed' ? failureSummary(state.record) : null, state.status === 'done' ? state.sha256 : null);
      }),
    );
  const counts = () => {
    let done = 0;
    let failed = 0;
    for (const s of states.values()) {
      if (s.status === 'done') done += 1;
      else if (s.status === 'failed') failed += 1;
    }
    return { done, failed };
  };
  let inFlight = 0;
  const emit = (phase: SweepProgress['phase'], last: SweepProgress['last']) =>
    options.onProgress?.({ phase, total: selected.length, ...counts(), skipped, inFlight, last });

  await writeIndex(outDir, snapshot());
  emit('start', null);

  const stop = new AbortController();
  const onAbort = () => stop.abort();
  if (options.signal?.aborted) stop.abort();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  let fatal: { error: unknown } | null = null;

  const recordFailure = async (task: SweepTask<P>, kind: FailureKind, error: FailureRecord['error']) => {
    const record = failureRecord(task, kind, error);
    await writeFileAtomic(join(outDir, failurePath(task.id)), serialiseJson(record));
    states.set(task.index, { status: 'failed', record });
    emit('task', { id: task.id, status: 'failed', error: failureSummary(record) });
  };

  const runOne = async (pool: Piscina, task: SweepTask<P>): Promise<void> => {
    const timeout = options.taskTimeoutMs === undefined ? null : AbortSignal.timeout(options.taskTimeoutMs);
    const signal = timeout === null ? stop.signal : AbortSignal.any([stop.signal, timeout]);
    let value: unknown;
    try {
      value = await pool.run(task, { signal });
    } catch (err) {
      const aborted = (err as { name?: unknown } | null)?.name === 'AbortError';
      if (aborted && timeout?.aborted === true) {
        const message = `task ran longer than taskTimeoutMs=${options.taskTimeoutMs}; its worker was terminated`;
        await recordFailure(task, 'timeout', { name: 'TimeoutError', message, stack: null });
      } else if (aborted && stop.signal.aborted) {
        // Abandoned by Ctrl-C: no result, no failure; it stays pending for --resume.
      } else {
        const { kind, error } = classifyError(err);
        await recordFailure(task, kind, error);
      }
      return;
    }
    let text: string | undefined;
    try {
      text = value !== null && typeof value === 'object' ? serialiseJson(value) : undefined;
    } catch {
      text = undefined; // e.g. a BigInt inside the result
    }
    if (text === undefined) {
      const message = `task function must return a JSON object or array (got ${value === null ? 'null' : typeof value})`;
      await recordFailure(task, 'bad-result', { name: 'TypeError', message, stack: null });
      return;
    }
    const sha256 = contentHash(text);
    // The hash is journalled before the result takes its name: a kill at any point leaves no result without its hash.
    await writeFileAtomic(join(outDir, resultPath(task.id)), text, () => journalResult(outDir, task.id, sha256));
    await rm(join(outDir, failurePath(task.id)), { force: true });
    states.set(task.index, { status: 'done', sha256 });
    emit('task', { id: task.id, status: 'done', error: null });
  };

  if (todo.length > 0 && !stop.signal.aborted) {
    const pool = new Piscina({
      filename: workerUrl,
      name: workerExport,
      minThreads: Math.min(workers, todo.length),
      maxThreads: Math.min(workers, todo.length),
      ...(options.workerHeapMb === undefined ? {} : { resourceLimits: { maxOldGenerationSizeMb: options.workerHeapMb } }),
    });
    // Piscina emits 'error' for a worker that dies with no task attached. Seen when a
    // worker being terminated for its timeout hits its heap limit first (a race, so
    // not in the tests): the task is already settled and the pool replaces the
    // worker, but without a listener the event is an uncaught exception that would
    // kill the whole sweep.
    pool.on('error', () => {});
    try {
      // At most `workers` tasks in flight, dispatched in sweep order: a stop leaves
      // a short, predictable tail of pending tasks and nothing queued.
      await new Promise<void>((done) => {
        let next = 0;
        const pump = () => {
          while (!stop.signal.aborted && inFlight < workers && next < todo.length) {
            const task = todo[next++] as SweepTask<P>;
            inFlight += 1;
            runOne(pool, task)
              .catch((error: unknown) => {
                // A result that cannot be written (disk full, permissions) ends the sweep.
                fatal ??= { error };
                stop.abort();
              })
              .finally(() => {
                inFlight -= 1;
                pump();
              });
          }
          if (inFlight === 0 && (stop.signal.aborted || next >= todo.length)) done();
        };
        stop.signal.addEventListener('abort', pump, { once: true });
        pump();
      });
    } finally {
      options.signal?.removeEventListener('abort', onAbort);
      await pool.destroy();
    }
  }
  options.signal?.removeEventListener('abort', onAbort);

  const index = snapshot();
  await writeIndex(outDir, index);
  // Every hash the journal held is in the index now.
  await removeJournal(outDir);
  emit('end', null);
  if (fatal !== null) throw (fatal as { error: unknown }).error;

  const failures: SweepFailure[] = [];
  for (const task of selected) {
    const state = states.get(task.index);
    if (state?.status !== 'failed') continue;
    failures.push({
      id: task.id,
      kind: state.record.kind,
      message: state.record.error.message,
      repro: task.repro,
      file: join(outDir, failurePath(task.id)),
    });
  }
  return {
    outcome: index.counts.pending > 0 ? 'interrupted' : 'completed',
    outDir,
    indexPath: join(outDir, INDEX_FILE),
    total: selected.length,
    done: index.counts.done,
    failed: index.counts.failed,
    pending: index.counts.pending,
    skipped,
    failures,
  };
}

/** Resolves the worker module to a file URL and checks it exports the task function, before any worker starts. */
async function checkWorkerModule(module: string | URL, exportName: string): Promise<string> {
  const url = module instanceof URL ? module : pathToFileURL(isAbsolute(module) ? module : resolve(module));
  if (url.protocol === 'file:' && !existsSync(url)) {
    throw new Error(`workerModule: ${url.pathname} does not exist (it must be compiled JavaScript: run \`npx tsc -p .\` first)`);
  }
  const loaded = (await import(url.href)) as Record<string, unknown>;
  if (typeof loaded[exportName] !== 'function') {
    throw new Error(`workerExport: ${url.pathname} has no exported function "${exportName}"`);
  }
  return url.href;
}

/** A fresh sweep needs an empty (or missing) outDir; a resume needs the same sweep and shard in it. */
async function prepareOutDir(outDir: string, resume: boolean, hash: string, shard: ShardSpec | null, allowOtherEntries: boolean): Promise<SweepIndex | null> {
  const entries = existsSync(outDir) ? (await readdir(outDir)).filter((n) => !isTempFile(n)) : [];
  let previous: SweepIndex | null = null;
  if (!resume && entries.length > 0 && !allowOtherEntries) {
    throw new Error(`outDir: ${outDir} is not empty; pass --resume to continue the sweep in it, or choose another --out`);
  }
  if (resume && entries.length > 0) {
    const index = await readIndex(outDir);
    if (index === null) throw new Error(`--resume: ${outDir} holds files but no ${INDEX_FILE}; it is not a sweep directory`);
    previous = index;
    if (index.tasksHash !== hash) {
      throw new Error(
        `--resume: ${outDir} holds a different sweep (tasks hash ${index.tasksHash.slice(0, 12)} != ${hash.slice(0, 12)}): the scenario, points or seeds changed; use another --out`,
      );
    }
    const want = shard === null ? 'the whole sweep' : `shard ${shard.index}/${shard.count}`;
    const have = index.shard === null ? 'the whole sweep' : `shard ${index.shard.index}/${index.shard.count}`;
    if (want !== have) throw new Error(`--resume: ${outDir} holds ${have}, not ${want}`);
  }
  makeDir(join(outDir, RUNS_DIR), 'outDir');
  makeDir(join(outDir, FAILURES_DIR), 'outDir');
  for (const dir of [outDir, join(outDir, RUNS_DIR), join(outDir, FAILURES_DIR)]) await removeStaleTempFiles(dir);
  return previous;
}
