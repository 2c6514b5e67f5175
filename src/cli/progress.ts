/**
 * Run progress on stderr. On a terminal: a bar with simulated time, wall
 * time, the estimated total wall time, events/s and ETA. Into a log: one line
 * with the wall-time estimate once the first seconds have set the pace (only
 * for runs that need more than a minute), then, when asked for with
 * --progress or AVSIM_PROGRESS=1, a line per minute.
 */
import { SingleBar } from 'cli-progress';
import type { RunProgress } from '../runner/run-scenario.js';
import { toSeconds } from '../sim/time.js';
import { progressIntervalSeconds, shortDuration } from '../parallel/progress-lines.js';

const pad = (n: number): string => String(n).padStart(2, '0');

function clock(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return h > 0 ? `${h}:${pad(m)}:${pad(s % 60)}` : `${m}:${pad(s % 60)}`;
}

/** Wall seconds the pace is measured over before an estimate is given. */
export const ESTIMATE_AFTER_SECONDS = 5;
/** Runs estimated to need less wall time than this get no estimate line in a log. */
const ESTIMATE_WORTH_SECONDS = 60;

/** The total wall time a run needs at the pace so far, or null before the pace is known. */
export function wallEstimateSeconds(p: RunProgress): number | null {
  if (p.simMicros <= 0 || p.wallSeconds <= 0) return null;
  return (p.wallSeconds / p.simMicros) * Math.max(1, p.endMicros);
}

/** Per-minute lines into a log as well (`--progress`, AVSIM_PROGRESS=1); `--no-progress` silences everything. */
export function progressWanted(forced: boolean | undefined): boolean {
  if (forced === false) return false;
  return forced === true || process.env.AVSIM_PROGRESS === '1';
}

export interface RunProgressOptions {
  stream?: NodeJS.WriteStream;
  /** Into a log: also a line per minute (--progress, AVSIM_PROGRESS=1). */
  lines?: boolean;
  /** The --max-wall limit in seconds, named in the estimate when the run would hit it. */
  maxWallSeconds?: number;
}

export function estimateLine(label: string, p: RunProgress, maxWallSeconds?: number): string | null {
  const total = wallEstimateSeconds(p);
  if (total === null) return null;
  const pace = toSeconds(p.simMicros) / p.wallSeconds;
  const limit =
    maxWallSeconds === undefined
      ? ' (--max-wall limits it)'
      : total > maxWallSeconds
        ? ` (more than --max-wall ${shortDuration(maxWallSeconds)}: it will stop at that limit)`
        : '';
  return `${label}: ${pace >= 1 ? `${pace.toFixed(1)}x` : `1/${(1 / pace).toFixed(1)} of`} real time so far: the run needs about ${shortDuration(total)} of wall time, ${shortDuration(total - p.wallSeconds)} more${limit}`;
}

export function createRunProgress(label: string, opts: RunProgressOptions = {}): { update: (p: RunProgress) => void; stop: () => void } {
  const stream = opts.stream ?? process.stderr;
  const write = (line: string): void => void stream.write(`${line}\n`);
  if (stream.isTTY !== true) {
    let estimated = false;
    let lastLine = 0;
    const every = progressIntervalSeconds();
    return {
      update(p) {
        if (!estimated && p.wallSeconds >= ESTIMATE_AFTER_SECONDS) {
          estimated = true;
          lastLine = p.wallSeconds;
          const total = wallEstimateSeconds(p);
          const line = estimateLine(label, p, opts.maxWallSeconds);
          if (line !== null && total !== null && total >= ESTIMATE_WORTH_SECONDS) write(line);
        } else if (opts.lines === true && p.wallSeconds - lastLine >= every) {
          lastLine = p.wallSeconds;
          const total = wallEstimateSeconds(p);
          write(`${label}: sim ${clock(toSeconds(p.simMicros))} of ${clock(toSeconds(p.endMicros))}, wall ${shortDuration(p.wallSeconds)}${total === null ? '' : ` of ~${shortDuration(total)}`}`);
        }
      },
      stop() {},
    };
  }
  const bar = new SingleBar({
    stream,
    format: `${label} [{bar}] {percentage}% | sim {sim} | wall {wall} of ~{wallTotal} | {eps} ev/s | ETA {etaText}`,
    barsize: 24,
    hideCursor: true,
  });
  let started = false;
  // The simulation loop is synchronous, so cli-progress's redraw timer never
  // fires while it runs: redraw from here, at most every 0.2 s.
  let lastRedraw = 0;
  return {
    update(p) {
      const total = Math.max(1, p.endMicros);
      const done = Math.min(total, p.simMicros);
      const wallTotal = wallEstimateSeconds(p);
      const payload = {
        sim: clock(toSeconds(p.simMicros)),
        wall: clock(p.wallSeconds),
        wallTotal: wallTotal === null ? '–' : shortDuration(wallTotal),
        eps: p.wallSeconds > 0 ? Math.round(p.events / p.wallSeconds).toLocaleString('en-US') : '–',
        etaText: wallTotal === null ? '–' : clock(wallTotal - p.wallSeconds),
      };
      if (!started) {
        bar.start(total, done, payload);
        started = true;
      } else bar.update(done, payload);
      if (p.wallSeconds - lastRedraw >= 0.2) {
        lastRedraw = p.wallSeconds;
        bar.render();
      }
    },
    stop() {
      if (started) bar.stop();
    },
  };
}
