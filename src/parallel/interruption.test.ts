import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { SweepIndex } from './sweep-index.js';
import { DRIVER, FIXTURE_DIR, readTree, sorted, tempDir } from './test-fixtures/fixture-sweep.js';

// The driver runs 12 points x 2 seeds of the fixture task (40 ms each) on 2
// workers in a child process, through the compiled build of src/parallel.
const DRIVER_ARGS = ['12', '40', '2'];

function startDriver(outDir: string, ...extra: string[]): { child: ChildProcess; exit: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string }> } {
  const child = spawn(process.execPath, [DRIVER, outDir, ...DRIVER_ARGS, ...extra], { stdio: ['ignore', 'pipe', 'inherit'] });
  let stdout = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal, stdout })),
  );
  return { child, exit };
}

const resultCount = (outDir: string): number => (existsSync(join(outDir, 'runs')) ? readdirSync(join(outDir, 'runs')).filter((n) => n.endsWith('.json') && !n.startsWith('.')).length : 0);

async function waitForResults(outDir: string, atLeast: number): Promise<void> {
  for (let i = 0; i < 1000 && resultCount(outDir) < atLeast; i += 1) await new Promise((r) => setTimeout(r, 5));
  expect(resultCount(outDir)).toBeGreaterThanOrEqual(atLeast);
}

const readIndex = (outDir: string): SweepIndex => JSON.parse(readFileSync(join(outDir, 'sweep.json'), 'utf8')) as SweepIndex;

describe('interrupted sweeps (child process)', () => {
  let reference: Record<string, string> = {};
  beforeAll(async () => {
    // Compile src/parallel into dist/ for the driver (a fraction of a second).
    execFileSync(process.execPath, [join(FIXTURE_DIR, '../../../node_modules/typescript/bin/tsc'), '-p', join(FIXTURE_DIR, 'tsconfig.json')], { stdio: 'inherit' });
    const outDir = tempDir('reference');
    const { exit } = startDriver(outDir);
    const { code, stdout } = await exit;
    expect(code).toBe(0);
    expect(stdout).toContain('sweep: 24/24 done, 0 failed, 0 pending');
    reference = readTree(outDir);
  });

  it('SIGKILL mid-way, then --resume: the output equals an uninterrupted sweep', async () => {
    const outDir = tempDir('killed');
    const { child, exit } = startDriver(outDir);
    await waitForResults(outDir, 4);
    child.kill('SIGKILL');
    expect((await exit).signal).toBe('SIGKILL');
    const survived = resultCount(outDir);
    expect(survived).toBeLessThan(24);
    expect(readIndex(outDir).complete).toBe(false); // only the start-of-sweep index was written

    const resumed = startDriver(outDir, '--resume');
    const { code, stdout } = await resumed.exit;
    expect(code).toBe(0);
    expect(stdout).toContain(`sweep: 24/24 done, 0 failed, 0 pending, ${survived} already done`);
    expect(readTree(outDir)).toEqual(reference);
  });

  it('SIGINT keeps finished results, writes the index and exits 130; --resume completes it', async () => {
    const outDir = tempDir('sigint');
    const { child, exit } = startDriver(outDir);
    await waitForResults(outDir, 3);
    child.kill('SIGINT');
    const { code, stdout } = await exit;
    expect(code).toBe(130);
    expect(stdout).toContain('SIGINT: stopping');
    expect(stdout).toContain('stopped early; continue with the same command plus --resume');
    const index = readIndex(outDir);
    const files = readdirSync(join(outDir, 'runs'));
    expect(files.every((n) => !n.startsWith('.'))).toBe(true); // no temp files left behind
    expect(index.counts.done).toBe(files.length);
    expect(index.counts.pending).toBe(24 - files.length);
    expect(index.counts.pending).toBeGreaterThan(0);
    expect(sorted(index.tasks.filter((t) => t.status === 'done').map((t) => `${t.id}.json`))).toEqual(sorted(files));

    const resumed = await startDriver(outDir, '--resume').exit;
    expect(resumed.code).toBe(0);
    expect(readTree(outDir)).toEqual(reference);
  });
});
