/**
 * `avsim sweep` end to end: the compiled CLI in a child process, real runs on
 * worker threads, a tiny scenario (2 points x 2 seeds, 3 simulated seconds).
 * Builds dist/ first, since worker threads load compiled JavaScript.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunSummary } from '../../metrics/summary.js';
import type { SweepIndex } from '../../parallel/sweep-index.js';
import { RunSummarySchema } from '../../metrics/summary.js';
import { runSweepTask, type SweepTaskPayload } from '../../runner/sweep-worker.js';
import type { SweepTask } from '../../parallel/task.js';
import { sweepTasks } from './sweep.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const CLI = join(ROOT, 'dist/src/cli/main.js');
const SCENARIO = `name: tiny
description: a tiny sweep for the CLI test
seeds: 2
duration: 3s
nodes: {count: 20}
network:
  latency: {kind: lognormal, median: 40ms, sigma: 0.5}
workload:
  phases:
    - {kind: poisson, rateTps: 20, duration: 3s}
measurement: {warmup: 1s}
checks:
  - safety.violations == 0
sweep:
  nodes.count: [20, 30]
`;
const IDS = ['nodes.count=20.s1', 'nodes.count=20.s2', 'nodes.count=30.s1', 'nodes.count=30.s2'];

let dir: string;
let file: string;

function avsim(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  return avsimWith({}, ...args);
}
function avsimWith(env: Record<string, string>, ...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: dir, encoding: 'utf8', timeout: 60_000, env: { ...process.env, AVSIM_PROGRESS_INTERVAL: '', ...env } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
const readJson = <T>(path: string): T => JSON.parse(readFileSync(path, 'utf8')) as T;
/** A directory listing in name order. */
function listing(path: string): string[] {
  return readdirSync(path).toSorted();
}

beforeAll(() => {
  const build = spawnSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(ROOT, 'tsconfig.json')], { encoding: 'utf8' });
  expect(existsSync(CLI), `build failed: ${build.stdout}${build.stderr}`).toBe(true);
  dir = mkdtempSync(join(tmpdir(), 'avsim-sweep-'));
  file = 'tiny.yaml';
  writeFileSync(join(dir, file), SCENARIO);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('sweepTasks', () => {
  it('puts the sweep --set overrides in each payload and before the point in each repro', () => {
    const tasks = sweepTasks(join(ROOT, 'experiments/default.yaml'), ['duration=10s', 'workload.phases[0].duration=10s']);
    expect(tasks.map((t) => t.id)).toEqual(['nodes.count=100.s1', 'nodes.count=100.s2', 'nodes.count=200.s1', 'nodes.count=200.s2', 'nodes.count=300.s1', 'nodes.count=300.s2', 'nodes.count=400.s1', 'nodes.count=400.s2']);
    expect(tasks[3]?.payload.sets).toEqual(['duration=10s', 'workload.phases[0].duration=10s']);
    expect(tasks[3]?.repro).toBe(`avsim run ${join(ROOT, 'experiments/default.yaml')} --seed 2 --set duration=10s --set 'workload.phases[0].duration=10s' --set nodes.count=200`);
  });
});

