import { SingleBar } from 'cli-progress';
import { TaskProgressLines } from './progress-lines.js';
import type { SweepProgress } from './sweep-runner.js';

/**
 * Progress for runSweep's onProgress, on stderr by default: on a terminal a
 * redrawn bar (tasks finished / total, done, failed, ETA); into a log (CI,
 * pod logs) one line per finished task or per minute, whichever is less
 * (progress-lines.ts), never the same line again and again.
 */
export function createProgressBar(stream: NodeJS.WriteStream = process.stderr): (progress: SweepProgress) => void {
  if (stream.isTTY !== true) {
    const lines = new TaskProgressLines('sweep', (line) => stream.write(`${line}\n`));
    return (p) => {
      // Results found on disk (--resume) are not this run's work: leave them out of the rate.
      if (p.phase === 'task') lines.taskFinished(p.done + p.failed - p.skipped, p.total - p.skipped, p.failed, Math.max(0, p.inFlight - 1));
    };
  }
  const bar = new SingleBar({
    stream,
    format: 'sweep [{bar}] {value}/{total} | done {done} | failed {failed} | running {inFlight} | ETA {eta_formatted}',
    barsize: 30,
    hideCursor: true,
    etaBuffer: 50,
  });
  return (p) => {
    const payload = { done: p.done, failed: p.failed, inFlight: p.inFlight };
    if (p.phase === 'start') bar.start(p.total, p.done + p.failed, payload);
    else bar.update(p.done + p.failed, payload);
    if (p.phase === 'end') bar.stop();
  };
}
