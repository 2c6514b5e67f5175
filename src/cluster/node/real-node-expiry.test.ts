/**
 * The real node's handler drops a request handled past its deadline and
 * counts it (drops.expired), as the simulator does, through the same engine
 * code (SnowmanNode.onMessage with the message's arrival time): two real
 * nodes in this process on 127.0.0.1, short request timeouts, and the event
 * loop held busy for longer than the longest timeout while their gossip
 * pull-queries are in flight.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseScenarioText } from '../../scenario/load.js';
import { monotonicNs, RunClock } from '../host/clock.js';
import { RealNode } from './real-node.js';
import { testNodeOptions } from './real-node.testkit.js';
import { handlerReceivedAt } from './receive-queue.js';

const SCENARIO = `
name: real-expiry
duration: 10s
nodes: {count: 2}
parameters: {k: 2, alphaPreference: 2, alphaConfidence: 2, beta: 1, concurrentRepolls: 1}
network: {latency: {kind: constant, oneWay: 200ms}}
networking: {timeout: {initial: 300ms, minimum: 200ms, maximum: 1s}}
workload: {phases: [{kind: constant, rateTps: 1, duration: 10s}]}
`;

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const historyOf = (i: number): Array<{ k: string; cnt?: Record<string, number> }> =>
  readFileSync(join(dirs[i]!, 'history.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { k: string; cnt?: Record<string, number> });

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('handlerReceivedAt', () => {
  it('is the emulated arrival, never before the send nor after the read, plus the download', () => {
    // Read on time: the download (ready - now) only.
    expect(handlerReceivedAt(1_000, 1_050, 800, 1_000)).toBe(1_050);
    // Read 3 s late by a busy loop: the wait counts from the emulated arrival.
    expect(handlerReceivedAt(4_000_000, 4_000_050, 800_000, 1_000_000)).toBe(1_000_050);
    // A frame written late by its sender does not count as waiting here before it was sent.
    expect(handlerReceivedAt(4_000_000, 4_000_000, 3_999_000, 1_000_000)).toBe(3_999_000);
    // An intended arrival in the future (clock read earlier): now.
    expect(handlerReceivedAt(1_000, 1_000, 900, 5_000)).toBe(1_000);
  });
});

describe('RealNode message expiry', () => {
  it('drops requests handled after their deadline and counts drops.expired in its stats', { timeout: 20_000 }, async () => {
    const scenario = parseScenarioText(SCENARIO).scenario;
    const clock = new RunClock(monotonicNs());
    const nodes = [0, 1].map((id) => {
      const dir = mkdtempSync(join(tmpdir(), `avsim-expiry-${id}-`));
      dirs.push(dir);
      return new RealNode(testNodeOptions({ id, seed: 5, scenario, runTag: 0xe4, dataDir: dir, clock }));
    });
    try {
      const ports = await Promise.all(nodes.map((n) => n.open()));
      for (const n of nodes) n.setPeers(new Map([0, 1].map((id) => [id, { host: '127.0.0.1', port: ports[id]! }])));
      for (let i = 0; i < 100 && nodes.some((n) => (n.status().peers as number[]).length === 0); i++) await sleep(20);
      for (const n of nodes) n.boot();
      // Idle nodes gossip a pull-query every 100 ms, each 200 ms on the emulated wire: some are always in flight.
      await sleep(1_500);
      const held = monotonicNs();
      while (monotonicNs() - held < 1_500_000_000n) {
        // Busy: the frames due meanwhile are written and read only afterwards, past every deadline (≤ 1 s).
      }
      await sleep(600);
    } finally {
      await Promise.all(nodes.map((n) => n.close()));
    }
    // dirs holds this test's two data dirs (afterEach removes them).
    const expired = [0, 1].map((i) => historyOf(i).filter((r) => r.k === 'stats').at(-1)?.cnt?.['drops.expired'] ?? 0);
    expect(expired[0]! + expired[1]!).toBeGreaterThan(0);
  });
});
