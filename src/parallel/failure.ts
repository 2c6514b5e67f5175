import type { PointValues, SweepTask } from './task.js';

/** Why a task has no result. */
export type FailureKind =
  /** The task function threw or rejected (or its worker hit an uncaught error). */
  | 'threw'
  /** The worker thread died under the task (process.exit, fatal error). */
  | 'worker-exited'
  /** The worker ran past its heap limit (workerHeapMb). */
  | 'out-of-memory'
  /** The task ran past taskTimeoutMs; its worker was terminated. */
  | 'timeout'
  /** The task returned something that is not a JSON object or array. */
  | 'bad-result';

/** failures/<id>.json */
export interface FailureRecord {
  format: 'avsim-sweep-failure/1';
  index: number;
  id: string;
  seed: number;
  point: PointValues;
  kind: FailureKind;
  error: { name: string; message: string; stack: string | null };
  repro: string;
}

/** Sorts a pool rejection into a failure kind. Piscina reports a dead worker as `worker exited with code: N`. */
export function classifyError(err: unknown): { kind: FailureKind; error: FailureRecord['error'] } {
  const e = err instanceof Error ? err : null;
  const message = e ? e.message : String(err);
  const error = { name: e?.name ?? 'Error', message, stack: e?.stack ?? null };
  const code = (err as { code?: unknown } | null)?.code;
  if (code === 'ERR_WORKER_OUT_OF_MEMORY') return { kind: 'out-of-memory', error };
  if (/^worker exited with code/i.test(message)) return { kind: 'worker-exited', error };
  return { kind: 'threw', error };
}

export function failureRecord(task: SweepTask, kind: FailureKind, error: FailureRecord['error']): FailureRecord {
  return { format: 'avsim-sweep-failure/1', index: task.index, id: task.id, seed: task.seed, point: task.point, kind, error, repro: task.repro };
}

/** One line for the index and the console: kind, first line of the message, and the repro command. */
export function failureSummary(record: FailureRecord): string {
  const firstLine = record.error.message.split('\n', 1)[0] ?? '';
  return `${record.kind}: ${firstLine}`;
}
