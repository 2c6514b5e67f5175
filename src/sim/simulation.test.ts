import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Host, HostedNode } from '../consensus/host.js';
import { simblock2019Profile } from './latency.js';
import type { NetworkConfig } from './network.js';
import { PingNode, pingModel, type PingMsg } from './ping-node.js';
import { Simulation } from './simulation.js';
import { JsonLinesTraceFile } from './trace-file.js';
import type { ClientSource, MessageModel, RunResult, SimLimits } from './types.js';

/** Test message: its size, and the time it was sent (to see what got through). */
interface Msg {
  bytes: number;
  sentAt: number;
}

const LIMITS: SimLimits = { maxEvents: 1_000_000, maxPendingEvents: 100_000, nodeQueueCapacity: 1_000 };

function msgModel(cpuCostUs: number): MessageModel<Msg> {
  return { sizeBytes: (m) => m.bytes, cpuCost: () => cpuCostUs, typeTag: () => 7, describe: (m) => ({ sentAt: m.sentAt }) };
}

interface Hooks {
  start?(h: Host<Msg>): void;
  message?(h: Host<Msg>, from: number, m: Msg): void;
  timer?(h: Host<Msg>, tag: number): void;
  restart?(h: Host<Msg>): void;
}

/** A scripted node that logs what it sees, with the virtual time. */
class ScriptNode implements HostedNode<Msg, string> {
  readonly received: Array<{ at: number; from: number; sentAt: number }> = [];
  readonly timers: number[] = [];
  readonly clients: Array<{ at: number; req: string }> = [];
  constructor(private readonly h: Host<Msg>, private readonly hooks: Hooks) {}
  onStart(): void {
    this.hooks.start?.(this.h);
  }
  onMessage(from: number, m: Msg): void {
    this.received.push({ at: this.h.now(), from, sentAt: m.sentAt });
    this.hooks.message?.(this.h, from, m);
  }
  onTimer(tag: number): void {
    this.timers.push(this.h.now());
    this.hooks.timer?.(this.h, tag);
  }
  onClient(req: string): void {
    this.clients.push({ at: this.h.now(), req });
  }
  onCrash(): void {}
  onRestart(): void {
    this.hooks.restart?.(this.h);
  }
}

function scripted(
  nodeCount: number,
  network: NetworkConfig,
  cpuCostUs: number,
  hooks: (id: number) => Hooks,
  opts: { durationUs?: number; limits?: Partial<SimLimits> } = {},
): { sim: Simulation<Msg, string>; nodes: ScriptNode[] } {
  const nodes: ScriptNode[] = [];
  const sim = new Simulation<Msg, string>(
    { seed: 1, nodeCount, durationUs: opts.durationUs ?? 1_000_000, network, limits: { ...LIMITS, ...opts.limits } },
    msgModel(cpuCostUs),
    (h) => {
      const n = new ScriptNode(h, hooks(h.id));
      nodes.push(n);
      return n;
    },
  );
  return { sim, nodes };
}

const FAST: NetworkConfig = {
  latency: { kind: 'constant', latencyUs: 1000 },
  bandwidth: { kind: 'uniform', uploadBitsPerSec: Infinity, downloadBitsPerSec: Infinity },
};

/** Node 0 sends one message to node 1 every 10 ms (first at 10 ms). */
function ticker(id: number, extra: Hooks = {}): Hooks {
  if (id !== 0) return extra;
  return {
    start: (h) => h.setTimer(10_000, 1),
    timer: (h) => {
      h.send(1, { bytes: 100, sentAt: h.now() });
      h.setTimer(10_000, 1);
    },
  };
}

