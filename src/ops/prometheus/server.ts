/**
 * A real Prometheus server for one run: Debian's `prometheus` binary on
 * 127.0.0.1, its config, target files, TSDB and log all inside the run's
 * output folder (`<out>/prometheus/`), started before the nodes and stopped
 * (SIGTERM, then SIGKILL after a grace period) when the run ends.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { writeFileAtomic } from '../../report/atomic.js';
import { prometheusConfigText } from './config.js';
import { PromQL } from './promql.js';

/** A Prometheus that could not be started, as one line (with the tail of its log). */
export class PrometheusError extends Error {
  override readonly name = 'PrometheusError';
}

export interface PrometheusLayout {
  readonly dir: string;
  readonly configFile: string;
  readonly targetsDir: string;
  readonly dataDir: string;
  readonly logFile: string;
}

export function prometheusLayout(outDir: string): PrometheusLayout {
  const dir = resolve(outDir, 'prometheus');
  return { dir, configFile: join(dir, 'prometheus.yml'), targetsDir: join(dir, 'targets'), dataDir: join(dir, 'data'), logFile: join(dir, 'prometheus.log') };
}

/** Writes `<out>/prometheus/prometheus.yml` and creates the targets directory; returns the layout. */
export function preparePrometheus(outDir: string, identity: { runId: string; scenario: string }, intervalSeconds = 1): PrometheusLayout {
  const layout = prometheusLayout(outDir);
  mkdirSync(layout.targetsDir, { recursive: true });
  mkdirSync(layout.dataDir, { recursive: true });
  writeFileAtomic(layout.configFile, prometheusConfigText({ targetsDir: layout.targetsDir, ...identity, intervalSeconds }));
  return layout;
}

export interface StartOptions {
  /** Binary to run (default: $AVSIM_PROMETHEUS or `prometheus` on the PATH). */
  binary?: string;
  /** Listen port on 127.0.0.1 (default: a free one). */
  port?: number;
  /** How long to wait for /-/ready, ms (default 30 s). */
  readyTimeoutMs?: number;
  /** Called with the pid as soon as the process exists (before it is ready), e.g. to hand it to a watchdog. */
  onSpawn?: (pid: number) => void;
}

export interface RunningPrometheus {
  readonly url: string;
  readonly port: number;
  readonly pid: number;
  readonly layout: PrometheusLayout;
  readonly promql: PromQL;
  /** SIGTERM, wait up to graceMs (default 10 s) for a clean TSDB close, then SIGKILL. */
  stop(graceMs?: number): Promise<void>;
}

/** A port free on 127.0.0.1 right now (the kernel picks it; Prometheus binds it a moment later). */
export async function freeLoopbackPort(): Promise<number> {
  return new Promise((resolveP, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      const port = typeof addr === 'object' && addr !== null ? addr.port : 0;
      s.close(() => resolveP(port));
    });
  });
}

/** A field of a logfmt line: key=value or key="quoted \\"value\\"". */
function logfmtField(line: string, key: string): string | undefined {
  const m = new RegExp(`(?:^|\\s)${key}=(?:"((?:[^"\\\\]|\\\\.)*)"|(\\S*))`).exec(line);
  if (m === null) return undefined;
  return m[1] === undefined ? m[2] : m[1].replace(/\\(.)/g, '$1');
}

function logTail(file: string, lines = 3): string {
  try {
    const text = readFileSync(file, 'utf8').trim().split('\n');
    // Prometheus logs logfmt; the msg= and err= fields are what a user needs.
    return text
      .slice(-lines)
      .map((l) => {
        const msg = logfmtField(l, 'msg');
        const err = logfmtField(l, 'err');
        return [msg, err].filter((x) => x !== undefined && x !== '').join(': ') || l;
      })
      .join(' | ');
  } catch {
    return '(no log)';
  }
}

function exited(child: ChildProcess): Promise<void> {
  return new Promise((res) => {
    if (child.exitCode !== null || child.signalCode !== null) res();
    else child.once('exit', () => res());
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function startPrometheus(layout: PrometheusLayout, options: StartOptions = {}): Promise<RunningPrometheus> {
  const binary = options.binary ?? process.env.AVSIM_PROMETHEUS ?? 'prometheus';
  const port = options.port ?? (await freeLoopbackPort());
  const log = openSync(layout.logFile, 'a');
  let child: ChildProcess;
  try {
    child = spawn(
      binary,
      [
        `--config.file=${layout.configFile}`,
        `--storage.tsdb.path=${layout.dataDir}`,
        `--web.listen-address=127.0.0.1:${port}`,
        // A run's data stays in its folder for as long as the folder is kept.
        '--storage.tsdb.retention.time=100y',
        '--log.level=info',
      ],
      // Its own process group: a watchdog can kill it (kill(-pid)) like a node, and a Ctrl-C meant for the
      // harness reaches it only through the harness's graceful stop.
      { stdio: ['ignore', log, log], detached: true },
    );
  } finally {
    closeSync(log);
  }
  if (child.pid !== undefined) options.onSpawn?.(child.pid);
  const spawnError = new Promise<Error>((res) => child.once('error', res));
  const url = `http://127.0.0.1:${port}`;
  const stop = async (graceMs = 10_000): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const done = await Promise.race([exited(child).then(() => true), sleep(graceMs).then(() => false)]);
    if (!done) {
      child.kill('SIGKILL');
      await exited(child);
    }
  };

  const deadline = Date.now() + (options.readyTimeoutMs ?? 30_000);
  // One exit listener for the whole wait (one per poll piled up 10+ listeners on a slow start).
  const exitedEarly = exited(child).then(() => null);
  for (;;) {
    const failed = await Promise.race([spawnError, exitedEarly, sleep(0).then(() => undefined)]);
    if (failed instanceof Error) {
      const code = (failed as NodeJS.ErrnoException).code;
      throw new PrometheusError(code === 'ENOENT' ? `prometheus: "${binary}" not found (install Debian's prometheus package, or set AVSIM_PROMETHEUS)` : `prometheus: cannot start "${binary}": ${failed.message}`);
    }
    if (failed === null) throw new PrometheusError(`prometheus: exited with code ${child.exitCode ?? child.signalCode} before it was ready: ${logTail(layout.logFile)}`);
    try {
      const res = await fetch(`${url}/-/ready`, { signal: AbortSignal.timeout(1_000) });
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop(2_000);
      throw new PrometheusError(`prometheus: not ready after ${(options.readyTimeoutMs ?? 30_000) / 1000} s: ${logTail(layout.logFile)}`);
    }
    await sleep(100);
  }
  return { url, port, pid: child.pid ?? -1, layout, promql: new PromQL(url), stop };
}
