/**
 * Sharded engines, driven in one thread in conservative windows, give the
 * whole run's trace hash, event count and per-node statistics, whatever the
 * layout. (The Piscina version lives in src/parallel/sharded; this pins the
 * engine's half of the contract.)
 */
import { describe, expect, it } from 'vitest';
import { TraceHasher } from './hash.js';
import { simblock2019Profile } from './latency.js';
import { PingNode, pingModel, type PingMsg } from './ping-node.js';
import { Simulation } from './simulation.js';
import type { NetworkCounters, NodeStats, RunResult, ShardConfig } from './types.js';

const NODES = 30;

function pingSim(shard?: ShardConfig): Simulation<PingMsg, number> {
  const sim = new Simulation<PingMsg, number>(
    {
      seed: 11,
      nodeCount: NODES,
      durationUs: 3_000_000,
      network: {
        latency: simblock2019Profile(),
        bandwidth: { kind: 'uniform', uploadBitsPerSec: 20e6, downloadBitsPerSec: 50e6 },
        lossProbability: 0.01,
        duplicateProbability: 0.01,
      },
      limits: { maxEvents: 1_000_000, maxPendingEvents: 100_000, nodeQueueCapacity: 1_000 },
      ...(shard === undefined ? {} : { shard }),
    },
    pingModel({ pingBytes: 300, pongBytes: 3309, cpuCostUs: 200 }),
    (h) => new PingNode(h, { nodeCount: NODES, pingsInFlight: 2, timerPeriodUs: 250_000 }),
  );
  let k = 0;
  if (sim.isLocal(3)) sim.addClientSource(3, { next: () => (k < 20 ? { at: 100_000 * ++k, request: k } : undefined) });
  sim.scheduleFault(500_000, { kind: 'crash', node: 5 });
  sim.scheduleFault(900_000, { kind: 'restart', node: 5 });
  sim.scheduleFault(1_000_000, { kind: 'partition', grudge: { kind: 'split', groups: [[0, 1, 2, 3, 4, 5], [6, 7, 8, 9]] } });
  sim.scheduleFault(1_500_000, { kind: 'heal' });
  sim.scheduleFault(1_600_000, { kind: 'pause', node: 7, durationUs: 200_000 });
  sim.scheduleFault(2_000_000, { kind: 'add-delay', extraUs: 20_000, nodes: [1, 2] });
  return sim;
}

interface Merged {
  hash: string;
  events: number;
  endTimeUs: number;
  nodes: Record<string, number[]>;
  network: NetworkCounters;
}

function plain(r: RunResult): Merged {
  return {
    hash: r.traceHash,
    events: r.events,
    endTimeUs: r.endTimeUs,
    nodes: Object.fromEntries(Object.entries(r.nodes).map(([k, v]) => [k, Array.from(v as ArrayLike<number>)])),
    network: r.network,
  };
}

/** Runs the shards in windows of the lookahead, exchanging outboxes at each barrier, and merges. */
function runSharded(ownerOf: Uint8Array, shards: number): Merged {
  const sims = Array.from({ length: shards }, (_, self) => pingSim({ ownerOf, self, shards }));
  const lookahead = sims[0]!.minLatencyUs;
  let windows = 0;
  for (let t = 0; ; t += lookahead) {
    const statuses = sims.map((s) => s.runUntil(t + lookahead - 1));
    windows++;
    for (const from of sims) {
      for (let to = 0; to < shards; to++) {
        const b = from.takeOutbox(to);
        for (let i = 0; i < b.time.length; i++) sims[to]!.deliverRemote(b.time[i]!, b.tie[i]!, b.seq[i]!, b.sizeBytes[i]!, b.msg[i]!);
      }
    }
    if (statuses.every((s) => s.kind !== 'running')) break;
  }
  expect(windows).toBeGreaterThan(100);
  const results = sims.map((s) => s.result());
  const hasher = new TraceHasher(NODES + 1);
  for (const s of sims) hasher.absorb(s.traceLanes());
  const nodes: Record<string, number[]> = {};
  for (const key of Object.keys(results[0]!.nodes) as (keyof NodeStats)[]) {
    nodes[key] = Array.from({ length: NODES }, (_, i) => results.reduce((sum, r) => sum + r.nodes[key][i]!, 0));
  }
  const network = { droppedLoss: 0, droppedPartition: 0, droppedCrashed: 0, duplicated: 0 };
  for (const r of results) for (const k of Object.keys(network) as (keyof NetworkCounters)[]) network[k] += r.network[k];
  return { hash: hasher.digest(), events: results.reduce((s, r) => s + r.events, 0), endTimeUs: Math.max(...results.map((r) => r.endTimeUs)), nodes, network };
}

describe('sharded engines', () => {
  const whole = plain(pingSim().run());

  it('the whole run is the pinned one (faults, loss, duplicates, partition all happen)', () => {
    expect(whole.hash).toBe('20e73fa3386de53e');
    expect(whole.events).toBe(10191);
    expect(whole.network.droppedPartition).toBeGreaterThan(0);
    expect(whole.network.duplicated).toBeGreaterThan(0);
  });

  it.each([
    ['2 shards, alternating', 2, (i: number) => i % 2],
    ['2 shards, halves', 2, (i: number) => (i < 15 ? 0 : 1)],
    ['3 shards, round robin', 3, (i: number) => i % 3],
    ['4 shards, uneven', 4, (i: number) => (i < 3 ? 0 : i < 20 ? 1 : i < 22 ? 2 : 3)],
  ])('%s: same hash, events and per-node stats as the whole run', (_name, shards, owner) => {
    const ownerOf = Uint8Array.from({ length: NODES }, (_, i) => owner(i));
    expect(runSharded(ownerOf, shards)).toEqual(whole);
  });

  it('rejects an arrival in the shard’s past (a lookahead violation)', () => {
    const ownerOf = Uint8Array.from({ length: NODES }, (_, i) => i % 2);
    const sim = pingSim({ ownerOf, self: 0, shards: 2 });
    sim.runUntil(10_000);
    expect(() => sim.deliverRemote(5_000, (1 << 28) | (2 << 14) | 1, 0, 100, 1)).toThrow(/lookahead violated/);
  });

  it('rejects a client source or a delivery for a node of another shard', () => {
    const ownerOf = Uint8Array.from({ length: NODES }, (_, i) => i % 2);
    const sim = pingSim({ ownerOf, self: 0, shards: 2 });
    expect(() => sim.addClientSource(1, { next: () => undefined })).toThrow(/addClientSource.node: must be a node of this shard/);
    expect(() => sim.deliverRemote(50_000, (1 << 28) | (1 << 14) | 2, 0, 100, 1)).toThrow(/not an arrival at a node of shard 0/);
  });

  it('validates the layout', () => {
    expect(() => pingSim({ ownerOf: new Uint8Array(NODES).fill(2), self: 0, shards: 2 })).toThrow(/shard.ownerOf\[0\]: must be a shard index in \[0, 2\)/);
    expect(() => pingSim({ ownerOf: new Uint8Array(3), self: 0, shards: 2 })).toThrow(/shard.ownerOf: must have one entry per node \(30\)/);
  });
});
