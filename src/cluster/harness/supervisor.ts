/**
 * One process and one directory per node process (tmpnet's layout): the
 * supervisor spawns the node daemon (`avsim node --config <dir>/config.json`,
 * through its light entry point src/cluster/node/main.ts) in a process
 * group of its own, logs to <dir>/log.txt, and waits for <dir>/ready.json,
 * which the node writes atomically once it listens (port 0: the kernel picks
 * free ports). It kills (SIGKILL), pauses (SIGSTOP/SIGCONT) and respawns
 * processes, notices a process that dies on its own, and tears everything
 * down on error, on Ctrl-C and at the end. A watchdog process kills whatever
 * is left if the harness itself is killed with SIGKILL.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface ReadyFile {
  pid: number;
  apiPort: number;
  /** Node id -> transport port. */
  ports: Record<string, number>;
  /** Node id -> /metrics port (src/ops/metrics). */
  metricsPorts?: Record<string, number>;
}

export interface ProcessFailure {
  /** The node ids the process ran. */
  nodes: readonly number[];
  exitCode: number | null;
  signal: string | null;
  logTail: string;
}

export class NodeStartError extends Error {
  constructor(
    readonly failure: ProcessFailure,
    reason: string,
  ) {
    super(`node ${failure.nodes.join(',')} ${reason}${failure.logTail === '' ? '' : `; log tail: ${failure.logTail.split('\n').slice(-5).join(' | ')}`}`);
  }
}

export interface ManagedProcess {
  readonly index: number;
  readonly nodes: readonly number[];
  readonly dir: string;
  child: ChildProcess | undefined;
  pid: number | undefined;
  /** Set when we killed it (an exit then is expected). */
  killing: boolean;
  paused: boolean;
  ready: ReadyFile | undefined;
  exited: Promise<{ code: number | null; signal: string | null }> | undefined;
}

/** The node daemon's entry (`avsim node` without the rest of the CLI). */
const NODE_MAIN = fileURLToPath(new URL('../node/main.js', import.meta.url));
const WATCHDOG = fileURLToPath(new URL('./watchdog.js', import.meta.url));

export function logTail(file: string, lines = 20): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

export class Supervisor {
  private readonly procs = new Map<number, ManagedProcess>();
  private watchdog: ChildProcess | undefined;
  /** Called when a process exits without being asked to. */
  onUnexpectedExit: ((p: ManagedProcess, failure: ProcessFailure) => void) | undefined;
  private tornDown = false;
  /** Process groups the harness started besides the nodes (its Prometheus): the watchdog kills them too. */
  private readonly guarded = new Set<number>();

  constructor(private readonly extraArgs: readonly string[] = []) {}

  startWatchdog(): void {
    const w = spawn(process.execPath, [WATCHDOG], { detached: true, stdio: ['pipe', 'ignore', 'ignore'] });
    w.unref();
    // The pipe keeps the watchdog alive; it must not keep this process alive.
    (w.stdin as unknown as { unref?: () => void }).unref?.();
    this.watchdog = w;
  }

  /** Command prefix per process (--kernel-net: `ip netns exec <its namespace>`). */
  wrap: ((p: ManagedProcess) => readonly string[]) | undefined;

  tellWatchdog(line: string): void {
    this.watchdog?.stdin?.write(`${line}\n`);
  }

  /**
   * Puts another process group of this run (one that leads its own group, e.g. the run's Prometheus) under the
   * watchdog and the exit-time last resort, so a SIGKILLed harness leaves it no more than a node. teardown() takes it
   * back off before the watchdog goes (its owner stops it gracefully).
   */
  guard(pid: number): void {
    this.guarded.add(pid);
    this.tellWatchdog(`add ${pid}`);
  }

  processes(): ManagedProcess[] {
    return [...this.procs.values()];
  }

  register(index: number, nodes: readonly number[], dir: string): ManagedProcess {
    const p: ManagedProcess = { index, nodes, dir, child: undefined, pid: undefined, killing: false, paused: false, ready: undefined, exited: undefined };
    this.procs.set(index, p);
    return p;
  }

