/** The real run's CPU figures: the calibration's per-message overhead and the host CPU split. */
import { describe, expect, it } from 'vitest';
import { hostCpuOf, processOverheadPerMessage, protocolCounts } from './collect.js';
import type { NodeHistory, Stats } from './histories.js';

function stats(inc: number, t: number, received: number, cpuUs: number, busyUs: number, sigUs: number): Stats {
  return {
    k: 'stats', n: 0, t, inc, height: 0, sent: 0, sentBytes: 0, received, codecErrors: 0, refusedMessages: 0, kinds: {}, links: { queued: 0, fifoHoldUs: 0 },
    transport: { dropped: {}, badFrames: {}, disconnects: 0 }, emulation: undefined as never, chargedUs: 0, busyUs,
    sig: { verifies: 0, verifyUs: sigUs, signs: 0, signUs: 0, refused: 0 }, store: { writes: 0, writeUs: 0 },
    process: { pid: 1, cpuUserUs: cpuUs, cpuSystemUs: 0, rssBytes: 0 },
  } as Stats;
}

function history(node: number, lines: Stats[]): NodeHistory {
  const h: NodeHistory = { node, records: [], lastStats: new Map(), firstStats: new Map(), boots: [], badLines: 0 };
  for (const s of lines) {
    if (!h.firstStats.has(s.inc)) h.firstStats.set(s.inc, s);
    h.lastStats.set(s.inc, s);
  }
  return h;
}

const withCnt = (st: Stats, cnt: Record<string, number>): Stats => ({ ...st, cnt });

describe('protocolCounts', () => {
  it('takes the last stats line of every incarnation (cumulative counters), node by node', () => {
    const a = history(0, [withCnt(stats(1, 1e6, 0, 0, 0, 0), { 'drops.expired': 2 }), withCnt(stats(1, 2e6, 0, 0, 0, 0), { 'drops.expired': 5, 'bootstrapMs.node0': 0 })]);
    const b = history(1, [withCnt(stats(1, 1e6, 0, 0, 0, 0), { 'drops.expired': 1 }), withCnt(stats(2, 4e6, 0, 0, 0, 0), { 'bootstrapMs.node1': 840, 'drops.expired': 3 }), stats(3, 6e6, 0, 0, 0, 0)]);
    expect(protocolCounts([a, b])).toEqual([
      { name: 'bootstrapMs.node0', value: 0, node: 0 },
      { name: 'drops.expired', value: 5, node: 0 },
      { name: 'drops.expired', value: 1, node: 1 },
      { name: 'bootstrapMs.node1', value: 840, node: 1 },
      { name: 'drops.expired', value: 3, node: 1 },
    ]);
  });
});

describe('processOverheadPerMessage', () => {
  it('is the steady-state process CPU beyond busy work and signatures per message received, over every incarnation', () => {
    // Incarnation 1: start-up (400 ms CPU) is before its first stats line and left out; then 1,000 messages for
    // 300 ms CPU of which 50 ms busy work and 50 ms signatures: 200 µs per message. Incarnation 2: 1,000 for 100 ms.
    const h = history(0, [
      stats(1, 1e6, 100, 400_000, 10_000, 0),
      stats(1, 2e6, 600, 550_000, 40_000, 30_000),
      stats(1, 3e6, 1_100, 700_000, 60_000, 50_000),
      stats(2, 5e6, 0, 300_000, 0, 0),
      stats(2, 6e6, 1_000, 400_000, 0, 0),
    ]);
    expect(processOverheadPerMessage([h], 1)).toBeCloseTo(300_000 / 2_000, 6);
    // Two nodes per process: each node's share of the process's CPU.
    expect(processOverheadPerMessage([h], 2)).toBeCloseTo(150_000 / 2_000, 6);
    // One stats line per incarnation: no steady state to measure.
    expect(processOverheadPerMessage([history(0, [stats(1, 1e6, 100, 400_000, 0, 0)])], 1)).toBeNull();
  });
});

describe('hostCpuOf', () => {
  it('splits the machine\'s busy time into this run\'s processes and other work', () => {
    // 2 cores for 10 s = 20 s of capacity; the machine was 90 % busy; the nodes spent 11 s and the harness 1 s.
    const h = hostCpuOf(2, { start: { busy: 0, total: 1000 }, end: { busy: 900, total: 2000 }, harnessCpuUs: 1e6 }, new Float64Array([5e6, 6e6]), 10e6);
    expect(h).toMatchObject({ cores: 2, busyFraction: 0.9, runFraction: 0.6, otherFraction: 0.3 });
  });
});
