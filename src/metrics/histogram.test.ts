import { describe, expect, it } from 'vitest';
import { LatencyHistogram } from './histogram.js';

describe('LatencyHistogram', () => {
  it('quantiles are within 1% of the exact order statistics', () => {
    const h = new LatencyHistogram();
    for (let us = 1; us <= 100_000; us++) h.record(us);
    for (const q of [0.5, 0.95, 0.99]) {
      const exact = q * 100_000;
      expect(Math.abs(h.quantileUs(q) - exact) / exact).toBeLessThan(0.01);
    }
    const s = h.summaryMs();
    expect(s.mean).toBe(50.001);
    expect(s.max).toBe(100);
    expect(s.count).toBe(100_000);
  });

  it('an empty histogram reports zeros', () => {
    expect(new LatencyHistogram().summaryMs()).toEqual({ p50: 0, p95: 0, p99: 0, mean: 0, max: 0, count: 0 });
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
