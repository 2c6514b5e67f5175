/**
 * `avsim check --out DIR` writes each run as it finishes, and `--resume`
 * continues an interrupted check under sweep's rules: the compiled CLI in a
 * child process (worker threads load compiled JavaScript, so dist/ is built
 * first), the tiny 4-run gate of check.test.ts.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunSummary } from '../../metrics/summary.js';
import { tinyGate } from './tiny-gate.testkit.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const CLI = join(ROOT, 'dist/src/cli/main.js');
const GATE = tinyGate('safe-not-live');
/** One 0 % run stands for both strategies' 0 % cells. */
const IDS = ['silent_f0.s1', 'silent_f0.34.s1', 'always-accept_f0.34.s1'];

let dir: string;

function avsim(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: dir, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
const run = (out: string, id: string): RunSummary => JSON.parse(readFileSync(join(dir, out, 'runs', `${id}.json`), 'utf8')) as RunSummary;
/** What a run's result is (its wall-clock fields aside). */
const result = (r: RunSummary) => [r.traceHash, r.events, r.tps, r.latencyMs, r.acceptedBlocks, r.liveness.ok];
const finished = (out: string): number => (existsSync(join(dir, out, 'runs')) ? readdirSync(join(dir, out, 'runs')).filter((n) => n.endsWith('.json')).length : 0);

beforeAll(() => {
  const build = spawnSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(ROOT, 'tsconfig.json')], { encoding: 'utf8' });
  expect(existsSync(CLI), `build failed: ${build.stdout}${build.stderr}`).toBe(true);
  dir = mkdtempSync(join(tmpdir(), 'avsim-check-resume-'));
  writeFileSync(join(dir, 'gate.yaml'), GATE);
}, 180_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('avsim check --out: each run on disk as it finishes, --resume', () => {
  it('an interrupted check resumed gives the same results as an uninterrupted one; damaged run files run again', { timeout: 300_000 }, async () => {
    const whole = avsim('check', 'gate.yaml', '--workers', '2', '--out', 'whole');
    expect(whole.code, whole.stderr).toBe(0);
    expect(readdirSync(join(dir, 'whole', 'runs')).toSorted()).toEqual(IDS.map((id) => `${id}.json`).toSorted());

    // Killed (SIGKILL, no chance to clean up) once its first run is on disk, one worker so the others are not.
    const child = spawn(process.execPath, [CLI, 'check', 'gate.yaml', '--workers', '1', '--out', 'part'], { cwd: dir, stdio: 'ignore' });
    const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
    for (let i = 0; i < 1_200 && finished('part') === 0 && child.exitCode === null; i++) await new Promise((r) => setTimeout(r, 50));
    child.kill('SIGKILL');
    await exited;
    const before = finished('part');
    expect(before).toBeGreaterThanOrEqual(1);
    expect(before).toBeLessThan(IDS.length);

    const resumed = avsim('check', 'gate.yaml', '--workers', '2', '--out', 'part', '--resume');
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toContain(`check: ${before} of 3 runs already done in part`);
    expect(readFileSync(join(dir, 'part', 'gate.txt'), 'utf8')).toBe(readFileSync(join(dir, 'whole', 'gate.txt'), 'utf8'));
    for (const id of IDS) expect(result(run('part', id))).toEqual(result(run('whole', id)));

    // One run file cut short, another edited into other valid JSON: neither is trusted, both run again.
    truncateSync(join(dir, 'part', 'runs', `${IDS[1]}.json`), 100);
    const edited = join(dir, 'part', 'runs', `${IDS[2]}.json`);
    writeFileSync(edited, JSON.stringify({ ...run('part', IDS[2]!), traceHash: '0000000000000000' }, null, 2));
    const again = avsim('check', 'gate.yaml', '--workers', '2', '--out', 'part', '--resume');
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toContain(`part/runs/${IDS[1]}.json does not match the SHA-256 recorded for it`);
    expect(again.stderr).toContain(`part/runs/${IDS[2]}.json does not match the SHA-256 recorded for it`);
    expect(again.stderr).toContain('check: 1 of 3 runs already done in part');
    for (const id of IDS) expect(result(run('part', id))).toEqual(result(run('whole', id)));
    expect(readFileSync(join(dir, 'part', 'gate.txt'), 'utf8')).toBe(readFileSync(join(dir, 'whole', 'gate.txt'), 'utf8'));

    // A check run afresh into a check directory replaces it (no --resume: nothing trusted).
    const fresh = avsim('check', 'gate.yaml', '--workers', '2', '--out', 'part');
    expect(fresh.code, fresh.stderr).toBe(0);
    expect(fresh.stderr).not.toContain('already done');
  });

  it('refuses --resume without --out, a resume of another check, and an avsim sweep directory as --out (exit 2, one line)', () => {
    const noOut = avsim('check', 'gate.yaml', '--resume');
    expect([noOut.code, noOut.stderr.trim()]).toEqual([2, 'avsim: --resume: needs --out DIR (the check to continue)']);
    writeFileSync(join(dir, 'other.yaml'), GATE.replace('seeds: 1', 'seeds: 2'));
    // 'whole' holds the first test's check of gate.yaml.
    const other = avsim('check', 'other.yaml', '--workers', '2', '--out', 'whole', '--resume');
    expect(other.code).toBe(2);
    expect(other.stderr.trim().split('\n').at(-1)).toMatch(/^avsim: --resume: \S+ holds a different check \(tasks hash [0-9a-f]{12} != [0-9a-f]{12}\): the scenario, points or seeds changed; use another --out$/);
    writeFileSync(
      join(dir, 'sweep.yaml'),
      GATE.replace(/gate:[\s\S]*/, '').concat('seeds: 1\nsweep:\n  nodes.count: [12]\n'),
    );
    expect(avsim('sweep', 'sweep.yaml', '--workers', '1', '--out', 'swept', '--no-report').code).toBe(0);
    const swept = avsim('check', 'gate.yaml', '--workers', '2', '--out', 'swept');
    expect([swept.code, swept.stderr.trim().split('\n').at(-1)]).toEqual([2, 'avsim: --out: swept holds an avsim sweep, not a check; choose another --out']);
    expect(readdirSync(join(dir, 'swept', 'runs'))).toHaveLength(1);
  });
});
