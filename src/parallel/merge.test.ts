import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { mergeShards } from './merge.js';
import { runSweep } from './sweep-runner.js';
import { FIXTURE_EXPORT, FIXTURE_WORKER, fixtureTasks, readTree, tempDir } from './test-fixtures/fixture-sweep.js';

const worker = { workerModule: FIXTURE_WORKER, workerExport: FIXTURE_EXPORT };
// 14 tasks; point 2 throws and point 4 kills its worker, so failure files are merged too.
const tasks = fixtureTasks(7, (i) => (i === 2 ? { 'fixture.mode': 'throw' } : i === 4 ? { 'fixture.mode': 'exit' } : {}));

describe('mergeShards', () => {
  let unsharded = '';
  let shardDirs: string[] = [];
  beforeAll(async () => {
    unsharded = tempDir('whole');
    await runSweep({ tasks, ...worker, outDir: unsharded, workers: 2 });
    const root = tempDir('shards');
    shardDirs = [0, 1, 2].map((i) => join(root, `shard-${i}`));
    // Different worker counts per shard: the output must not depend on them.
    for (const [i, dir] of shardDirs.entries()) await runSweep({ tasks, ...worker, outDir: dir, workers: 1 + (i % 2), shard: { index: i, count: 3 } });
  });

  it('sharded-then-merged is byte-identical to the unsharded sweep', async () => {
    const merged = tempDir('merged');
    // Shard order on the command line does not matter either.
    const result = await mergeShards([shardDirs[2] as string, shardDirs[0] as string, shardDirs[1] as string], merged);
    expect(result).toMatchObject({ shards: 3, total: 14, done: 10, failed: 4, pending: 0, complete: false });
    const whole = readTree(unsharded);
    expect(Object.keys(whole)).toHaveLength(15); // 10 runs + 4 failures + sweep.json
    expect(readTree(merged)).toEqual(whole);
    // Each shard holds only its own tasks.
    const shard1 = JSON.parse(readFileSync(join(shardDirs[1] as string, 'sweep.json'), 'utf8')) as { tasks: Array<{ index: number }>; shard: unknown };
    expect(shard1.shard).toEqual({ index: 1, count: 3 });
    expect(shard1.tasks.map((t) => t.index)).toEqual([1, 4, 7, 10, 13]);
  });

  it('rejects overlapping, missing and inconsistent shards and a non-empty output', async () => {
    const [s0, s1, s2] = shardDirs as [string, string, string];
    await expect(mergeShards([s0, s1, s1, s2], tempDir('m1'))).rejects.toThrow(`merge: overlapping shards: ${s1} and ${s1} are both shard 1/3`);
    await expect(mergeShards([s0, s2], tempDir('m2'))).rejects.toThrow('merge: missing shard 1 of 3');
    const other = tempDir('other');
    await runSweep({ tasks: fixtureTasks(3), ...worker, outDir: other, workers: 1, shard: { index: 1, count: 3 } });
    await expect(mergeShards([s0, other, s2], tempDir('m3'))).rejects.toThrow(`merge: ${other} comes from a different sweep than ${s0}`);
    const twoWay = tempDir('two');
    await runSweep({ tasks, ...worker, outDir: twoWay, workers: 1, shard: { index: 1, count: 2 } });
    await expect(mergeShards([s0, twoWay], tempDir('m4'))).rejects.toThrow(`merge: ${twoWay} is shard 1/2 but ${s0} splits the sweep into 3`);
    await expect(mergeShards([s0, s1, s2], unsharded)).rejects.toThrow('is not empty');
    await expect(mergeShards([s0, s1, tempDir('empty')], tempDir('m5'))).rejects.toThrow('has no sweep.json');
  });

  it('rejects a shard whose index was edited to claim tasks of another shard', async () => {
    const forged = tempDir('forged');
    cpSync(shardDirs[1] as string, forged, { recursive: true });
    const path = join(forged, 'sweep.json');
    writeFileSync(path, readFileSync(path, 'utf8').replace('"index": 1,\n      "id": "p0.s2"', '"index": 0,\n      "id": "p0.s2"'));
    await expect(mergeShards([shardDirs[0] as string, forged, shardDirs[2] as string], tempDir('m6'))).rejects.toThrow(
      'lists task 0 (p0.s2), which belongs to shard 0',
    );
  });

  it('rejects a shard whose result no longer matches the hash its index recorded, naming the file', async () => {
    const edited = tempDir('edited');
    cpSync(shardDirs[1] as string, edited, { recursive: true });
    const file = join(edited, 'runs', 'p0.s2.json');
    writeFileSync(file, readFileSync(file, 'utf8').replace(/\d/, '9'));
    await expect(mergeShards([shardDirs[0] as string, edited, shardDirs[2] as string], tempDir('m7'))).rejects.toThrow(
      `merge: ${file} does not match the SHA-256 recorded for it in ${join(edited, 'sweep.json')}`,
    );
  });

  it('a merge of unfinished shards keeps the rest pending, and resume completes it to the unsharded bytes', async () => {
    const root = tempDir('partial');
    const dirs = [0, 1].map((i) => join(root, `shard-${i}`));
    const controller = new AbortController();
    controller.abort(); // shard 1 is stopped before it runs anything
    await runSweep({ tasks, ...worker, outDir: dirs[0] as string, workers: 2, shard: { index: 0, count: 2 } });
    await runSweep({ tasks, ...worker, outDir: dirs[1] as string, workers: 2, shard: { index: 1, count: 2 }, signal: controller.signal });
    const merged = tempDir('merged2');
    expect(await mergeShards(dirs, merged)).toMatchObject({ total: 14, pending: 7 });
    await runSweep({ tasks, ...worker, outDir: merged, workers: 2, resume: true });
    expect(readTree(merged)).toEqual(readTree(unsharded));
  });
});
