/**
 * The heap a run retains, measured after a forced full garbage collection on
 * both sides (before the run is built, and after it ran while the engine and
 * its nodes are still referenced), so RunSummary.memoryBytesPerNode is the
 * memory the run's state holds, not whatever garbage happened to be around
 * (a plain heap delta read 0 B for one run and 577 kB for the next).
 *
 * The first run in a process also holds what was compiled for it (code,
 * inline caches): about 50 kB per node against 31 kB for the next runs of a
 * 60-node scenario.
 *
 * Node exposes gc() only with --expose-gc; turning the flag on at run time
 * and taking gc from a fresh context is V8's documented way around that. It
 * works in worker threads too (each has its own heap; process.memoryUsage()
 * there reads that thread's heap).
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

let collect: (() => void) | undefined;

function gc(): () => void {
  if (collect !== undefined) return collect;
  const exposed = (globalThis as { gc?: () => void }).gc;
  if (typeof exposed === 'function') collect = exposed;
  else {
    setFlagsFromString('--expose-gc');
    collect = runInNewContext('gc') as () => void;
  }
  return collect;
}

/** Used heap bytes right after a full garbage collection. */
export function heapUsedAfterGc(): number {
  gc()();
  return process.memoryUsage().heapUsed;
}
