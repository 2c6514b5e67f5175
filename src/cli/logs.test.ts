/**
 * What a user reads: --help, progress into a log (CI), the wall-time
 * estimate of a long run, SIGTERM, and what `npm start` leaves in git.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CLI = join(ROOT, 'dist/src/cli/main.js');
let dir = '';

function avsim(args: readonly string[], env: Record<string, string> = {}): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: dir, encoding: 'utf8', timeout: 120_000, env: { ...process.env, AVSIM_DEBUG: '', AVSIM_PROGRESS_INTERVAL: '', ...env } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Starts the CLI, waits until stderr matches `until`, then sends `signal`; resolves with the exit and everything printed. Kills it after `limitMs` whatever happens. */
function runUntil(
  args: readonly string[],
  until: RegExp,
  signal: NodeJS.Signals,
  limitMs: number,
  opts: { node?: readonly string[]; env?: Record<string, string> } = {},
): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string; ms: number }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...(opts.node ?? [CLI]), ...args], { cwd: dir, env: { ...process.env, AVSIM_DEBUG: '', ...opts.env }, stdio: ['ignore', 'ignore', 'pipe'] });
    const started = Date.now();
    let stderr = '';
    let sent = false;
    const killer = setTimeout(() => child.kill('SIGKILL'), limitMs);
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString();
      if (!sent && until.test(stderr)) {
        sent = true;
        child.kill(signal);
      }
    });
    child.on('close', (code, sig) => {
      clearTimeout(killer);
      resolve({ code, signal: sig, stderr, ms: Date.now() - started });
    });
  });
}

beforeAll(() => {
  execFileSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(ROOT, 'tsconfig.json')], { stdio: 'ignore' });
  dir = mkdtempSync(join(tmpdir(), 'avsim-logs-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('--help', () => {
  it('states the exit codes and environment variables; run --help the trace format and when --workers applies', () => {
    const top = avsim(['--help']);
    expect(top.code).toBe(0);
    for (const text of ['Exit codes:', '  2    bad input', '  130  a sweep stopped by SIGINT', 'AVSIM_DEBUG=1', 'AVSIM_PROGRESS=1', 'AVSIM_PROGRESS_INTERVAL=S']) expect(top.stdout).toContain(text);
    const run = avsim(['run', '--help']);
    expect(run.stdout).toContain('Trace file (--trace FILE): JSON lines, one per processed event');
    expect(run.stdout).toContain('"timeUs":70045,"kind":"arrive"');
    expect(run.stdout).toContain('lognormal or regions with min > 0');
    expect(run.stdout).toContain('Exit codes:');
  });
});

describe('progress into a log', () => {
  it('avsim check prints its progress when stderr is not a terminal (CI)', () => {
    const gate = join(dir, 'gate.yaml');
    writeFileSync(gate, `name: tiny-gate
duration: 6s
nodes: {count: 12}
network:
  latency: {kind: constant, oneWay: 20ms}
workload:
  phases:
    - {kind: constant, rateTps: 5, duration: 6s}
byzantine: {strategy: silent, fraction: 0}
measurement: {livenessBound: 3s}
gate:
  fractions: [0, 0.34]
  strategies: [silent]
  seeds: 2
  expected:
    silent: {0: safe-live, 0.34: safe-not-live}
`);
    const r = avsim(['check', gate, '--workers', '1'], { AVSIM_PROGRESS_INTERVAL: '0' });
    // (12 nodes under k = 20: the file also draws a warning, left out here)
    const lines = r.stderr.trimEnd().split('\n').filter((l) => !l.includes(': warning: '));
    expect(lines[0]).toBe('check: 4 runs (2 cells x 2 seeds) on 1 worker(s)');
    expect(lines.slice(1).map((l) => l.split(',')[0])).toEqual(['check: 1/4 finished', 'check: 2/4 finished', 'check: 3/4 finished']);
  });

  it('a run that needs far more wall time than the first seconds suggest says so, and --max-wall ends it with a labelled limit', async () => {
    const out = join(dir, 'max-wall');
    // Never matches: the run must end by itself, at its --max-wall.
    const r = await runUntil(['run', join(ROOT, 'experiments/default.yaml'), '--seed', '1', '--set', 'duration=399d', '--max-wall', '7s', '--out', out], /(?!)/, 'SIGKILL', 90_000);
    expect(r.signal, r.stderr).toBeNull();
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/^default seed 1: (?:[0-9.]+x|1\/[0-9.]+ of) real time so far: the run needs about [0-9]+d[0-9]{2}h of wall time, [0-9]+d[0-9]{2}h more \(more than --max-wall 7s: it will stop at that limit\)$/m);
    expect(r.stderr).toMatch(/^FAILED default seed 1: hit max-wall \(stopped after [0-9.]+ s of wall time \(--max-wall 7 s\) at simulated [0-9.]+ s of 399d: a partial run, its figures cover 0 to [0-9.]+ s\)(?:; .*)?$/m);
    // The partial results are written, labelled.
    const summary = JSON.parse(readFileSync(join(out, 'runs', readdirSync(join(out, 'runs'))[0] ?? ''), 'utf8')) as { outcome: { kind: string; limit: string }; simSeconds: number };
    expect(summary.outcome).toMatchObject({ kind: 'limit', limit: 'max-wall' });
    expect(summary.simSeconds).toBeGreaterThan(0);
    expect(readFileSync(join(out, 'runs.csv'), 'utf8').split('\n')[1]).toMatch(/^default,duration=399d,1,100,limit:max-wall,/);
  });
});

describe('signals', () => {
  it('the first SIGTERM ends a sweep (exit 143) with its finished results kept', async () => {
    const file = join(dir, 'long.yaml');
    writeFileSync(file, 'name: long\nseeds: 6\nduration: 10s\nnodes: {count: 30}\nworkload: {phases: [{kind: poisson, rateTps: 20, duration: 10s}]}\n');
    const r = await runUntil(['sweep', file, '--out', join(dir, 'long'), '--workers', '2', '--no-report'], /1\/6 finished/, 'SIGTERM', 90_000, { env: { AVSIM_PROGRESS_INTERVAL: '0' } });
    expect(r.code, r.stderr).toBe(143);
    expect(r.stderr).toContain('avsim: SIGTERM: stopping; finished results are kept');
    expect(r.stderr).toMatch(/sweep: [1-5]\/6 done, 0 failed, [1-5] pending/);
  });

  it('a stop that does not finish within the grace period exits anyway', async () => {
    // A process stuck after the first SIGTERM (here: a promise that never settles, holding a timer).
    const script = `import { trapInterrupts } from ${JSON.stringify(join(ROOT, 'dist/src/parallel/interrupt.js'))};
trapInterrupts(undefined, 200); setInterval(() => {}, 1000); process.stderr.write('ready\\n');`;
    const r = await runUntil([], /ready/, 'SIGTERM', 20_000, { node: ['--input-type=module', '-e', script] });
    expect(r.code).toBe(143);
    expect(r.stderr).toContain('still not stopped after 0.2 s; exiting now');
  });
});

describe('npm start', () => {
  it('writes where git does not track (so git status stays clean), and the README says where', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    const out = /--out (\S+)/.exec(pkg.scripts.start ?? '')?.[1];
    expect(out).toBeDefined();
    const ignored = spawnSync('git', ['check-ignore', '-q', `${out}/report.html`], { cwd: ROOT });
    expect(ignored.status, `${out} is tracked by git`).toBe(0);
    expect(readFileSync(join(ROOT, 'README.md'), 'utf8')).toContain(`${out}/report.html`);
  });
});
