/** The run progress bar: simulated time, wall time, events/s and ETA, on stderr. */
import { SingleBar } from 'cli-progress';
import type { RunProgress } from '../runner/run-scenario.js';
import { toSeconds } from '../sim/time.js';

function clock(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const pad = (n: number): string => String(n).padStart(2, '0');
  return h > 0 ? `${h}:${pad(m)}:${pad(s % 60)}` : `${m}:${pad(s % 60)}`;
}

/** Shown when stderr is a terminal, or when forced (`--progress`, AVSIM_PROGRESS=1). */
export function progressWanted(forced: boolean | undefined): boolean {
  if (forced === false) return false;
  return forced === true || process.env.AVSIM_PROGRESS === '1' || process.stderr.isTTY === true;
}

export function createRunProgress(label: string, stream: NodeJS.WriteStream = process.stderr): { update: (p: RunProgress) => void; stop: () => void } {
  const bar = new SingleBar({
    stream,
    format: `${label} [{bar}] {percentage}% | sim {sim} | wall {wall} | {eps} ev/s | ETA {etaText}`,
    barsize: 24,
    hideCursor: true,
    noTTYOutput: true,
    notTTYSchedule: 5000,
  });
  let started = false;
  // The simulation loop is synchronous, so cli-progress's redraw timer never
  // fires while it runs: redraw from here, at most every 0.2 s on a terminal
  // and every 5 s into a log.
  const redrawEverySeconds = stream.isTTY === true ? 0.2 : 5;
  let lastRedraw = 0;
  return {
    update(p) {
      const total = Math.max(1, p.endMicros);
      const done = Math.min(total, p.simMicros);
      const rate = p.simMicros > 0 ? p.wallSeconds / p.simMicros : 0;
      const payload = {
        sim: clock(toSeconds(p.simMicros)),
        wall: clock(p.wallSeconds),
        eps: p.wallSeconds > 0 ? Math.round(p.events / p.wallSeconds).toLocaleString('en-US') : '–',
        etaText: rate > 0 ? clock((total - done) * rate) : '–',
      };
      if (!started) {
        bar.start(total, done, payload);
        started = true;
      } else bar.update(done, payload);
      if (p.wallSeconds - lastRedraw >= redrawEverySeconds) {
        lastRedraw = p.wallSeconds;
        bar.render();
      }
    },
    stop() {
      if (started) bar.stop();
    },
  };
}
