import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sweepExitCode } from './interrupt.js';
import { runSweep, type SweepProgress } from './sweep-runner.js';
import type { SweepIndex } from './sweep-index.js';
import type { FailureRecord } from './failure.js';
import { FIXTURE_EXPORT, FIXTURE_WORKER, fixtureTasks, fixtureValue, readTree, sorted, tempDir } from './test-fixtures/fixture-sweep.js';

const worker = { workerModule: FIXTURE_WORKER, workerExport: FIXTURE_EXPORT };
const readJson = <T>(path: string): T => JSON.parse(readFileSync(path, 'utf8')) as T;
/** Far from both an honest fixture task (milliseconds) and a hanging one (forever). */
const TIMEOUT_MS = 4_000;

describe('runSweep', () => {
  it('writes one result file per task and an index in sweep order', async () => {
    const outDir = tempDir('sweep');
    const events: SweepProgress[] = [];
    const result = await runSweep({ tasks: fixtureTasks(4), ...worker, outDir, workers: 2, onProgress: (p) => events.push(p) });
    expect(result).toMatchObject({ outcome: 'completed', total: 8, done: 8, failed: 0, pending: 0, skipped: 0, failures: [] });
    expect(sorted(readdirSync(join(outDir, 'runs')))).toEqual(['p0.s1.json', 'p0.s2.json', 'p1.s1.json', 'p1.s2.json', 'p2.s1.json', 'p2.s2.json', 'p3.s1.json', 'p3.s2.json']);
    expect(readJson(join(outDir, 'runs', 'p2.s2.json'))).toEqual({ id: 'p2.s2', seed: 2, point: { 'consensus.k': 12 }, value: fixtureValue('p2.s2', 2) });
    const index = readJson<SweepIndex>(join(outDir, 'sweep.json'));
    expect(index.tasks.map((t) => `${t.index}:${t.id}:${t.status}:${t.result}`)).toEqual(
      ['p0.s1', 'p0.s2', 'p1.s1', 'p1.s2', 'p2.s1', 'p2.s2', 'p3.s1', 'p3.s2'].map((id, i) => `${i}:${id}:done:runs/${id}.json`),
    );
    expect(index).toMatchObject({ shard: null, totalTasks: 8, counts: { done: 8, failed: 0, pending: 0 }, complete: true });
    expect(events.map((e) => e.phase)).toEqual(['start', ...Array<string>(8).fill('task'), 'end']);
    expect(events.at(-1)).toMatchObject({ done: 8, failed: 0, total: 8, inFlight: 0 });
    expect(sweepExitCode(result, null)).toBe(0);
  });

  it('records a throwing task and a dying worker with repro commands; the others complete', async () => {
    const outDir = tempDir('fail');
    const tasks = fixtureTasks(5, (i) => (i === 1 ? { 'fixture.mode': 'throw' } : i === 3 ? { 'fixture.mode': 'exit' } : {}));
    const result = await runSweep({ tasks, ...worker, outDir, workers: 2 });
    expect(result).toMatchObject({ outcome: 'completed', total: 10, done: 6, failed: 4, pending: 0 });
    expect(result.failures.map((f) => [f.id, f.kind])).toEqual([
      ['p1.s1', 'threw'],
      ['p1.s2', 'threw'],
      ['p3.s1', 'worker-exited'],
      ['p3.s2', 'worker-exited'],
    ]);
    const threw = readJson<FailureRecord>(join(outDir, 'failures', 'p1.s2.json'));
    expect(threw).toMatchObject({ kind: 'threw', id: 'p1.s2', seed: 2, error: { name: 'Error', message: 'fixture task p1.s2 throws on purpose' } });
    expect(threw.repro).toBe('avsim run experiments/fixture.yaml --seed 2 --set consensus.k=11 --set fixture.mode=throw');
    const died = readJson<FailureRecord>(join(outDir, 'failures', 'p3.s1.json'));
    expect(died).toMatchObject({ kind: 'worker-exited', error: { message: 'worker exited with code: 3' } });
    expect(died.repro).toBe('avsim run experiments/fixture.yaml --seed 1 --set consensus.k=13 --set fixture.mode=exit');
    for (const id of ['p0.s1', 'p0.s2', 'p2.s1', 'p2.s2', 'p4.s1', 'p4.s2']) expect(existsSync(join(outDir, 'runs', `${id}.json`))).toBe(true);
    const index = readJson<SweepIndex>(join(outDir, 'sweep.json'));
    expect(index.tasks[6]).toMatchObject({ id: 'p3.s1', status: 'failed', result: null, failure: 'failures/p3.s1.json', error: 'worker-exited: worker exited with code: 3' });
    expect(index).toMatchObject({ counts: { done: 6, failed: 4, pending: 0 }, complete: false });
    expect(sweepExitCode(result, null)).toBe(1);
  });

  // The hanging tasks never answer, and the others answer in milliseconds: a
  // timeout of seconds separates them on any machine, however loaded (at
  // 300 ms, a worker that took that long to start timed out an honest task).
  it('records a task past taskTimeoutMs as a timeout and one past workerHeapMb as out-of-memory', { timeout: 60_000 }, async () => {
    const timedOut = await runSweep({
      tasks: fixtureTasks(2, (i) => (i === 0 ? { 'fixture.mode': 'hang' } : {})),
      ...worker,
      outDir: tempDir('timeout'),
      workers: 2,
      taskTimeoutMs: TIMEOUT_MS,
    });
    expect(timedOut.failures.map((f) => [f.id, f.kind])).toEqual([
      ['p0.s1', 'timeout'],
      ['p0.s2', 'timeout'],
    ]);
    expect(timedOut.failures[0]?.message).toBe(`task ran longer than taskTimeoutMs=${TIMEOUT_MS}; its worker was terminated`);
    expect(timedOut.done).toBe(2);
    const oom = await runSweep({
      tasks: fixtureTasks(2, (i) => (i === 1 ? { 'fixture.mode': 'oom' } : {})),
      ...worker,
      outDir: tempDir('oom'),
      workers: 2,
      workerHeapMb: 32,
    });
    expect(oom.failures.map((f) => [f.id, f.kind])).toEqual([
      ['p1.s1', 'out-of-memory'],
      ['p1.s2', 'out-of-memory'],
    ]);
    expect(oom.done).toBe(2);
  });

  it('resume skips finished tasks, retries failed ones, and ends with the bytes of a clean sweep', async () => {
    const flag = join(tempDir('flag'), 'broken');
    writeFileSync(flag, '');
    const tasks = fixtureTasks(3, (i) => (i === 2 ? { 'fixture.failIfExists': flag } : {}));
    const outDir = tempDir('resume');
    const first = await runSweep({ tasks, ...worker, outDir, workers: 2 });
    expect([first.done, first.failed]).toEqual([4, 2]);
    rmSync(flag);
    const second = await runSweep({ tasks, ...worker, outDir, workers: 2, resume: true });
    expect(second).toMatchObject({ outcome: 'completed', done: 6, failed: 0, skipped: 4 });
    expect(readdirSync(join(outDir, 'failures'))).toEqual([]);
    const clean = tempDir('clean');
    await runSweep({ tasks, ...worker, outDir: clean, workers: 1 });
    expect(readTree(outDir)).toEqual(readTree(clean));
    // Resuming a finished sweep runs nothing and changes nothing.
    const before = readTree(outDir);
    expect(await runSweep({ tasks, ...worker, outDir, workers: 2, resume: true })).toMatchObject({ skipped: 6, done: 6 });
    expect(readTree(outDir)).toEqual(before);
  });

  it('an aborted signal stops dispatching and keeps finished results', async () => {
    const outDir = tempDir('abort');
    const controller = new AbortController();
    const result = await runSweep({
      tasks: fixtureTasks(10, () => ({ 'fixture.delayMs': 20 })),
      ...worker,
      outDir,
      workers: 2,
      signal: controller.signal,
      onProgress: (p) => {
        if (p.done === 3) controller.abort();
      },
    });
    expect(result.outcome).toBe('interrupted');
    expect(result.done).toBeGreaterThanOrEqual(3);
    expect(result.done).toBeLessThanOrEqual(5); // at most the two in flight finish after the abort
    expect(result.pending).toBe(20 - result.done);
    expect(readdirSync(join(outDir, 'runs'))).toHaveLength(result.done);
    expect(readJson<SweepIndex>(join(outDir, 'sweep.json')).counts).toEqual({ done: result.done, failed: 0, pending: result.pending });
    expect(sweepExitCode(result, 'SIGINT')).toBe(130);
    expect(sweepExitCode(result, 'SIGTERM')).toBe(143);
  });

  it('refuses a non-empty outDir without resume, a different sweep with resume, and a bad worker export', async () => {
    const outDir = tempDir('guard');
    await runSweep({ tasks: fixtureTasks(1), ...worker, outDir, workers: 1 });
    await expect(runSweep({ tasks: fixtureTasks(1), ...worker, outDir, workers: 1 })).rejects.toThrow('is not empty; pass --resume');
    await expect(runSweep({ tasks: fixtureTasks(2), ...worker, outDir, workers: 1, resume: true })).rejects.toThrow('holds a different sweep');
    await expect(runSweep({ tasks: fixtureTasks(1), ...worker, outDir, workers: 1, resume: true, shard: { index: 0, count: 2 } })).rejects.toThrow(
      'holds the whole sweep, not shard 0/2',
    );
    const fresh = tempDir('guard2');
    await expect(runSweep({ tasks: fixtureTasks(1), workerModule: FIXTURE_WORKER, workerExport: 'notAFunction', outDir: fresh })).rejects.toThrow(
      'has no exported function "notAFunction"',
    );
    await expect(runSweep({ tasks: fixtureTasks(1), workerModule: join(fresh, 'missing.js'), outDir: fresh })).rejects.toThrow('does not exist');
    await expect(runSweep({ tasks: fixtureTasks(1), ...worker, outDir: fresh, workers: 0 })).rejects.toThrow('workers: must be an integer in 1..256 (got 0)');
  });
});
