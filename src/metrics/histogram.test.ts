import { describe, expect, it } from 'vitest';
import { LatencyHistogram } from './histogram.js';

describe('LatencyHistogram', () => {
  it('quantiles carry three significant digits: within 0.05% of the exact order statistics', () => {
    const h = new LatencyHistogram();
    for (let us = 1; us <= 100_000; us++) h.record(us);
    for (const q of [0.5, 0.95, 0.99]) {
      const exact = q * 100_000;
      expect(Math.abs(h.quantileUs(q) - exact) / exact).toBeLessThan(0.0005);
    }
    // Latencies 0.3% apart get different medians (1% buckets gave both the same one); min and max lie
    // elsewhere, so the quantile is the bucket's, not a clamped sample.
    const medians = [1_200_000, 1_203_600].map((us) => {
      const h2 = new LatencyHistogram();
      h2.record(500_000);
      h2.record(3_000_000);
      for (let i = 0; i < 99; i++) h2.record(us);
      const m = h2.quantileUs(0.5);
      expect(Math.abs(m - us) / us).toBeLessThan(0.0005);
      return m;
    });
    expect(medians[0]).not.toBe(medians[1]);
    const s = h.summaryMs();
    expect(s.mean).toBe(50.001);
    expect(s.max).toBe(100);
    expect(s.count).toBe(100_000);
  });

  it('an empty histogram reports no samples (null quantiles), not zeros', () => {
    // "no samples": null quantiles, never a 0 ms latency that was not measured.
    expect(new LatencyHistogram().summaryMs()).toEqual({ p50: null, p95: null, p99: null, mean: null, max: null, count: 0 });
    expect(new LatencyHistogram().summaryRaw()).toEqual({ p50: null, p95: null, p99: null, mean: null, max: null, count: 0 });
  });

  it('a single value is reported exactly (clamped to min/max)', () => {
    const h = new LatencyHistogram();
    h.record(123_456);
    expect(h.summaryMs().p99).toBe(123.456);
  });

  it('merging equals recording everything in one', () => {
    const a = new LatencyHistogram();
    const b = new LatencyHistogram();
    const all = new LatencyHistogram();
    for (let i = 0; i < 1000; i++) {
      (i % 2 ? a : b).record(i * 37);
      all.record(i * 37);
    }
    a.merge(b);
    expect(a.summaryMs()).toEqual(all.summaryMs());
  });

  it('rejects negative samples', () => {
    expect(() => new LatencyHistogram().record(-1)).toThrow('latency sample must be >= 0');
  });
});
