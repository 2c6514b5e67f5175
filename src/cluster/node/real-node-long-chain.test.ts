/**
 * A real node keeps only the newest of its accepted blocks in memory and reads
 * older ones from its store (AcceptedChain over ChainStore, SnowmanHost.acceptedStore):
 * two real nodes in this process on 127.0.0.1, node 0 reopening a store of
 * 1,300 accepted blocks (over twice the engine's in-memory window of 2 x 512),
 * node 1 a store of its first 5. Node 1 bootstraps and must get blocks 6..1,300
 * from node 0's GetAncestors answers, most of them read back from node 0's
 * RocksDB; then both accept new blocks on top.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { blockIdOf, GENESIS_ID, txIdOf, type Block } from '../../consensus/snowman/block.js';
import { parseScenarioText } from '../../scenario/load.js';
import { monotonicNs, RunClock } from '../host/clock.js';
import { ChainStore } from '../store/chain-store.js';
import { RealNode } from './real-node.js';
import { testNodeOptions } from './real-node.testkit.js';

const SCENARIO = `
name: real-long-chain
duration: 30s
nodes: {count: 2}
parameters: {k: 2, alphaPreference: 2, alphaConfidence: 2, beta: 1, concurrentRepolls: 1}
network: {latency: {kind: constant, oneWay: 1ms}}
workload: {phases: [{kind: constant, rateTps: 1, duration: 30s}]}
`;
const SEED = 4;
const RUN_TAG = 0x10c;
const LONG = 1_300;

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

const chain: Block[] = [];
for (let h = 1, parent = GENESIS_ID; h <= LONG; h++) {
  const b: Block = { id: blockIdOf(h % 2, h), parent, height: h, proposer: h % 2, txs: [txIdOf(h % 2, h)], sizeBytes: 300, builtAt: h * 1_000 };
  chain.push(b);
  parent = b.id;
}

async function prefill(dir: string, node: number, blocks: readonly Block[]): Promise<void> {
  const s = new ChainStore(join(dir, 'db'));
  await s.open();
  await s.claim({ scenario: 'real-long-chain', seed: SEED, runTag: RUN_TAG, node });
  for (const b of blocks) void s.appendAccepted({ block: b }, []);
  await s.reserve({ blocks: LONG + 1, requests: 0, incarnations: 1 });
  await s.close();
}

async function storedAt(dir: string, heights: readonly number[]): Promise<(number | undefined)[]> {
  const s = new ChainStore(join(dir, 'db'));
  await s.open();
  const ids = heights.map((h) => s.blockAt(h)?.id);
  await s.close();
  return ids;
}

describe('RealNode with a chain longer than its in-memory window', () => {
  it('serves a bootstrapping peer its old blocks from the store and goes on accepting', { timeout: 60_000 }, async () => {
    const scenario = parseScenarioText(SCENARIO).scenario;
    const clock = new RunClock(monotonicNs());
    for (const id of [0, 1]) dirs.push(mkdtempSync(join(tmpdir(), `avsim-long-${id}-`)));
    await prefill(dirs[0]!, 0, chain);
    await prefill(dirs[1]!, 1, chain.slice(0, 5));
    const nodes = [0, 1].map((id) => new RealNode(testNodeOptions({ id, seed: SEED, scenario, runTag: RUN_TAG, dataDir: dirs[id]!, clock })));
    try {
      const ports = await Promise.all(nodes.map((n) => n.open()));
      expect(nodes.map((n) => n.status().height)).toEqual([LONG, 5]);
      for (const n of nodes) n.setPeers(new Map([0, 1].map((id) => [id, { host: '127.0.0.1', port: ports[id]! }])));
      for (let i = 0; i < 100 && nodes.some((n) => (n.status().peers as number[]).length === 0); i++) await sleep(20);
      for (const n of nodes) n.boot();
      for (let i = 0; i < 1_000 && (nodes[1]!.status().height as number) < LONG; i++) await sleep(20);
      expect(nodes[1]!.status().height).toBe(LONG);
      for (let i = 1; i <= 3; i++) expect(nodes[i % 2]!.submit(txIdOf(i % 2, LONG + i), undefined, undefined)).toBe('submitted');
      for (let i = 0; i < 500 && nodes.some((n) => (n.status().height as number) <= LONG); i++) await sleep(20);
      expect(nodes.map((n) => (n.status().height as number) > LONG)).toEqual([true, true]);
    } finally {
      await Promise.all(nodes.map((n) => n.close()));
    }
    const probe = [1, 6, 100, 700, LONG];
    expect(await storedAt(dirs[1]!, probe)).toEqual(probe.map((h) => chain[h - 1]!.id));
  });
});