  /** Starts (or restarts) a process on its directory. */
  spawn(p: ManagedProcess): void {
    if (this.tornDown) throw new Error('supervisor: already torn down');
    rmSync(join(p.dir, 'ready.json'), { force: true });
    const log = openSync(join(p.dir, 'log.txt'), 'a');
    const prefix = this.wrap?.(p) ?? [];
    const argv = [process.execPath, ...this.extraArgs, NODE_MAIN, '--config', join(p.dir, 'config.json')];
    // `ip netns exec` execs the node in place: the pid and process group are the node's own.
    const child = spawn(prefix[0] ?? argv[0]!, [...prefix.slice(1), ...(prefix.length > 0 ? argv : argv.slice(1))], {
      detached: true,
      // stdin is a pipe the node watches: when this process dies, the pipe closes and the node exits.
      stdio: ['pipe', log, log],
      env: { ...process.env, AVSIM_PROGRESS: '0' },
    });
    closeSync(log);
    p.child = child;
    p.pid = child.pid;
    p.killing = false;
    p.paused = false;
    p.ready = undefined;
    if (child.pid !== undefined) this.tellWatchdog(`add ${child.pid}`);
    p.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        if (child.pid !== undefined) this.tellWatchdog(`del ${child.pid}`);
        if (p.child === child) {
          p.child = undefined;
          p.pid = undefined;
        }
        if (!p.killing && !this.tornDown) {
          this.onUnexpectedExit?.(p, { nodes: p.nodes, exitCode: code, signal, logTail: logTail(join(p.dir, 'log.txt')) });
        }
        resolve({ code, signal });
      });
    });
  }

  /** Waits for the ready file; a process that exits first, or a timeout, is a NodeStartError naming the node. */
  async waitReady(p: ManagedProcess, timeoutMs: number): Promise<ReadyFile> {
    const file = join(p.dir, 'ready.json');
    const deadline = Date.now() + timeoutMs;
    let exited = false;
    void p.exited?.then(() => (exited = true));
    for (;;) {
      if (existsSync(file)) {
        try {
          const r = JSON.parse(readFileSync(file, 'utf8')) as ReadyFile;
          if (r.pid === p.pid) {
            p.ready = r;
            return r;
          }
        } catch {
          // written atomically, so a parse error means a stale or foreign file: keep waiting
        }
      }
      if (exited || p.child === undefined) {
        const res = await p.exited;
        throw new NodeStartError({ nodes: p.nodes, exitCode: res?.code ?? null, signal: res?.signal ?? null, logTail: logTail(join(p.dir, 'log.txt')) }, `exited before it was ready (exit code ${res?.code ?? 'none'}${res?.signal ? `, signal ${res.signal}` : ''})`);
      }
      if (Date.now() > deadline) {
        throw new NodeStartError({ nodes: p.nodes, exitCode: null, signal: null, logTail: logTail(join(p.dir, 'log.txt')) }, `was not ready within ${timeoutMs} ms`);
      }
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  /** SIGKILL (kill -9) of the process group; resolves once it has exited. */
  async kill(p: ManagedProcess): Promise<void> {
    if (p.pid === undefined) return;
    p.killing = true;
    signalGroup(p.pid, 'SIGKILL');
    await p.exited;
    p.paused = false;
  }

  pause(p: ManagedProcess): boolean {
    if (p.pid === undefined || p.paused) return false;
    signalGroup(p.pid, 'SIGSTOP');
    p.paused = true;
    return true;
  }

  resume(p: ManagedProcess): boolean {
    if (p.pid === undefined || !p.paused) return false;
    signalGroup(p.pid, 'SIGCONT');
    p.paused = false;
    return true;
  }

  /** Asks a process to stop (SIGTERM: it flushes its logs and store), then SIGKILLs what is left after `graceMs`. */
  async stop(p: ManagedProcess, graceMs: number): Promise<void> {
    if (p.pid === undefined) return;
    p.killing = true;
    const pid = p.pid;
    if (p.paused) signalGroup(pid, 'SIGCONT');
    signalGroup(pid, 'SIGTERM');
    const timer = setTimeout(() => signalGroup(pid, 'SIGKILL'), graceMs);
    await p.exited;
    clearTimeout(timer);
  }

  /** Stops every process (graceful first), then the watchdog. Idempotent. */
  async teardown(graceMs = 3_000, afterStop?: () => void): Promise<void> {
    if (this.tornDown) return;
    await Promise.all(this.processes().map((p) => this.stop(p, graceMs)));
    this.tornDown = true;
    for (const pid of this.guarded) this.tellWatchdog(`del ${pid}`);
    // What depends on the processes being gone (--kernel-net's namespaces) goes before the watchdog is let go.
    try {
      afterStop?.();
    } finally {
      this.watchdog?.stdin?.end();
      this.watchdog = undefined;
    }
  }

  /** Synchronous last resort (process 'exit' handler): SIGKILL every group still running. */
  killAllNow(): void {
    for (const p of this.procs.values()) if (p.pid !== undefined) signalGroup(p.pid, 'SIGKILL');
    if (!this.tornDown) for (const pid of this.guarded) signalGroup(pid, 'SIGKILL');
  }
}

function signalGroup(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(-pid, sig);
  } catch {
    try {
      process.kill(pid, sig);
    } catch {
      // gone
    }
  }
}