describe('bandwidth and CPU: worked examples exact to the µs', () => {
  it('two back-to-back messages on a serialised uplink', () => {
    // 1250 B at 1 Mbit/s upload = 10,000 µs each; latency 5,000 µs; 1250 B at
    // 10 Mbit/s download = 1,000 µs; CPU 100 µs.
    // msg 1: uplink 0-10,000, arrives 15,000, downlink to 16,000, processed 16,100.
    // msg 2: uplink 10,000-20,000, arrives 25,000, downlink to 26,000, processed 26,100.
    const { sim, nodes } = scripted(
      2,
      {
        latency: { kind: 'constant', latencyUs: 5000 },
        bandwidth: { kind: 'per-node', uploadBitsPerSec: [1e6, 1e6], downloadBitsPerSec: [10e6, 10e6] },
      },
      100,
      (id) => (id === 0 ? { start: (h) => [1, 2].forEach((i) => h.send(1, { bytes: 1250, sentAt: i })) } : {}),
    );
    const r = sim.run();
    expect(nodes[1]!.received.map((x) => x.at)).toEqual([16_100, 26_100]);
    expect(r.nodes.bytesSent[0]).toBe(2500);
    expect(r.nodes.bytesReceived[1]).toBe(2500);
    expect(r.outcome).toEqual({ kind: 'completed', endedBy: 'drained' });
  });

  it('a serialised downlink and a busy CPU queue (with local work charged)', () => {
    // Nodes 0 and 2 each send 1250 B to node 1 at t=0: 1 Mbit/s everywhere, latency 5,000.
    // Both arrive at 15,000; node 1's downlink takes them in order src 0 then src 2:
    // ready at 25,000 and 35,000. CPU 15,000 µs each; the first handler charges 1,000 µs.
    // msg A: service 25,000-40,000 (delay 0); handler charges 1,000 -> CPU free at 41,000.
    // msg B: ready 35,000, service 41,000-56,000 (queue delay 6,000).
    const { sim, nodes } = scripted(
      3,
      {
        latency: { kind: 'constant', latencyUs: 5000 },
        bandwidth: { kind: 'uniform', uploadBitsPerSec: 1e6, downloadBitsPerSec: 1e6 },
      },
      15_000,
      (id) => {
        if (id === 1) return { message: (h, _f, m) => (m.sentAt === 0 ? h.chargeCpu(1000) : undefined) };
        return { start: (h) => h.send(1, { bytes: 1250, sentAt: id }) };
      },
    );
    const r = sim.run();
    expect(nodes[1]!.received.map((x) => [x.at, x.from])).toEqual([
      [40_000, 0],
      [56_000, 2],
    ]);
    expect(r.nodes.queueDelayUsSum[1]).toBe(6000);
    expect(r.nodes.cpuBusyUs[1]).toBe(31_000);
    expect(r.nodes.processed[1]).toBe(2);
  });

  it('sends made after local work leave when that work is done', () => {
    // Node 0 charges 3,000 µs then sends: uplink starts at 3,000, latency 1,000 -> 4,000.
    const { sim, nodes } = scripted(2, FAST, 0, (id) =>
      id === 0
        ? {
            start: (h) => {
              h.chargeCpu(3000);
              h.send(1, { bytes: 10, sentAt: 0 });
            },
          }
        : {},
    );
    sim.run();
    expect(nodes[1]!.received.map((x) => x.at)).toEqual([4000]);
  });
});

describe('partitions', () => {
  it('a partitioned message is dropped; one sent after heal is delivered', () => {
    const { sim, nodes } = scripted(2, FAST, 0, (id) => ticker(id), { durationUs: 50_000 });
    sim.scheduleFault(0, { kind: 'partition', grudge: { kind: 'split', groups: [[0], [1]] } });
    sim.scheduleFault(25_000, { kind: 'heal' });
    const r = sim.run();
    expect(nodes[1]!.received.map((x) => x.sentAt)).toEqual([30_000, 40_000]);
    expect(r.network.droppedPartition).toBe(2);
  });

  it('a one-way grudge drops only its direction', () => {
    const { sim, nodes } = scripted(
      2,
      FAST,
      0,
      (id) => ({ start: (h) => h.send(1 - id, { bytes: 1, sentAt: id }) }),
    );
    sim.scheduleFault(0, { kind: 'partition', grudge: { kind: 'one-way', from: [0], to: [1] } });
    // The fault is applied at t=0 after onStart: schedule sends via a second round.
    const r = sim.run();
    // onStart ran before the fault, so both first messages went through.
    expect(nodes[0]!.received.length + nodes[1]!.received.length).toBe(2);
    expect(r.network.droppedPartition).toBe(0);

    const b = scripted(2, FAST, 0, (id) => ({
      start: (h) => h.setTimer(10, 0),
      timer: (h) => h.send(1 - id, { bytes: 1, sentAt: id }),
    }));
    b.sim.scheduleFault(0, { kind: 'partition', grudge: { kind: 'one-way', from: [0], to: [1] } });
    const rb = b.sim.run();
    expect(b.nodes[1]!.received).toEqual([]);
    expect(b.nodes[0]!.received.map((x) => x.from)).toEqual([1]);
    expect(rb.network.droppedPartition).toBe(1);
  });
});

