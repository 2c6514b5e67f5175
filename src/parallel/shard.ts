import type { SweepTask } from './task.js';

/** One shard of a sweep: the tasks whose index mod `count` equals `index` (0-based, like JOB_COMPLETION_INDEX). */
export interface ShardSpec {
  index: number;
  count: number;
}

/** Limit on shards per sweep (a Kubernetes Indexed Job allows up to 100,000 completions). */
export const MAX_SHARDS = 100_000;

/** Parses `I/N` (e.g. `3/8`, I from 0). Errors name the flag and the rule. */
export function parseShard(spec: string): ShardSpec {
  const match = /^(\d+)\/(\d+)$/.exec(spec.trim());
  if (!match) throw new Error(`--shard: "${spec}" must be I/N with integers 0 <= I < N, e.g. 0/4 or $JOB_COMPLETION_INDEX/4`);
  return validateShard({ index: Number(match[1]), count: Number(match[2]) });
}

export function validateShard(shard: ShardSpec): ShardSpec {
  if (!Number.isSafeInteger(shard.count) || shard.count < 1 || shard.count > MAX_SHARDS) {
    throw new Error(`--shard: N must be an integer in 1..${MAX_SHARDS} (got ${shard.count})`);
  }
  if (!Number.isSafeInteger(shard.index) || shard.index < 0 || shard.index >= shard.count) {
    throw new Error(`--shard: I must be an integer with 0 <= I < N=${shard.count} (got ${shard.index})`);
  }
  return shard;
}

/** The tasks of one shard, in sweep order. Deterministic: depends only on task indices. */
export function selectShard<T extends SweepTask>(tasks: readonly T[], shard: ShardSpec): T[] {
  return tasks.filter((t) => t.index % shard.count === shard.index);
}
