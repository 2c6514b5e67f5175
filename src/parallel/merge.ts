import { existsSync } from 'node:fs';
import { readFile, readdir } from 'node:fs/promises';
import { makeDir } from '../io/make-dir.js';
import { join, resolve } from 'node:path';
import { writeFileAtomic } from './atomic-write.js';
import {
  FAILURES_DIR,
  INDEX_FILE,
  RUNS_DIR,
  buildIndex,
  readIndex,
  writeIndex,
  type SweepIndex,
  type SweepIndexEntry,
} from './sweep-index.js';
import { contentHash } from './result-hashes.js';
import { tasksHash, type SweepTask } from './task.js';

export interface MergeResult {
  outDir: string;
  indexPath: string;
  shards: number;
  total: number;
  done: number;
  failed: number;
  pending: number;
  complete: boolean;
}

/**
 * Combines the shard directories of one sweep into outDir, writing exactly what
 * an unsharded sweep writes: the same runs/ and failures/ files byte for byte and
 * the same sweep.json. Every shard 0..N-1 must be there exactly once and all must
 * come from the same sweep (same tasks hash). Unfinished tasks stay pending, so
 * `--resume` on the merged directory can finish them.
 */
export async function mergeShards(dirs: readonly string[], outDir: string): Promise<MergeResult> {
  if (dirs.length === 0) throw new Error('merge: give at least one shard directory');
  const shards: Array<{ dir: string; index: SweepIndex }> = [];
  for (const dir of dirs) {
    const index = await readIndex(dir);
    if (index === null) throw new Error(`merge: ${dir} has no ${INDEX_FILE}; it is not a sweep directory`);
    shards.push({ dir, index });
  }
  const first = shards[0] as { dir: string; index: SweepIndex };
  const count = first.index.shard?.count ?? 1;
  const byShard = new Map<number, string>();
  for (const { dir, index } of shards) {
    if (index.tasksHash !== first.index.tasksHash || index.totalTasks !== first.index.totalTasks) {
      throw new Error(
        `merge: ${dir} comes from a different sweep than ${first.dir} (tasks hash ${index.tasksHash.slice(0, 12)} != ${first.index.tasksHash.slice(0, 12)})`,
      );
    }
    const shard = index.shard ?? { index: 0, count: 1 };
    if (shard.count !== count) throw new Error(`merge: ${dir} is shard ${shard.index}/${shard.count} but ${first.dir} splits the sweep into ${count}`);
    const other = byShard.get(shard.index);
    if (other !== undefined) throw new Error(`merge: overlapping shards: ${other} and ${dir} are both shard ${shard.index}/${count}`);
    byShard.set(shard.index, dir);
  }
  const missing: number[] = [];
  for (let i = 0; i < count; i += 1) if (!byShard.has(i)) missing.push(i);
  if (missing.length > 0) throw new Error(`merge: missing shard${missing.length > 1 ? 's' : ''} ${missing.join(', ')} of ${count}`);

  // The union must be the whole sweep, each task once, in the shard its index belongs to.
  const entries: SweepIndexEntry[] = [];
  const seen = new Map<number, string>();
  for (const { dir, index } of shards) {
    const shard = index.shard ?? { index: 0, count: 1 };
    for (const entry of index.tasks) {
      if (entry.index % count !== shard.index) throw new Error(`merge: ${dir} lists task ${entry.index} (${entry.id}), which belongs to shard ${entry.index % count}`);
      const other = seen.get(entry.index);
      if (other !== undefined) throw new Error(`merge: task ${entry.index} (${entry.id}) is in both ${other} and ${dir}`);
      seen.set(entry.index, dir);
      entries.push(entry);
    }
  }
  entries.sort((a, b) => a.index - b.index);
  const tasks: SweepTask[] = entries.map((e) => ({ index: e.index, id: e.id, seed: e.seed, point: e.point, payload: e.payload, repro: e.repro }));
  if (entries.length !== first.index.totalTasks || tasks.some((t, i) => t.index !== i) || tasksHash(tasks) !== first.index.tasksHash) {
    throw new Error(`merge: the shards' tasks do not add up to the sweep they name (${entries.length} of ${first.index.totalTasks} tasks, or edited indexes)`);
  }

  const out = resolve(outDir);
  if (existsSync(out) && (await readdir(out)).length > 0) throw new Error(`merge: --out ${out} is not empty; choose an empty or new directory`);
  makeDir(join(out, RUNS_DIR), 'merge: --out');
  makeDir(join(out, FAILURES_DIR), 'merge: --out');
  for (const entry of entries) {
    const dir = seen.get(entry.index) as string;
    for (const rel of [entry.result, entry.failure]) {
      if (rel === null) continue;
      const source = join(dir, rel);
      if (!existsSync(source)) throw new Error(`merge: ${source} is listed in ${join(dir, INDEX_FILE)} but missing`);
      const text = await readFile(source, 'utf8');
      if (rel === entry.result && entry.sha256 !== null && contentHash(text) !== entry.sha256) {
        throw new Error(`merge: ${source} does not match the SHA-256 recorded for it in ${join(dir, INDEX_FILE)} (truncated or edited since the sweep wrote it); re-run it with avsim sweep --resume on that shard`);
      }
      // Copy bytes unchanged (through an atomic write) so merged files equal unsharded ones.
      await writeFileAtomic(join(out, rel), text);
    }
  }
  const merged = buildIndex(first.index.tasksHash, first.index.totalTasks, null, entries);
  await writeIndex(out, merged);
  return {
    outDir: out,
    indexPath: join(out, INDEX_FILE),
    shards: count,
    total: merged.tasks.length,
    done: merged.counts.done,
    failed: merged.counts.failed,
    pending: merged.counts.pending,
    complete: merged.complete,
  };
}
