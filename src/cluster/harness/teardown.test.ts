/**
 * No node process outlives the harness: `avsim cluster run` is stopped with
 * SIGINT (it tears down every process group it started) or killed with
 * SIGKILL (it can clean up nothing; each node sees its stdin pipe close and
 * exits, and the watchdog SIGKILLs what cannot react, here a node the test
 * froze with SIGSTOP first, and the run's Prometheus).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { alive } from './process.testkit.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const CLI = join(ROOT, 'dist/src/cli/main.js');
const SCENARIO = `name: teardown
duration: 5m
nodes: {count: 4}
parameters: {k: 4, alphaPreference: 3, alphaConfidence: 3, beta: 4}
network: {latency: {kind: constant, oneWay: 10ms}}
workload:
  phases: [{kind: constant, rateTps: 5, duration: 5m}]
`;

const cleanup: Array<() => void> = [];
afterEach(() => {
  for (const f of cleanup.splice(0)) f();
});

async function until<T>(what: string, f: () => T | undefined, ms = 60_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = f();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The pid of the process whose command line holds `needle` (e.g. the run's Prometheus, by its TSDB path), if any. */
function pidByCommandLine(needle: string): number | undefined {
  for (const d of readdirSync('/proc')) {
    if (!/^[0-9]+$/.test(d)) continue;
    try {
      if (readFileSync(`/proc/${d}/cmdline`, 'utf8').includes(needle)) return Number(d);
    } catch {
      // gone meanwhile
    }
  }
  return undefined;
}

/** Starts the harness (with `extra` flags) and resolves once all 4 node processes are ready, with their pids. */
async function startHarness(extra: (dir: string) => string[] = () => []): Promise<{ harness: ChildProcess; pids: number[]; exited: Promise<void>; dir: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'avsim-teardown-'));
  const file = join(dir, 'teardown.yaml');
  writeFileSync(file, SCENARIO);
  const work = join(dir, 'work');
  const harness = spawn(process.execPath, [CLI, 'cluster', 'run', file, '--signatures', 'modelled', '--keep', '--work-dir', work, '--no-progress', ...extra(dir)], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  harness.stderr?.on('data', (c: Buffer) => (stderr += c.toString()));
  const exited = new Promise<void>((r) => harness.once('exit', () => r()));
  let pids: number[] = [];
  cleanup.push(() => {
    harness.kill('SIGKILL');
    for (const p of pids) if (alive(p)) process.kill(p, 'SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });
  pids = await until('4 ready node processes', () => {
    if (harness.exitCode !== null) throw new Error(`harness exited early: ${stderr}`);
    if (!existsSync(work)) return undefined;
    const run = readdirSync(work)[0];
    if (run === undefined) return undefined;
    const ready = [0, 1, 2, 3].map((k) => join(work, run, `p${k}`, 'ready.json'));
    if (!ready.every((f) => existsSync(f))) return undefined;
    return ready.map((f) => (JSON.parse(readFileSync(f, 'utf8')) as { pid: number }).pid);
  });
  // Let the run start (epoch, load) so that teardown happens mid-run.
  await new Promise((r) => setTimeout(r, 2_500));
  for (const p of pids) expect(alive(p)).toBe(true);
  return { harness, pids, exited, dir };
}

describe('cluster teardown', () => {
  it('SIGINT of the harness stops every node process, and the harness exits 130', async () => {
    const { harness, pids, exited } = await startHarness();
    harness.kill('SIGINT');
    await exited;
    expect(harness.exitCode).toBe(130);
    await until('every node process gone', () => (pids.every((p) => !alive(p)) ? true : undefined), 15_000);
  });

  it('SIGKILL of the harness leaves no node process behind, not even a SIGSTOPped one', async () => {
    const { harness, pids, exited } = await startHarness();
    process.kill(pids[1]!, 'SIGSTOP');
    harness.kill('SIGKILL');
    await exited;
    await until('every node process gone', () => (pids.every((p) => !alive(p)) ? true : undefined), 15_000);
  });

  it('SIGKILL of the harness also stops the run\'s Prometheus (the watchdog holds its process group)', async () => {
    const { harness, pids, exited, dir } = await startHarness((d) => ['--prometheus', '--out', join(d, 'out')]);
    const tsdb = join(dir, 'out', 'prometheus-runs');
    const prom = pidByCommandLine(`--storage.tsdb.path=${tsdb}`);
    expect(prom, 'the run\'s Prometheus is running').toBeDefined();
    cleanup.push(() => {
      if (prom !== undefined && alive(prom)) process.kill(prom, 'SIGKILL');
    });
    harness.kill('SIGKILL');
    await exited;
    await until('Prometheus and every node process gone within 10 s', () => ([prom!, ...pids].every((p) => !alive(p)) ? true : undefined), 10_000);
  });
});