describe('avsim sweep (end to end)', () => {
  it('writes a complete sweep directory whose runs match avsim run and an in-process run, and resumes', async () => {
    const out = 'out';
    const first = avsim('sweep', file, '--workers', '2', '--out', out, '--no-png', '--no-progress');
    expect(first.code, first.stderr).toBe(0);
    const outDir = join(dir, out);
    expect(listing(outDir)).toEqual(['failures', 'plots', 'points.csv', 'report.html', 'runs', 'runs.csv', 'runs.json', 'sweep.json', 'throughput.csv']);
    expect(listing(join(outDir, 'runs'))).toEqual(IDS.map((id) => `${id}.json`));
    expect(readdirSync(join(outDir, 'failures'))).toEqual([]);
    const index = readJson<SweepIndex>(join(outDir, 'sweep.json'));
    expect(index).toMatchObject({ counts: { done: 4, failed: 0, pending: 0 }, complete: true, shard: null });
    expect(readFileSync(join(outDir, 'runs.csv'), 'utf8').trimEnd().split('\n')).toHaveLength(5);
    expect(listing(join(outDir, 'plots')).filter((n) => n.endsWith('.svg'))).toEqual(['latency-cdf.svg', 'latency-vs-nodes.svg', 'throughput-over-time.svg', 'tps-vs-nodes.svg']);
    // No target size in these runs: no verdict table of "not run" rows, a pointer to the experiment that has them.
    expect(readFileSync(join(outDir, 'report.html'), 'utf8')).toContain("These runs include none of the specification's target sizes");
    expect(first.stderr).not.toMatch(/not run/);

    const runs = IDS.map((id) => readJson<RunSummary>(join(outDir, 'runs', `${id}.json`)));
    expect(runs.map((r) => [r.nodes, r.seed, r.point])).toEqual([
      [20, 1, { 'nodes.count': 20 }],
      [20, 2, { 'nodes.count': 20 }],
      [30, 1, { 'nodes.count': 30 }],
      [30, 2, { 'nodes.count': 30 }],
    ]);
    expect(new Set(runs.map((r) => r.traceHash)).size).toBe(4);
    // Each run's repro command, run on its own, gives the same trace hash and metrics.
    for (const r of runs) {
      expect(r.repro).toBe(`avsim run tiny.yaml --seed ${r.seed} --set nodes.count=${r.nodes}`);
      const single = avsim(...r.repro.split(' ').slice(1), '--json', '--no-progress');
      expect(single.code, single.stderr).toBe(0);
      const s = JSON.parse(single.stdout) as RunSummary;
      expect([s.traceHash, s.events, s.tps, s.latencyMs, s.acceptedBlocks]).toEqual([r.traceHash, r.events, r.tps, r.latencyMs, r.acceptedBlocks]);
      expect(s.point).toEqual({ 'nodes.count': r.nodes });
    }
    // The same task in-process (this thread) gives the same result as on a worker thread.
    const task = index.tasks[3] as unknown as SweepTask<SweepTaskPayload>;
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      const inProcess = await runSweepTask(task);
      expect([inProcess.traceHash, inProcess.events, inProcess.tps]).toEqual([runs[3]?.traceHash, runs[3]?.events, runs[3]?.tps]);
    } finally {
      process.chdir(cwd);
    }

    // Without --resume a used directory is refused (bad input); --resume redoes only what is missing.
    const refused = avsim('sweep', file, '--out', out, '--no-progress');
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/is not empty; pass --resume/);
    rmSync(join(outDir, 'runs', `${IDS[2]}.json`));
    const kept = statSync(join(outDir, 'runs', `${IDS[0]}.json`)).mtimeMs;
    const resumed = avsim('sweep', file, '--workers', '2', '--out', out, '--resume', '--no-report', '--no-progress');
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toContain('4/4 done, 0 failed, 0 pending, 3 already done');
    expect(statSync(join(outDir, 'runs', `${IDS[0]}.json`)).mtimeMs).toBe(kept);
    expect(readJson<RunSummary>(join(outDir, 'runs', `${IDS[2]}.json`)).traceHash).toBe(runs[2]?.traceHash);
    expect(readJson<RunSummary[]>(join(outDir, 'runs.json')).map((r) => r.traceHash)).toEqual(runs.map((r) => r.traceHash));
  });

  it('--replace swaps a fresh sweep in; a failed check exits 1 with the repro carrying the --set', () => {
    const out = 'replaced';
    expect(avsim('sweep', file, '--out', out, '--set', 'nodes.count=20', '--no-report', '--no-progress').code).toBe(0);
    const failing = avsim('sweep', file, '--out', out, '--replace', '--set', 'nodes.count=20', '--set', 'checks=["tps >= 1000000"]', '--no-report', '--no-progress');
    expect(failing.code).toBe(1);
    expect(failing.stderr).toContain('2 of 2 run(s) failed a check or hit a limit');
    expect(failing.stderr).toContain(`repro: avsim run tiny.yaml --seed 2 --set nodes.count=20 --set 'checks=["tps >= 1000000"]'`);
    expect(readJson<RunSummary>(join(dir, out, 'runs', 'base.s1.json')).checks).toMatchObject([{ expr: 'tps >= 1000000', ok: false }]);
    expect(readdirSync(dir).filter((n) => n.startsWith('.'))).toEqual([]);
    // The paths printed are the final ones, not the temporary directory renamed into place.
    expect(failing.stderr).toContain(`-> ${join(dir, out, 'sweep.json')}`);
    expect(failing.stderr).not.toContain('.new-');
  });

  it('--max-wall ends each task with limit max-wall; the partial results are kept, labelled, and reported', () => {
    const out = 'max-wall';
    const r = avsim('sweep', file, '--out', out, '--set', 'nodes.count=20', '--set', 'duration=399d', '--max-wall', '1s', '--workers', '2', '--no-report', '--no-progress');
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toContain('sweep: 2/2 done, 0 failed, 0 pending');
    expect(r.stderr).toContain('2 of 2 run(s) failed a check or hit a limit');
    expect(r.stderr).toMatch(/FAILED tiny seed 1 .*: hit max-wall \(stopped after [0-9.]+ s of wall time \(--max-wall 1 s\) at simulated [0-9.]+ s of 399d: a partial run/);
    for (const seed of [1, 2]) {
      const run = readJson<RunSummary>(join(dir, out, 'runs', `base.s${seed}.json`));
      expect(run.outcome).toMatchObject({ kind: 'limit', limit: 'max-wall' });
      expect(run.simSeconds).toBeGreaterThan(0);
    }
    expect(readFileSync(join(dir, out, 'runs.csv'), 'utf8')).toMatch(/^tiny,,1,20,limit:max-wall,/m);
  });

  it('resume and report trust only the bytes the sweep wrote (SHA-256 per result in sweep.json)', () => {
    const out = 'hashed';
    const made = avsim('sweep', file, '--out', out, '--set', 'nodes.count=20', '--no-png', '--no-progress');
    expect(made.code, made.stderr).toBe(0);
    const index = readJson<SweepIndex>(join(dir, out, 'sweep.json'));
    expect(index.format).toBe('avsim-sweep/2');
    expect(index.tasks.map((t) => t.sha256)).toEqual(index.tasks.map(() => expect.stringMatching(/^[0-9a-f]{64}$/)));
    expect(existsSync(join(dir, out, 'sweep.journal'))).toBe(false);

    // Valid JSON with an edited figure: the report refuses it by name.
    const edited = join(dir, out, 'runs', 'base.s2.json');
    writeFileSync(edited, `${JSON.stringify({ ...readJson<RunSummary>(edited), tps: 99999 }, null, 2)}\n`);
    const report = avsim('report', out, '--no-png');
    expect(report.code).toBe(2);
    expect(report.stderr.split('\n')[0]).toBe(`avsim: ${join(out, 'runs', 'base.s2.json')}: does not match the SHA-256 recorded for it in ${join(out, 'sweep.json')} (truncated or edited since the sweep wrote it); run it again with avsim sweep tiny.yaml --out ${out} --resume`);

    // A truncated one too; --resume runs both again instead of counting them done.
    const truncated = join(dir, out, 'runs', 'base.s1.json');
    writeFileSync(truncated, readFileSync(truncated, 'utf8').slice(0, 100));
    const resumed = avsim('sweep', file, '--out', out, '--resume', '--set', 'nodes.count=20', '--no-png', '--no-progress');
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toContain(`sweep: ${truncated} does not match the SHA-256 recorded for it in sweep.json (truncated or edited since the sweep wrote it); running it again`);
    expect(resumed.stderr).toContain(`sweep: ${edited} does not match the SHA-256`);
    expect(resumed.stderr).toContain('sweep: 2/2 done, 0 failed, 0 pending ->');
    expect(readJson<RunSummary>(edited).tps).not.toBe(99999);
    expect(readJson<RunSummary>(truncated).traceHash).toMatch(/^[0-9a-f]{16}$/);
    expect(avsim('report', out, '--no-png').code).toBe(0);
  });

  it('into a log, progress is one line per finished task or per minute, whichever is less; never a repeated line', () => {
    const perTask = avsimWith({ AVSIM_PROGRESS_INTERVAL: '0' }, 'sweep', file, '--out', 'log-0', '--workers', '2', '--no-report');
    expect(perTask.code, perTask.stderr).toBe(0);
    const progress = perTask.stderr.split('\n').filter((l) => / finished.*running/.test(l));
    expect(progress.map((l) => l.split(',')[0])).toEqual(['sweep: 1/4 finished', 'sweep: 2/4 finished', 'sweep: 3/4 finished']);
    // The default minute: a sweep of a few seconds prints no progress line at all.
    const quiet = avsim('sweep', file, '--out', 'log-60', '--workers', '2', '--no-report');
    expect(quiet.code, quiet.stderr).toBe(0);
    const lines = quiet.stderr.trimEnd().split('\n');
    expect(lines.filter((l) => / finished.*running/.test(l))).toEqual([]);
    expect(new Set(lines).size).toBe(lines.length);
  });
});

