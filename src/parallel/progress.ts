import { SingleBar } from 'cli-progress';
import type { SweepProgress } from './sweep-runner.js';

/**
 * A progress bar for runSweep's onProgress: tasks finished / total, done,
 * failed, ETA. On stderr by default; when stderr is not a terminal (CI, pod
 * logs) it prints a plain line every few seconds instead of redrawing.
 */
export function createProgressBar(stream: NodeJS.WriteStream = process.stderr): (progress: SweepProgress) => void {
  const bar = new SingleBar({
    stream,
    format: 'sweep [{bar}] {value}/{total} | done {done} | failed {failed} | running {inFlight} | ETA {eta_formatted}',
    barsize: 30,
    hideCursor: true,
    noTTYOutput: true,
    notTTYSchedule: 5000,
    etaBuffer: 50,
  });
  return (p) => {
    const payload = { done: p.done, failed: p.failed, inFlight: p.inFlight };
    if (p.phase === 'start') bar.start(p.total, p.done + p.failed, payload);
    else bar.update(p.done + p.failed, payload);
    if (p.phase === 'end') bar.stop();
  };
}
