/**
 * Progress into a log (stderr is not a terminal: CI, pod logs, a pipe): no
 * redrawn bar, but one line per finished task or per minute, whichever is
 * less: a line is written when a task finishes and the last line is at least
 * a minute old. AVSIM_PROGRESS_INTERVAL (seconds) changes the minute; 0 gives
 * a line per finished task.
 */
import { performance } from 'node:perf_hooks';

export const DEFAULT_INTERVAL_SECONDS = 60;

/** The interval from AVSIM_PROGRESS_INTERVAL, or the default; a bad value is ignored (progress is not worth an error). */
export function progressIntervalSeconds(env: NodeJS.ProcessEnv = process.env): number {
  const text = env.AVSIM_PROGRESS_INTERVAL;
  if (text === undefined || !/^[0-9]+(\.[0-9]+)?$/.test(text)) return DEFAULT_INTERVAL_SECONDS;
  return Number(text);
}

const pad = (n: number): string => String(n).padStart(2, '0');

/** `1h02m`, `3m05s`, `12s`. */
export function shortDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  const s = Math.max(0, Math.round(seconds));
  const d = Math.floor(s / 86_400);
  const h = Math.floor((s % 86_400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (d > 0) return `${d}d${pad(h)}h`;
  if (h > 0) return `${h}h${pad(m)}m`;
  if (m > 0) return `${m}m${pad(s % 60)}s`;
  return `${s % 60}s`;
}

/** Finished-task progress with an ETA from the rate so far. */
export class TaskProgressLines {
  private readonly started: number;
  private lastLine: number;

  constructor(
    private readonly label: string,
    private readonly write: (line: string) => void,
    private readonly intervalSeconds: number = progressIntervalSeconds(),
    private readonly now: () => number = () => performance.now(),
  ) {
    this.started = this.now();
    this.lastLine = this.started;
  }

  /** A task finished: `finished` of `total` (done + failed), `failed` of them failed, `running` in flight. */
  taskFinished(finished: number, total: number, failed: number, running: number, extra = ''): void {
    const t = this.now();
    if ((t - this.lastLine) / 1000 < this.intervalSeconds || finished >= total) return;
    this.lastLine = t;
    const elapsed = (t - this.started) / 1000;
    const eta = finished > 0 ? shortDuration((elapsed / finished) * (total - finished)) : '?';
    this.write(`${this.label}: ${finished}/${total} finished${failed > 0 ? ` (${failed} failed)` : ''}, ${running} running, ${shortDuration(elapsed)} elapsed, ETA ${eta}${extra}`);
  }
}
