/**
 * A booting real node reads a bounded part of its store, not the whole chain: meta/last (the last accepted block and
 * the chain's running totals) and the blocks from the history's last reported height, or the engine's in-memory
 * window, to the top. A store of 6,000 accepted blocks; the boot must read the window's 512, get the height and the
 * metrics totals right, and still report what a kill between fsync and report left unreported.
 */
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
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
name: real-boot-reads
duration: 30s
nodes: {count: 2}
parameters: {k: 2, alphaPreference: 2, alphaConfidence: 2, beta: 1, concurrentRepolls: 1}
network: {latency: {kind: constant, oneWay: 1ms}}
workload: {phases: [{kind: constant, rateTps: 1, duration: 30s}]}
`;
const SEED = 4;
const RUN_TAG = 0x10d;
const LONG = 6_000;
const WINDOW = 512;

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const chain: Block[] = [];
for (let h = 1, parent = GENESIS_ID; h <= LONG; h++) {
  const b: Block = { id: blockIdOf(0, h), parent, height: h, proposer: 0, txs: [txIdOf(0, 2 * h), txIdOf(0, 2 * h + 1)], sizeBytes: 300 + (h % 7), builtAt: h * 1_000 };
  chain.push(b);
  parent = b.id;
}

/** A node 0 data directory: the store holds the whole chain, the history reported it up to `reported`. */
async function prefill(reported: number, outstanding: readonly number[]): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'avsim-boot-reads-'));
  dirs.push(dir);
  const s = new ChainStore(join(dir, 'db'), { sync: false });
  await s.open();
  await s.claim({ scenario: 'real-boot-reads', seed: SEED, runTag: RUN_TAG, node: 0 });
  for (const b of chain) void s.appendAccepted({ block: b }, []);
  await s.reserve({ blocks: LONG + 1, requests: 0, incarnations: 1 });
  await s.close();
  mkdirSync(dir, { recursive: true });
  const hist = join(dir, 'history.jsonl');
  appendFileSync(hist, `${JSON.stringify({ k: 'boot', n: 0, t: 0, inc: 1, h: 0, last: 0 })}\n`);
  for (const tx of outstanding) appendFileSync(hist, `${JSON.stringify({ k: 'sub', n: 0, t: 500, tx })}\n`);
  const b = chain[reported - 1]!;
  appendFileSync(hist, `${JSON.stringify({ k: 'chk', n: 0, t: 9_000, in: { id: b.id, height: b.height, parent: b.parent, txs: b.txs } })}\n`);
  return dir;
}

async function boot(dir: string): Promise<{ log: string[]; metrics: string; height: unknown }> {
  const scenario = parseScenarioText(SCENARIO).scenario;
  const log: string[] = [];
  const node = new RealNode({ ...testNodeOptions({ id: 0, seed: SEED, scenario, runTag: RUN_TAG, dataDir: dir, clock: new RunClock(monotonicNs()) }), log: (l) => log.push(l) });
  try {
    await node.open();
    const metrics = await (await fetch(`http://127.0.0.1:${node.metricsPort}/metrics`)).text();
    return { log, metrics, height: node.status().height };
  } finally {
    await node.close();
  }
}

const metric = (text: string, name: string): number => Number(new RegExp(`^${name}\\{[^}]*\\} (\\S+)$`, 'm').exec(text)?.[1]);

describe('RealNode boot on a long stored chain', () => {
  it('reads the in-memory window, not the chain, and takes the totals from meta/last', { timeout: 60_000 }, async () => {
    const dir = await prefill(LONG, []);
    const r = await boot(dir);
    expect(r.height).toBe(LONG);
    expect(r.log.find((l) => l.includes('incarnation'))).toMatch(new RegExp(`restored ${LONG} accepted blocks \\(read ${WINDOW}\\)`));
    expect(metric(r.metrics, 'avsim_blks_accepted_count')).toBe(LONG);
    expect(metric(r.metrics, 'avsim_txs_accepted_count')).toBe(2 * LONG);
    expect(metric(r.metrics, 'avsim_blks_accepted_container_size_sum')).toBe(chain.reduce((a, b) => a + b.sizeBytes, 0));
  });

  it('still reports the durable blocks and client transactions a kill left unreported', { timeout: 60_000 }, async () => {
    // Reported up to 5,990; a client tx of block 5,995 was outstanding (its acc line lost), one of block 10 was reported.
    const lost = chain[5_995 - 1]!.txs[1]!;
    const dir = await prefill(5_990, [lost]);
    const r = await boot(dir);
    expect(r.log.find((l) => l.includes('incarnation'))).toMatch(new RegExp(`\\(read ${WINDOW}\\)`));
    const lines = readFileSync(join(dir, 'history.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { k: string; in?: { height: number }; tx?: number });
    expect(lines.filter((l) => l.k === 'chk').map((l) => l.in?.height)).toEqual(Array.from({ length: 11 }, (_, i) => 5_990 + i));
    expect(lines.filter((l) => l.k === 'acc').map((l) => l.tx)).toEqual([lost]);
  });
});
