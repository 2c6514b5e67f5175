import { describe, expect, it } from 'vitest';
import type { RunSummary } from '../metrics/summary.js';
import { classifyRun } from './classify.js';
import { evaluateGate, runGate } from './run.js';
import { parseGateSection, type GateOutcome } from './spec.js';

/** A hand-made RunSummary with the given safety/liveness result. */
function summary(strategy: string, fraction: number, seed: number, o: GateOutcome | 'limit'): RunSummary {
  const lat = { p50: 1, p95: 2, p99: 3, mean: 1, max: 4, count: 10 };
  return {
    scenario: 'bft-threshold',
    seed,
    nodes: 100,
    point: { 'byzantine.strategy': strategy, 'byzantine.fraction': fraction },
    outcome: o === 'limit' ? { kind: 'limit', limit: 'max-events', detail: '1e9 events' } : { kind: 'completed' },
    traceHash: '00',
    events: 1,
    simSeconds: 1,
    wallSeconds: 1,
    eventsPerSecond: 1,
    simToWallRatio: 1,
    offeredTps: 10,
    tps: 10,
    acceptedTransactions: 100,
    acceptedBlocks: 10,
    latencyMs: lat,
    nodeLatencyMs: lat,
    pollSuccessRate: 1,
    pollsPerDecision: 20,
    messagesPerNodePerSecond: 1,
    bytesPerNodePerSecond: 1,
    cpuUtilisation: 0,
    cpuUtilisationMax: 0,
    cpuQueueDelayMs: 0,
    memoryBytesPerNode: 0,
    recoveryMs: null,
    throughput: [],
    faultWindows: [],
    byzantine: { strategy, fraction, nodes: Math.round(100 * fraction) },
    safety:
      o === 'unsafe'
        ? { violations: 2, examples: [{ height: 7, nodes: [1, 2], blocks: ['a', 'b'], timeMs: 1234 }] }
        : { violations: 0, examples: [] },
    liveness: { ok: o !== 'safe-not-live', undecided: o === 'safe-not-live' ? 12 : 0, lateAccepted: 0, boundMs: 5000 },
    checks: [],
    repro: `avsim run experiments/bft-threshold.yaml --set byzantine.strategy=${strategy} --set byzantine.fraction=${fraction} --seed ${seed}`,
  };
}

/**
 * The "protocol" the fixtures pretend to measure: silent loses liveness from 30%;
 * equivocate is unsafe at 40% on seed 2 only, and not live there on the others.
 */
function truth(strategy: string, fraction: number, seed: number): GateOutcome {
  if (strategy === 'silent') return fraction >= 0.3 ? 'safe-not-live' : 'safe-live';
  if (fraction >= 0.4) return seed === 2 ? 'unsafe' : 'safe-not-live';
  return 'safe-live';
}

const runCell = async (s: string, f: number, seed: number): Promise<RunSummary> => summary(s, f, seed, truth(s, f, seed));

const flaky = async (s: string, f: number, seed: number): Promise<RunSummary> => {
  if (s === 'silent' && f === 0 && seed === 3) throw new Error('worker crashed');
  return runCell(s, f, seed);
};

/** Completes after a run-dependent number of event-loop turns, so runs finish out of order. */
const slow = async (s: string, f: number, seed: number): Promise<RunSummary> => {
  const hops = (seed * 7 + Math.round(f * 100) + s.length) % 5;
  for (let i = 0; i < hops; i++) await new Promise<void>((res) => setImmediate(res));
  return summary(s, f, seed, truth(s, f, seed));
};

const gateSection = () => ({
  fractions: [0, 0.1, 0.3, 0.4],
  strategies: ['silent', 'equivocate'],
  seeds: 3,
  expected: {
    silent: { 0: 'safe-live', 0.1: 'safe-live', 0.3: 'safe-not-live', 0.4: 'safe-not-live' },
    equivocate: { 0: 'safe-live', 0.1: 'safe-live', 0.3: 'safe-live', 0.4: 'unsafe' },
  },
});

describe('classifyRun', () => {
  it('orders unsafe before incomplete before liveness', () => {
    expect(classifyRun(summary('x', 0, 1, 'unsafe'))).toEqual({
      outcome: 'unsafe',
      reason: '2 safety violation(s) (first at height 7, 1234 ms)',
    });
    expect(classifyRun(summary('x', 0, 1, 'safe-not-live')).outcome).toBe('safe-not-live');
    expect(classifyRun(summary('x', 0, 1, 'safe-live')).outcome).toBe('safe-live');
    expect(classifyRun(summary('x', 0, 1, 'limit'))).toEqual({ outcome: 'error', reason: 'hit limit max-events: 1e9 events' });
  });
});