describe('Host.connectivityVersion', () => {
  it('moves when a crash, restart, partition or heal takes effect, and only then', () => {
    // Node 0 samples, every 5 ms, its version and what isConnected says of node 1.
    const seen: Array<[number, number, boolean]> = [];
    const { sim } = scripted(3, FAST, 0, (id) =>
      id === 0
        ? {
            start: (h) => h.setTimer(0, 0),
            timer: (h) => {
              seen.push([h.now(), h.connectivityVersion!(), h.isConnected(1)]);
              h.setTimer(5_000, 0);
            },
          }
        : {},
      { durationUs: 40_000 },
    );
    sim.scheduleFault(10_000, { kind: 'crash', node: 1 });
    sim.scheduleFault(20_000, { kind: 'restart', node: 1 });
    sim.scheduleFault(25_000, { kind: 'partition', grudge: { kind: 'split', groups: [[0], [1, 2]] } });
    sim.scheduleFault(35_000, { kind: 'heal' });
    sim.run();
    // Equal versions must mean equal answers; every change of answer must come with a new version.
    for (let i = 1; i < seen.length; i++) {
      const [, v0, c0] = seen[i - 1]!;
      const [, v1, c1] = seen[i]!;
      if (v0 === v1) expect(c1).toBe(c0);
    }
    expect(seen.map(([t, , c]) => [t, c])).toEqual([
      [0, true], [5_000, true], [10_000, false], [15_000, false], [20_000, true],
      [25_000, false], [30_000, false], [35_000, true], [40_000, true],
    ]);
    const versions = seen.map(([, v]) => v);
    // Constant between faults, a new value at each of the four.
    expect(new Set(versions).size).toBe(5);
    expect(versions[0]).toBe(versions[1]);
    expect(versions[2]).toBe(versions[3]);
    expect(versions[5]).toBe(versions[6]);
    expect(versions[7]).toBe(versions[8]);
  });
});

describe('crash, restart and pause', () => {
  it('a crashed node processes nothing until restart; its timers are discarded', () => {
    const clients: ClientSource<string> = (() => {
      const reqs = [
        { at: 20_000, request: 'during-crash' },
        { at: 50_000, request: 'after-restart' },
      ];
      let i = 0;
      return { next: () => reqs[i++] };
    })();
    const { sim, nodes } = scripted(
      2,
      FAST,
      0,
      (id) =>
        id === 1
          ? {
              start: (h) => h.setTimer(10_000, 2),
              timer: (h) => h.setTimer(10_000, 2),
              restart: (h) => h.setTimer(10_000, 2),
            }
          : ticker(id),
      { durationUs: 70_000 },
    );
    sim.addClientSource(1, clients);
    sim.scheduleFault(15_000, { kind: 'crash', node: 1 });
    sim.scheduleFault(45_000, { kind: 'restart', node: 1 });
    const r = sim.run();
    const n1 = nodes[1]!;
    expect(n1.received.map((x) => x.sentAt)).toEqual([10_000, 50_000, 60_000]);
    expect(n1.received.every((x) => x.at < 15_000 || x.at >= 45_000)).toBe(true);
    expect(n1.timers).toEqual([10_000, 55_000, 65_000]);
    expect(n1.clients).toEqual([{ at: 50_000, req: 'after-restart' }]);
    expect(r.network.droppedCrashed).toBe(3); // sent at 20, 30 and 40 ms
    expect(r.nodes.clientDropped[1]).toBe(1);
  });

  it('a paused node queues arrivals and runs due timers when the pause ends', () => {
    const { sim, nodes } = scripted(
      2,
      FAST,
      0,
      (id) => (id === 1 ? { start: (h) => h.setTimer(10_000, 3), timer: (h) => h.setTimer(10_000, 3) } : ticker(id)),
      { durationUs: 50_000 },
    );
    sim.scheduleFault(15_000, { kind: 'pause', node: 1, durationUs: 20_000 });
    sim.run();
    const n1 = nodes[1]!;
    expect(n1.received.map((x) => [x.at, x.sentAt])).toEqual([
      [11_000, 10_000],
      [35_000, 20_000],
      [35_000, 30_000],
      [41_000, 40_000],
    ]);
    expect(n1.timers).toEqual([10_000, 35_000, 45_000]);
  });

  it('client requests due during a pause come in, in order, when the pause ends (several of them)', () => {
    const reqs = [10_000, 20_000, 25_000, 30_000, 40_000].map((at) => ({ at, request: `r${at}` }));
    let i = 0;
    const { sim, nodes } = scripted(2, FAST, 0, () => ({}), { durationUs: 50_000 });
    sim.addClientSource(1, { next: () => reqs[i++] });
    sim.scheduleFault(15_000, { kind: 'pause', node: 1, durationUs: 20_000 });
    const r = sim.run();
    expect(r.outcome.kind).toBe('completed');
    expect(nodes[1]!.clients).toEqual([
      { at: 10_000, req: 'r10000' },
      { at: 35_000, req: 'r20000' },
      { at: 35_000, req: 'r25000' },
      { at: 35_000, req: 'r30000' },
      { at: 40_000, req: 'r40000' },
    ]);
  });
});

