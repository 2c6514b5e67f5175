import { describe, expect, it } from 'vitest';
import { parseShard, selectShard } from './shard.js';
import { fixtureTasks } from './test-fixtures/fixture-sweep.js';

describe('shards', () => {
  it('parses I/N with I from 0', () => {
    expect(parseShard('0/4')).toEqual({ index: 0, count: 4 });
    expect(parseShard(' 3/4 ')).toEqual({ index: 3, count: 4 });
  });

  it('rejects malformed and out-of-range shards with the rule', () => {
    expect(() => parseShard('4/4')).toThrow('--shard: I must be an integer with 0 <= I < N=4 (got 4)');
    expect(() => parseShard('0/0')).toThrow('--shard: N must be an integer in 1..100000 (got 0)');
    expect(() => parseShard('1-4')).toThrow('--shard: "1-4" must be I/N');
    expect(() => parseShard('/4')).toThrow('must be I/N');
  });

  it('selects index mod N: disjoint shards whose union is the sweep', () => {
    const tasks = fixtureTasks(5); // 10 tasks
    const shards = [0, 1, 2].map((index) => selectShard(tasks, { index, count: 3 }).map((t) => t.index));
    expect(shards).toEqual([
      [0, 3, 6, 9],
      [1, 4, 7],
      [2, 5, 8],
    ]);
  });
});