describe('runGate', () => {
  it('passes when every cell shows its expected outcome (worst over seeds)', async () => {
    const r = await runGate(parseGateSection(gateSection()), runCell);
    expect(r.exitCode).toBe(0);
    expect(r.mismatches).toBe(0);
    expect(r.verdict).toBe('gate: PASS, all 8 cells (24 runs) match their expected outcome');
    const eq40 = r.cells.find((c) => c.strategy === 'equivocate' && c.fraction === 0.4);
    expect(eq40?.observed).toBe('unsafe');
    expect([eq40?.unsafeRate.k, eq40?.unsafeRate.n, eq40?.notLiveRate.k]).toEqual([1, 3, 2]);
    expect(r.table.split('\n')[0]).toBe(
      'strategy    fraction  expected       observed       unsafe rate            not-live rate             result',
    );
    expect(r.table.split('\n')[9]).toBe(
      'equivocate  40%       unsafe         unsafe         1/3 33.3% [6.1–79.2%]  2/3 66.7% [20.8–93.9%]    ok',
    );
  });

  it('fails when one cell expected outcome is changed, naming the cell and each failing seed', async () => {
    const g = gateSection();
    g.expected.silent[0.3] = 'safe-live'; // the protocol loses liveness there
    const r = await runGate(parseGateSection(g), runCell);
    expect(r.exitCode).toBe(1);
    expect(r.mismatches).toBe(1);
    expect(r.verdict.split('\n')).toEqual([
      'gate: FAIL, 1 of 8 cells (24 runs) do not match their expected outcome',
      '  silent @ 30%: expected safe-live, observed safe-not-live',
      ...[1, 2, 3].map(
        (s) =>
          `    seed ${s} (safe-not-live: 12 tx undecided and 0 accepted later than 5000 ms): avsim run experiments/bft-threshold.yaml --set byzantine.strategy=silent --set byzantine.fraction=0.3 --seed ${s}`,
      ),
    ]);
    expect(r.text).toContain('silent      30%       safe-live      safe-not-live');
  });

  it('fails when an expected failure no longer shows, and when safety breaks where it must hold', async () => {
    const g = gateSection();
    g.expected.equivocate[0.4] = 'safe-not-live'; // seed 2 is unsafe: worse than expected
    const r = await runGate(parseGateSection(g), runCell);
    const bad = r.cells.filter((c) => !c.match);
    expect(bad.map((c) => [c.strategy, c.fraction, c.observed, c.failingSeeds])).toEqual([['equivocate', 0.4, 'unsafe', [2]]]);

    const g2 = gateSection();
    g2.expected.silent[0.1] = 'unsafe'; // never shows: every seed is listed
    const r2 = await runGate(parseGateSection(g2), runCell);
    expect(r2.cells.filter((c) => !c.match).map((c) => c.failingSeeds)).toEqual([[1, 2, 3]]);
    expect(r2.exitCode).toBe(1);
  });

  it('counts a run that throws as an error with the caller-supplied repro', async () => {
    const spec = parseGateSection(gateSection());
    const r = await runGate(spec, flaky, { reproOf: (s, f, seed) => `repro ${s} ${f} ${seed}` });
    expect(r.exitCode).toBe(1);
    expect(r.verdict).toContain('  silent @ 0%: expected safe-live, observed error\n    seed 3 (error: run failed: worker crashed): repro silent 0 3');
  });

  it('gives the same table whatever the concurrency and order of completion', async () => {
    const spec = parseGateSection(gateSection());
    const seq = await runGate(spec, runCell);
    let progress = 0;
    const order: string[] = [];
    const par = await runGate(spec, slow, {
      concurrency: 7,
      onRun: (done, _total, run) => {
        progress = done;
        order.push(`${run.strategy}/${run.fraction}/${run.seed}`);
      },
    });
    expect(order.slice(0, 3)).not.toEqual(['silent/0/1', 'silent/0/2', 'silent/0/3']);
    expect(par.text).toBe(seq.text);
    expect(progress).toBe(24);
    expect(evaluateGate(spec, []).cells.every((c) => c.observed === 'error')).toBe(true);
  });
});