function pingSim(seed: number, extra: { limits?: Partial<SimLimits>; durationUs?: number; cpuCostUs?: number; pings?: number } = {}) {
  const nodeCount = 30;
  const sim = new Simulation<PingMsg, number>(
    {
      seed,
      nodeCount,
      durationUs: extra.durationUs ?? 3_000_000,
      network: {
        latency: simblock2019Profile(),
        bandwidth: { kind: 'uniform', uploadBitsPerSec: 20e6, downloadBitsPerSec: 50e6 },
        lossProbability: 0.01,
        duplicateProbability: 0.01,
      },
      limits: { ...LIMITS, ...extra.limits },
    },
    pingModel({ pingBytes: 300, pongBytes: 3309, cpuCostUs: extra.cpuCostUs ?? 200 }),
    (h) => new PingNode(h, { nodeCount, pingsInFlight: extra.pings ?? 2, timerPeriodUs: 250_000 }),
  );
  let k = 0;
  sim.addClientSource(3, { next: () => (k < 20 ? { at: 100_000 * ++k, request: k } : undefined) });
  sim.scheduleFault(500_000, { kind: 'crash', node: 5 });
  sim.scheduleFault(900_000, { kind: 'restart', node: 5 });
  sim.scheduleFault(1_000_000, { kind: 'partition', grudge: { kind: 'split', groups: [[0, 1, 2, 3, 4, 5], [6, 7, 8, 9]] } });
  sim.scheduleFault(1_500_000, { kind: 'heal' });
  sim.scheduleFault(1_600_000, { kind: 'pause', node: 7, durationUs: 200_000 });
  sim.scheduleFault(2_000_000, { kind: 'add-delay', extraUs: 20_000, nodes: [1, 2] });
  return sim;
}

function statsOf(r: RunResult): unknown {
  return {
    ...r,
    nodes: Object.fromEntries(Object.entries(r.nodes).map(([k, v]) => [k, Array.from(v as ArrayLike<number>)])),
  };
}

describe('determinism and the trace hash', () => {
  it('same seed gives the same trace hash and the same stats; a different seed a different hash', () => {
    const a = pingSim(11).run();
    const b = pingSim(11).run();
    const c = pingSim(12).run();
    expect(a.outcome).toEqual({ kind: 'completed', endedBy: 'duration' });
    expect(a.events).toBeGreaterThan(5_000);
    expect(statsOf(b)).toEqual(statsOf(a));
    expect(c.traceHash).not.toBe(a.traceHash);
    expect(a.network.droppedLoss).toBeGreaterThan(0);
    expect(a.network.duplicated).toBeGreaterThan(0);
    expect(a.network.droppedPartition).toBeGreaterThan(0);
    expect(a.network.droppedCrashed).toBeGreaterThan(0);
  });

  it('pins the exact hash of a fixed small scenario (guards against silent changes in ordering or models)', () => {
    const r = pingSim(11).run();
    expect({ hash: r.traceHash, events: r.events }).toMatchInlineSnapshot(`
      {
        "events": 10191,
        "hash": "20e73fa3386de53e",
      }
    `);
  });

  it('a run in windows (runUntil) gives the same hash as one run', () => {
    const whole = pingSim(11).run();
    const sim = pingSim(11);
    expect(sim.runUntil(700_000)).toEqual({ kind: 'running', timeUs: 700_000 });
    expect(sim.runUntil(1_234_567)).toEqual({ kind: 'running', timeUs: 1_234_567 });
    const parts = sim.run();
    expect(parts.traceHash).toBe(whole.traceHash);
    expect(parts.events).toBe(whole.events);
  });
});

