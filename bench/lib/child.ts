/**
 * Runs one job (jobs.ts) in its own child process against one code tree and
 * collects what it printed. Guards: a wall-clock limit and an RSS limit (read
 * from /proc every half second, so a run that would swap the shared machine
 * to death is stopped first); either kills the child and returns the figures
 * of its last progress report. Children are killed when the bench is
 * interrupted (cleanup.ts).
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { registerCleanup } from './cleanup.js';
import { thisCheckout } from './git-ref.js';
import type { Figures, Job, Progress } from './jobs.js';

export interface ChildLimits {
  maxWallSeconds: number;
  maxRssBytes: number;
  /** V8 old-space limit of the child, MiB. */
  maxOldSpaceMiB: number;
}

export const DEFAULT_LIMITS: ChildLimits = { maxWallSeconds: 1800, maxRssBytes: 12 * 2 ** 30, maxOldSpaceMiB: 12 * 1024 };

export type ChildOutcome =
  | { status: 'ok'; figures: Figures; progress: Progress[] }
  | { status: 'timeout' | 'rss-limit' | 'crashed'; note: string; last: Progress | undefined; progress: Progress[] };

/** The compiled driver of this checkout (also when this module runs from source, in tests). */
const DRIVER = join(thisCheckout(), 'dist', 'bench', 'lib', 'driver.js');

/** Resident set of a live process, bytes (Linux /proc); undefined when unreadable. */
function rssOf(pid: number): number | undefined {
  try {
    const m = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m === null ? undefined : Number(m[1]) * 1024;
  } catch {
    return undefined;
  }
}

export function runChild(root: string, job: Job, limits: ChildLimits = DEFAULT_LIMITS): Promise<ChildOutcome> {
  return new Promise((resolve) => {
    const proc = spawn(process.execPath, [`--max-old-space-size=${limits.maxOldSpaceMiB}`, DRIVER, '--root', root, '--job', JSON.stringify(job)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const guard = registerCleanup(() => proc.kill('SIGKILL'));
    const progress: Progress[] = [];
    let figures: Figures | undefined;
    let error: string | undefined;
    let killedFor: 'timeout' | 'rss-limit' | undefined;
    let killNote = '';
    let out = '';
    let err = '';
    proc.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      for (let i = out.indexOf('\n'); i >= 0; i = out.indexOf('\n')) {
        const line = out.slice(0, i);
        out = out.slice(i + 1);
        if (line.startsWith('progress ')) progress.push(JSON.parse(line.slice(9)) as Progress);
        else if (line.startsWith('result ')) figures = JSON.parse(line.slice(7)) as Figures;
        else if (line.startsWith('error ')) error = JSON.parse(line.slice(6)) as string;
      }
    });
    proc.stderr.on('data', (d: Buffer) => {
      err = (err + d.toString()).slice(-4000);
    });
    const kill = (why: 'timeout' | 'rss-limit', note: string): void => {
      if (killedFor !== undefined) return;
      killedFor = why;
      killNote = note;
      proc.kill('SIGKILL');
    };
    const timer = setTimeout(() => kill('timeout', `killed after ${limits.maxWallSeconds} s of wall time`), limits.maxWallSeconds * 1000);
    const watch = setInterval(() => {
      const rss = proc.pid === undefined ? undefined : rssOf(proc.pid);
      if (rss !== undefined && rss > limits.maxRssBytes) kill('rss-limit', `killed at ${(rss / 2 ** 30).toFixed(2)} GiB RSS (limit ${(limits.maxRssBytes / 2 ** 30).toFixed(2)} GiB)`);
    }, 500);
    proc.on('exit', (code, signal) => {
      clearTimeout(timer);
      clearInterval(watch);
      guard.forget();
      const last = progress.at(-1);
      if (killedFor !== undefined) return resolve({ status: killedFor, note: killNote, last, progress });
      if (figures !== undefined && code === 0) return resolve({ status: 'ok', figures, progress });
      const why = signal !== null ? `killed by ${signal}` : `exit ${code}`;
      const lastErr = error ?? err.trimEnd().split('\n').slice(-3).join(' | ');
      resolve({ status: 'crashed', note: `${why}${lastErr === '' ? '' : `: ${lastErr}`}`, last, progress });
    });
  });
}

/** Short text for a failed outcome (for tables). */
export function outcomeNote(o: ChildOutcome): string {
  if (o.status === 'ok') return o.figures.kind === 'scenario' ? o.figures.note : '';
  const at = o.last === undefined ? '' : ` (reached ${o.last.simSeconds.toFixed(2)} simulated s)`;
  return `${o.status}: ${o.note}${at}`;
}
