import type { SweepResult } from './sweep-runner.js';

export type StopSignal = 'SIGINT' | 'SIGTERM';

export interface InterruptTrap {
  /** Aborted on the first SIGINT (Ctrl-C) or SIGTERM (e.g. a pod being deleted). */
  signal: AbortSignal;
  /** Which signal stopped us, if any. */
  received(): StopSignal | null;
  /** Removes the handlers; call when the sweep has returned. */
  dispose(): void;
}

const EXIT_CODE: Record<StopSignal, number> = { SIGINT: 130, SIGTERM: 143 };

/**
 * How long a stop may take after the first signal before the process exits
 * anyway: stopping abandons in-flight tasks and writes the index, which takes
 * well under a second, so a sweep still alive after this is stuck (e.g. in a
 * file-system call that never returns) and the signal must still be honoured.
 */
export const STOP_GRACE_MS = 10_000;

/**
 * Turns the first SIGINT/SIGTERM into an abort (stop dispatching, abandon
 * in-flight tasks, keep finished results, write the index); a second one exits
 * at once with 128 + the signal number.
 */
export function trapInterrupts(log: (line: string) => void = (line) => process.stderr.write(`${line}\n`), graceMs = STOP_GRACE_MS): InterruptTrap {
  const controller = new AbortController();
  let received: StopSignal | null = null;
  const handler = (sig: StopSignal) => {
    if (received !== null) process.exit(EXIT_CODE[sig]);
    received = sig;
    log(`\navsim: ${sig}: stopping; finished results are kept, running tasks are abandoned (${sig === 'SIGINT' ? 'Ctrl-C' : 'signal'} again to quit at once)`);
    controller.abort();
    const grace = setTimeout(() => {
      log(`avsim: ${sig}: still not stopped after ${graceMs / 1000} s; exiting now (finished results are kept)`);
      process.exit(EXIT_CODE[sig]);
    }, graceMs);
    grace.unref();
  };
  const onInt = () => handler('SIGINT');
  const onTerm = () => handler('SIGTERM');
  process.on('SIGINT', onInt);
  process.on('SIGTERM', onTerm);
  return {
    signal: controller.signal,
    received: () => received,
    dispose: () => {
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
    },
  };
}

/** 0 when every task has a result, 1 when some failed, 130/143 when SIGINT/SIGTERM stopped the sweep early. */
export function sweepExitCode(result: SweepResult, received: StopSignal | null): number {
  if (result.outcome === 'interrupted') return EXIT_CODE[received ?? 'SIGINT'];
  return result.failed > 0 ? 1 : 0;
}
