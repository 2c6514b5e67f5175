import { describe, expect, it } from 'vitest';
import { parseScenarioText } from '../scenario/load.js';
import { runScenario } from './run-scenario.js';
import { throughputBuckets } from './throughput.js';

const S = 1_000_000;
const base = { bucketUs: S, maxBuckets: 1_000_000, offeredAt: () => 50 };

describe('throughputBuckets', () => {
  it('counts an acceptance at the very end instant in the last bucket, not in a bucket of its own', () => {
    // A 3 s run: 10, 10, 10 accepted, and 5 more at exactly t = 3 s (bucket index 3).
    const t = throughputBuckets({ ...base, accepted: [10, 10, 10, 5], submitted: [10, 10, 10, 1], endUs: 3 * S });
    expect(t.map((p) => p.tSeconds)).toEqual([0, 1, 2]);
    expect(t.map((p) => p.tps)).toEqual([10, 10, 15]);
    expect(t.map((p) => p.submittedTps)).toEqual([10, 10, 11]);
    expect(t.every((p) => p.widthSeconds === undefined)).toBe(true);
  });

  it('makes a last bucket the run ends inside a rate over the part it covers', () => {
    // Ends at 2.6 s: the last bucket covers 0.6 s and holds 6 acceptances -> 10/s, not 6/s.
    const t = throughputBuckets({ ...base, accepted: [10, 10, 6], submitted: [10, 10, 6], endUs: 2_600_000 });
    expect(t.map((p) => p.tps)).toEqual([10, 10, 10]);
    expect(t[2]).toMatchObject({ tSeconds: 2, widthSeconds: 0.6, submittedTps: 10 });
  });

  it('joins a tail shorter than half a bucket to the bucket before it', () => {
    // Ends at 2.2 s: [2, 2.2) holds 2; drawn as [1, 2.2): 12 over 1.2 s.
    const t = throughputBuckets({ ...base, accepted: [10, 10, 2], submitted: [10, 10, 2], endUs: 2_200_000 });
    expect(t.map((p) => p.tSeconds)).toEqual([0, 1]);
    expect(t[1]).toMatchObject({ tps: 10, widthSeconds: 1.2 });
  });

  it('lists empty buckets up to the end (a run that stops accepting shows it)', () => {
    const t = throughputBuckets({ ...base, accepted: [10], submitted: [10, 10, 10], endUs: 3 * S });
    expect(t.map((p) => p.tps)).toEqual([10, 0, 0]);
    expect(t.map((p) => p.submittedTps)).toEqual([10, 10, 10]);
  });

  it('stops at the collector cap with whole buckets', () => {
    const t = throughputBuckets({ ...base, maxBuckets: 2, accepted: [1, 2], submitted: [1, 2], endUs: 3_500_000 });
    expect(t).toEqual([
      { tSeconds: 0, tps: 1, submittedTps: 1, offeredTps: 50 },
      { tSeconds: 1, tps: 2, submittedTps: 2, offeredTps: 50 },
    ]);
  });

  it('gives nothing for a run of length 0', () => {
    expect(throughputBuckets({ ...base, accepted: [3], submitted: [3], endUs: 0 })).toEqual([]);
  });
});

describe('a run summary\'s throughput', () => {
  it('covers [0, end] in buckets whose rates add up to every acceptance, with the submissions beside them', async () => {
    const { scenario } = parseScenarioText(`
name: edges
duration: 3500ms
nodes: {count: 10}
network:
  latency: {kind: constant, oneWay: 20ms}
workload:
  phases:
    - {kind: constant, rateTps: 20, duration: 3500ms}
measurement: {warmup: 1s}
`);
    const s = await runScenario(scenario, { seed: 1 });
    expect(s.warmupSeconds).toBe(1);
    expect(s.throughput.map((p) => p.tSeconds)).toEqual([0, 1, 2, 3]);
    expect(s.throughput[3]!.widthSeconds).toBe(0.5);
    const total = (f: (p: (typeof s.throughput)[number]) => number): number => Math.round(s.throughput.reduce((a, p) => a + f(p) * (p.widthSeconds ?? 1), 0));
    expect(total((p) => p.tps)).toBe(s.acceptedTransactions);
    // 20 TPS offered for 3.5 s: 70 submitted, every bucket's realised rate recorded.
    expect(total((p) => p.submittedTps ?? Number.NaN)).toBe(70);
  });
});
