/**
 * A real node reports an acceptance (history `chk` / `unit` / `acc` lines,
 * the control API's event stream) only once the block's write batch is
 * durable, so a node killed in between comes back at the height it had
 * reported, never below it. Store writes are slowed down here (each batch
 * completes 120 ms late) so that reporting at acceptance time would be seen.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RocksLevel, type ChainedBatch } from '@nxtedition/rocksdb';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { txIdOf } from '../../consensus/snowman/block.js';
import { parseScenarioText } from '../../scenario/load.js';
import { monotonicNs, RunClock } from '../host/clock.js';
import { ChainStore } from '../store/chain-store.js';
import { RealNode } from './real-node.js';
import { testNodeOptions } from './real-node.testkit.js';

const SCENARIO = `
name: durable-reports
duration: 10s
nodes: {count: 1}
parameters: {k: 1, alphaPreference: 1, alphaConfidence: 1, beta: 1, concurrentRepolls: 1}
network: {latency: {kind: constant, oneWay: 1ms}}
blocks: {minBlockDelay: 20ms, maxTxsPerBlock: 2}
workload: {phases: [{kind: constant, rateTps: 10, duration: 10s}]}
`;
const WRITE_DELAY_MS = 120;

const dirs: string[] = [];
afterEach(() => {
  vi.restoreAllMocks();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('RealNode acceptance reports', () => {
  it('are written only after the accepted block is durable in the store, and the store holds every reported block', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'avsim-durable-'));
    dirs.push(dir);
    const clock = new RunClock(monotonicNs());
    // Height -> run time at which its batch completed (fsynced).
    const durableAt = new Map<number, number>();
    // The store writes chained batches: each one's write() is slowed down, and the heights it holds noted once it completed.
    const real = RocksLevel.prototype.batch as unknown as (this: RocksLevel) => ChainedBatch;
    vi.spyOn(RocksLevel.prototype, 'batch').mockImplementation(function (this: RocksLevel) {
      const b = real.call(this);
      const keys: string[] = [];
      const put = b.put.bind(b);
      const write = b.write.bind(b);
      b.put = (key: string, value: string) => {
        keys.push(key);
        put(key, value);
        return b;
      };
      b.write = async (options?: { sync?: boolean }) => {
        await new Promise((r) => setTimeout(r, WRITE_DELAY_MS));
        await write(options);
        for (const key of keys) {
          const m = /^block\/h\/(\d+)$/.exec(key);
          if (m !== null) durableAt.set(Number(m[1]), clock.nowUs());
        }
      };
      return b;
    } as never);
    const events: string[] = [];
    const node = new RealNode(testNodeOptions({ id: 0, seed: 3, scenario: parseScenarioText(SCENARIO).scenario, runTag: 0x5eed, dataDir: dir, clock, publish: (line) => events.push(line) }));
    try {
      await node.open();
      node.boot();
      for (let i = 1; i <= 8; i++) {
        expect(node.submit(txIdOf(0, i), undefined, undefined)).toBe('submitted');
        await new Promise((r) => setTimeout(r, 40));
      }
      // Wait until the node has accepted every transaction in memory; its reports lag behind the slowed store.
      for (let i = 0; i < 100 && node.status().height === 0; i++) await new Promise((r) => setTimeout(r, 20));
      await new Promise((r) => setTimeout(r, 200));
      expect(node.status().height).toBeGreaterThanOrEqual(2);
    } finally {
      await node.close();
    }
    const lines = readFileSync(join(dir, 'history.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { k: string; t: number; h?: number; in?: { height: number; id: number } });
    const checks = lines.filter((l) => l.k === 'chk');
    const units = lines.filter((l) => l.k === 'unit');
    expect(checks.length).toBeGreaterThanOrEqual(2);
    expect(units.map((u) => u.h)).toEqual(checks.map((c) => c.in?.height));
    expect(lines.filter((l) => l.k === 'acc')).toHaveLength(8);
    for (const c of checks) {
      const h = c.in?.height ?? -1;
      expect(durableAt.has(h), `height ${h} was never written`).toBe(true);
      expect(c.t, `height ${h} reported before its batch was durable`).toBeGreaterThanOrEqual(durableAt.get(h) ?? Infinity);
    }
    // The event stream carries the same lines.
    expect(events.filter((e) => e.startsWith('{"k":"chk"'))).toHaveLength(checks.length);
    const store = new ChainStore(join(dir, 'db'));
    await store.open();
    const chain = await store.chain();
    await store.close();
    expect(chain.map((e) => e.block.id)).toEqual(checks.map((c) => c.in?.id));
  });
});
