import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CLI = join(ROOT, 'dist/src/cli/main.js');

function avsim(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: { ...process.env, AVSIM_DEBUG: '' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('avsim CLI (built)', () => {
  beforeAll(() => {
    try {
      // tsc emits even when files of other work in progress have type errors.
      execFileSync(join(ROOT, 'node_modules/.bin/tsc'), ['-p', join(ROOT, 'tsconfig.json')], { stdio: 'ignore' });
    } catch {
      // checked below
    }
    if (!existsSync(CLI)) throw new Error(`${CLI} is missing after tsc`);
  });

  it('validate lists every problem, one line each with path and rule, and exits 2', () => {
    const dir = mkdtempSync(join(tmpdir(), 'avsim-cli-'));
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'name: x\nduration: 1m\nnodes: {count: 0}\nworkload: {phases: []}\nparameters: {k: -2}\n');
    const r = avsim('validate', bad);
    expect(r.code).toBe(2);
    expect(r.stderr.trimEnd().split('\n')).toEqual([
      `${bad}:3: nodes.count: must be an integer from 1 to 16383`,
      `${bad}:5: parameters.k: must be an integer from 1 to 10000`,
      `${bad}:4: workload.phases: must list at least one phase`,
    ]);
    expect(r.stdout).toBe('');
  });

  it('validate accepts a good file and exits 0', () => {
    const dir = mkdtempSync(join(tmpdir(), 'avsim-cli-'));
    const good = join(dir, 'good.yaml');
    writeFileSync(good, 'name: good\nduration: 1m\nnodes: {count: 10}\nworkload: {phases: [{kind: constant, rateTps: 5, duration: 1m}]}\nsweep: {nodes.count: [10, 20]}\n');
    const r = avsim('validate', good);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`${good}: ok — good: 10 nodes, 1m, 1 seed(s), 2 sweep point(s), 0 fault(s), 0 check(s)\n`);
  });

  it('a bad flag or flag value prints one line and exits 2; a missing file too', () => {
    const unknown = avsim('run', 'x.yaml', '--sed', '3');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toBe("error: unknown option '--sed' (Did you mean one of --seed, --set?)\n");
    const seed = avsim('run', 'x.yaml', '--seed', 'three');
    expect(seed.code).toBe(2);
    expect(seed.stderr).toBe('avsim: --seed: must be an integer from 0 to 4294967295, got "three"\n');
    const window = avsim('run', 'x.yaml', '--trace-window', '20s..10s');
    expect(window.stderr).toBe('avsim: --trace-window: FROM must be before TO, got "20s..10s"\n');
    const missing = avsim('validate', '/nonexistent/s.yaml');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe('/nonexistent/s.yaml: (file): cannot be read: does not exist\n');
    const report = avsim('report', '/nonexistent/dir');
    expect(report.code).toBe(2);
    expect(report.stderr).toBe('avsim: /nonexistent/dir: no runs/ folder (is this an avsim results directory?)\n');
  });

  it('every command has --help (exit 0)', () => {
    for (const cmd of ['validate', 'run', 'sweep', 'report', 'merge', 'check', 'schema']) {
      const r = avsim(cmd, '--help');
      expect(r.code, cmd).toBe(0);
      expect(r.stdout, cmd).toContain(`Usage: avsim ${cmd}`);
    }
  });
});
