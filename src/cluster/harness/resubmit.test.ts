/**
 * A client resends what a node took and did not get accepted (ResubmitBook, LoadGenerator with a policy), and a
 * real run's collection counts a resubmitted transaction once, decided by whichever node reports it accepted.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { planRun } from '../../runner/run-scenario.js';
import { parseScenarioText } from '../../scenario/load.js';
import { monotonicNs, RunClock } from '../host/clock.js';
import { collectRealRun } from './collect.js';
import { historyPath } from './layout.js';
import { LoadGenerator, type Arrival } from './load-generator.js';
import { ResubmitBook } from './resubmit.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('ResubmitBook', () => {
  const gen = new Map<number, number | undefined>([
    [0, 100],
    [1, 101],
    [2, 102],
  ]);
  const book = (): ResubmitBook<{ tx: number }> => new ResubmitBook({ afterUs: 15_000_000, maxAttempts: 2 }, [0, 1, 2], (n) => gen.get(n));

  it('resends at once when the node died, to the next live node; after the bound otherwise; never once accepted', () => {
    const b = book();
    b.sent({ tx: 1 }, 0, 1_000_000);
    b.sent({ tx: 2 }, 1, 1_000_000);
    b.sent({ tx: 3 }, 2, 1_000_000);
    expect(b.due(2_000_000)).toEqual([]);
    gen.set(0, undefined); // node 0 killed
    gen.set(1, undefined); // and node 1
    expect(b.due(2_500_000)).toEqual([
      { item: { tx: 1 }, node: 2 },
      { item: { tx: 2 }, node: 2 },
    ]);
    gen.set(0, 200); // node 0 back, a new process
    b.acceptedTx(1);
    b.acceptedTx(3);
    expect(b.due(17_000_000)).toEqual([]); // tx 2 was resent at 2.5 s: not due before 17.5 s
    expect(b.due(17_500_000)).toEqual([{ item: { tx: 2 }, node: 0 }]);
    expect(b.due(40_000_000)).toEqual([]); // its 2 attempts are used up: given up
    expect([b.resubmitted, b.outstanding]).toEqual([3, 0]);
    gen.set(1, 101);
  });

  it('waits while no other node is up, and ignores an acceptance seen before the answer', () => {
    const b = book();
    b.acceptedTx(9);
    b.sent({ tx: 9 }, 0, 0);
    b.sent({ tx: 4 }, 0, 0);
    gen.set(1, undefined);
    gen.set(2, undefined);
    expect(b.due(20_000_000)).toEqual([]);
    gen.set(2, 302);
    expect(b.due(20_500_000)).toEqual([{ item: { tx: 4 }, node: 2 }]);
    gen.set(1, 101);
    gen.set(2, 102);
  });
});

describe('LoadGenerator with a resubmit policy', () => {
  it('sends a transaction its killed node took to another live node, same id and body, and counts it', async () => {
    const clock = new RunClock(monotonicNs());
    const pids = new Map<number, number | undefined>([
      [0, 10],
      [1, 11],
    ]);
    const calls: Array<{ node: number; ids: number[] }> = [];
    const arrivals: Arrival[] = [
      { at: 0, node: 0, tx: 77 },
      { at: 0, node: 1, tx: 78 },
    ];
    const load = new LoadGenerator(
      arrivals,
      clock,
      (node, batch) => {
        calls.push({ node, ids: batch.map((t) => t.id) });
        return Promise.resolve({ submitted: batch.length, rejected: 0 });
      },
      { policy: { afterUs: 60_000_000, maxAttempts: 3 }, generationOf: (n) => pids.get(n) },
    );
    load.start();
    try {
      await vi.waitFor(() => expect(load.outstanding).toBe(2));
      load.accepted(78);
      pids.set(0, undefined); // node 0 SIGKILLed with tx 77 in its mempool
      load.sweep();
      await vi.waitFor(() => expect(calls).toContainEqual({ node: 1, ids: [77] }));
      load.accepted(77);
      pids.set(0, 12);
      load.sweep();
    } finally {
      await load.stop();
    }
    expect(calls.toSorted((a, b) => a.node - b.node || a.ids[0]! - b.ids[0]!)).toEqual([
      { node: 0, ids: [77] },
      { node: 1, ids: [77] },
      { node: 1, ids: [78] },
    ]);
    expect(load.stats).toEqual({ offered: 2, submitted: 3, rejected: 0, unreachable: 0, resubmitted: 1 });
  });
});

describe('collectRealRun with a resubmitted transaction', () => {
  it('counts it once, from its first submission, decided by the node that reported it accepted', () => {
    const scenario = parseScenarioText(`
name: resubmit-collect
duration: 60s
nodes: {count: 2}
parameters: {k: 2, alphaPreference: 2, alphaConfidence: 2, beta: 1, concurrentRepolls: 1}
network: {latency: {kind: constant, oneWay: 1ms}}
workload: {phases: [{kind: constant, rateTps: 1, duration: 60s}]}
measurement: {livenessBound: 10s}
`).scenario;
    const runDir = mkdtempSync(`${tmpdir()}/avsim-resubmit-collect-`);
    dirs.push(runDir);
    const lines = (node: number, recs: object[]): void => {
      const p = historyPath(runDir, node);
      mkdirSync(dirname(p), { recursive: true });
      writeFileSync(p, recs.map((r) => `${JSON.stringify({ n: node, ...r })}\n`).join(''));
    };
    // tx 5 went to node 0, which lost it; the client resent it to node 1 at 3 s, which accepted it at 3.5 s.
    lines(0, [{ k: 'boot', t: 0, inc: 1, h: 0, last: 0 }, { k: 'sub', t: 1_000_000, tx: 5, it: 1_000_000 }]);
    lines(1, [
      { k: 'boot', t: 0, inc: 1, h: 0, last: 0 },
      { k: 'sub', t: 3_000_000, tx: 5, it: 1_000_000 },
      { k: 'acc', t: 3_500_000, tx: 5 },
    ]);
    const summary = collectRealRun({
      scenario,
      seed: 1,
      runDir,
      plan: planRun(scenario, 1),
      repro: 'test',
      point: { id: 'base', overrides: {}, values: {} },
      endUs: 60_000_000,
      wallSeconds: 60,
      faults: [],
      windows: [],
      load: { offered: 1, submitted: 2, rejected: 0, unreachable: 0, resubmitted: 1 },
      processes: 2,
      nodesPerProcess: 1,
      realSignatures: false,
      hostCpu: { start: { busy: 0, total: 1 }, end: { busy: 1, total: 2 }, harnessCpuUs: 0 },
      storeEngine: 'test',
    });
    expect(summary.liveness).toMatchObject({ ok: true, undecided: 0, lateAccepted: 0 });
    expect(summary.latencyMs.p50).toBe(2_500);
    expect(summary.real?.loadGenerator).toMatchObject({ offered: 1, resubmitted: 1, lagMs: { count: 1 } });
  });
});
