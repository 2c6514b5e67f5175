import { join } from 'node:path';
import { createProgressBar } from './progress.js';
import { INDEX_FILE } from './sweep-index.js';
import { sweepExitCode, trapInterrupts } from './interrupt.js';
import { runSweep, type RunSweepOptions, type SweepResult } from './sweep-runner.js';
import type { JsonValue } from './task.js';

/** Failures printed at the end of a sweep; the rest are in failures/ and sweep.json. */
const MAX_FAILURES_PRINTED = 10;

/**
 * What `avsim sweep` does around runSweep: a progress bar on stderr, Ctrl-C /
 * SIGTERM handling, a closing summary with each failure's repro command, and the
 * process exit code (0 ok, 1 some tasks failed, 130 SIGINT, 143 SIGTERM). The
 * caller sets `process.exitCode = exitCode` and lets the process end.
 */
export async function runSweepCommand<P extends JsonValue>(
  options: Omit<RunSweepOptions<P>, 'signal' | 'onProgress'> & {
    progress?: boolean;
    /** Where a finished sweep ends up when outDir is a temporary directory renamed into place afterwards (--replace): the paths printed. */
    finalDir?: string;
  },
  log: (line: string) => void = (line) => process.stderr.write(`${line}\n`),
): Promise<{ result: SweepResult; exitCode: number }> {
  const trap = trapInterrupts(log);
  const { progress, finalDir, ...rest } = options;
  let result: SweepResult;
  try {
    result = await runSweep({
      ...rest,
      log,
      signal: trap.signal,
      ...(progress === false ? {} : { onProgress: createProgressBar() }),
    });
  } finally {
    trap.dispose();
  }
  const exitCode = sweepExitCode(result, trap.received());
  const skipped = result.skipped > 0 ? `, ${result.skipped} already done` : '';
  // A finished --replace sweep is renamed to finalDir in a moment: print where it will be, not the temporary directory.
  const shownDir = finalDir !== undefined && result.outcome === 'completed' ? finalDir : result.outDir;
  log(`sweep: ${result.done}/${result.total} done, ${result.failed} failed, ${result.pending} pending${skipped} -> ${join(shownDir, INDEX_FILE)}`);
  for (const f of result.failures.slice(0, MAX_FAILURES_PRINTED)) {
    log(`  FAILED ${f.id} (${f.kind}): ${f.message.split('\n', 1)[0] ?? ''}\n    repro: ${f.repro}`);
  }
  if (result.failures.length > MAX_FAILURES_PRINTED) {
    log(`  ... and ${result.failures.length - MAX_FAILURES_PRINTED} more failures in ${join(shownDir, 'failures')}/`);
  }
  // With finalDir the caller says how to continue (the partial sweep is in the temporary directory).
  if (result.outcome === 'interrupted' && finalDir === undefined) log(`sweep: stopped early; continue with the same command plus --resume`);
  return { result, exitCode };
}
