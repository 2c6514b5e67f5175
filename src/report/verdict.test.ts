import { describe, expect, it } from 'vitest';
import { aggregate } from './aggregate.js';
import { fixtureSummary } from './fixtures.js';
import { fitLog, meanCi } from './stats.js';
import { verdicts } from './verdict.js';
import { runsCsv } from './csv.js';

describe('verdicts against the specification targets', () => {
  it('passes, fails on latency, is inconclusive under low load, and marks absent sizes not run', () => {
    const at = (nodes: number, tps: number, p95: number, offered: number) => ({ ...fixtureSummary({ nodes, offeredTps: offered }), tps, latencyMs: { p50: p95 / 2, p95, p99: p95 * 1.2, mean: p95 / 2, max: p95 * 2, count: 100 } });
    const rows = verdicts(aggregate([at(1000, 250, 90, 300), at(5000, 600, 240, 800), at(10_000, 400, 300, 400)]));
    expect(rows.map((r) => [r.target.nodes, r.verdict, r.note])).toEqual([
      [1000, 'pass', 'meets both targets'],
      [5000, 'fail', 'p95 240.0 ms > 200 ms'],
      [10000, 'inconclusive', 'offered only 400 TPS (< 1000); raise the load to test the target'],
    ]);
    expect(verdicts(aggregate([at(1000, 150, 90, 300)]))[0]).toMatchObject({ verdict: 'fail', note: '150.0 TPS < 200' });
    expect(verdicts(aggregate([at(1000, 250, 90, 300)]))[1]).toMatchObject({ verdict: 'not run', tps: null });
  });

  it('ignores Byzantine and faulted runs', () => {
    const rows = verdicts(aggregate([fixtureSummary({ nodes: 1000, byzantineFraction: 0.1 }), fixtureSummary({ nodes: 1000, faults: true, seed: 2 })]));
    expect(rows[0]?.verdict).toBe('not run');
  });
});

describe('statistics', () => {
  it('fits a + b ln N exactly on log-linear data', () => {
    const fit = fitLog([100, 1000, 10_000].map((x) => ({ x, y: 3 + 2 * Math.log(x) })));
    expect(fit?.a).toBeCloseTo(3, 10);
    expect(fit?.b).toBeCloseTo(2, 10);
    expect(fit?.r2).toBeCloseTo(1, 12);
    expect(fitLog([{ x: 5, y: 1 }, { x: 5, y: 2 }])).toBeNull();
  });
  it('gives a Student-t 95% interval', () => {
    const m = meanCi([1, 2, 3]);
    expect(m.mean).toBe(2);
    expect(m.hi - m.mean).toBeCloseTo(4.303 * (1 / Math.sqrt(3)), 10);
    expect(meanCi([7])).toEqual({ mean: 7, lo: 7, hi: 7, n: 1 });
  });
  it('quotes CSV cells that need it', () => {
    const csv = runsCsv([{ ...fixtureSummary(), repro: 'avsim run "a,b".yaml' }]);
    expect(csv.split('\n')[1]).toContain('"avsim run ""a,b"".yaml"');
  });
});