describe('the JSON summary of a real run', () => {
  it('holds every contract field with the right types and values', () => {
    const r = avsim('run', file, '--seed', '1', '--json', '--no-progress');
    expect(r.code, r.stderr).toBe(0);
    const s = JSON.parse(r.stdout) as RunSummary;
    const parsed = RunSummarySchema.safeParse(s);
    expect(parsed.success, parsed.error?.message).toBe(true);
    expect(s).toMatchObject({ scenario: 'tiny', seed: 1, nodes: 20, simSeconds: 3, point: {}, outcome: { kind: 'completed' } });
    expect(s.checks).toEqual([{ expr: 'safety.violations == 0', ok: true, value: 0 }]);
    expect(s.safety.violations).toBe(0);
    expect(s.liveness).toMatchObject({ ok: true, undecided: 0 });
    expect(s.traceHash).toMatch(/^[0-9a-f]{16}$/);
    expect(s.events).toBeGreaterThan(10_000);
    expect(s.tps).toBeGreaterThan(0);
    expect(s.acceptedTransactions).toBeGreaterThan(20);
    expect(s.latencyMs.p50).toBeLessThanOrEqual(s.latencyMs.p95 ?? -1);
    expect(s.latencyMs.p95).toBeLessThanOrEqual(s.latencyMs.p99 ?? -1);
    expect(s.pollSuccessRate).toBeGreaterThan(0.5);
    expect(s.repro).toBe('avsim run tiny.yaml --seed 1');
  });
});