describe('limits end the run with a labelled outcome', () => {
  it('max-events', () => {
    const r = pingSim(1, { limits: { maxEvents: 1000 } }).run();
    expect(r.outcome).toMatchObject({ kind: 'limit', limit: 'max-events' });
    expect(r.events).toBe(1000);
  });

  it('max-sim-time', () => {
    const r = pingSim(1, { limits: { maxSimTimeUs: 400_000 } }).run();
    expect(r.outcome).toMatchObject({ kind: 'limit', limit: 'max-sim-time' });
    expect(r.endTimeUs).toBe(400_000);
  });

  it('max-pending-events', () => {
    const r = pingSim(1, { limits: { maxPendingEvents: 50 } }).run();
    expect(r.outcome).toMatchObject({ kind: 'limit', limit: 'max-pending-events' });
    expect(r.pendingEvents).toBeLessThanOrEqual(50);
  });

  it('node-queue-capacity', () => {
    // 10 ms of CPU per message and 20 pings in flight per node: queues build up.
    const r = pingSim(1, { cpuCostUs: 10_000, pings: 20, limits: { nodeQueueCapacity: 8 } }).run();
    expect(r.outcome).toMatchObject({ kind: 'limit', limit: 'node-queue-capacity' });
    expect((r.outcome as { detail: string }).detail).toMatch(/^node \d+: CPU queue would exceed limits.nodeQueueCapacity = 8/);
  });

  it('completed: duration, drained and stopped', () => {
    expect(pingSim(1, { durationUs: 100_000 }).run().outcome).toEqual({ kind: 'completed', endedBy: 'duration' });
    const { sim } = scripted(2, FAST, 0, (id) => (id === 0 ? { start: (h) => h.send(1, { bytes: 1, sentAt: 0 }) } : {}));
    expect(sim.run()).toMatchObject({ outcome: { kind: 'completed', endedBy: 'drained' }, endTimeUs: 1000 });
    const s = scripted(2, FAST, 0, (id) => ticker(id));
    s.sim.scheduleFault(35_000, { kind: 'heal' });
    s.sim.runUntil(30_000);
    s.sim.stop();
    expect(s.sim.run().outcome).toEqual({ kind: 'completed', endedBy: 'stopped' });
  });

  it('rejects a bad configuration with the field and the rule', () => {
    expect(() => scripted(2, FAST, 0, () => ({}), { limits: { maxEvents: 0 } })).toThrow(/limits\.maxEvents: must be an integer >= 1/);
    expect(() => scripted(2, { ...FAST, lossProbability: 1 }, 0, () => ({}))).toThrow(/lossProbability: must be a probability in \[0, 1\)/);
    const { sim } = scripted(2, FAST, 0, () => ({}));
    expect(() => sim.scheduleFault(10, { kind: 'crash', node: 2 })).toThrow(/fault\.node: must be a node id in \[0, 2\)/);
  });
});

describe('event trace file', () => {
  it('writes JSON lines filtered by node and time window', () => {
    const dir = mkdtempSync(join(tmpdir(), 'avsim-trace-'));
    try {
      const path = join(dir, 'trace.jsonl');
      const sink = new JsonLinesTraceFile(path, { nodes: [1], fromUs: 15_000, toUs: 45_000 });
      const nodes: ScriptNode[] = [];
      const sim = new Simulation<Msg, string>(
        { seed: 1, nodeCount: 2, durationUs: 60_000, network: FAST, limits: LIMITS, trace: sink },
        msgModel(0),
        (h) => {
          const n = new ScriptNode(h, ticker(h.id));
          nodes.push(n);
          return n;
        },
      );
      sim.scheduleFault(30_000, { kind: 'crash', node: 1 });
      sim.run();
      const lines = readFileSync(path, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(lines.map((l) => [l['timeUs'], l['kind'], l['node'], l['outcome']])).toEqual([
        [21_000, 'arrive', 1, 'ok'],
        [21_000, 'process', 1, 'ok'],
        [30_000, 'fault', 1, 'ok'],
        [31_000, 'arrive', 1, 'dropped-crashed'],
        [41_000, 'arrive', 1, 'dropped-crashed'],
      ]);
      expect(lines[0]!['detail']).toEqual({ sentAt: 20_000 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
