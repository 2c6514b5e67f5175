import { describe, expect, it } from 'vitest';
import { fixed, rssGrowth, windowFigures, type Point } from './soak-report.js';

/** Points every 15 s over `minutes`, value = f(minute). */
function series(name: string, minutes: number, f: (m: number) => number): Point[] {
  const out: Point[] = [];
  for (let t = 0.25; t <= minutes; t += 0.25) out.push({ t, series: name, value: f(t) });
  return out;
}

describe('soak window figures', () => {
  it('keeps decimals, not significant digits (126.4 MiB stays 126.4, height 12,671 stays 12,671)', () => {
    expect(fixed(126.44, 1)).toBe(126.4);
    expect(fixed(12671, 3)).toBe(12671);
    expect(fixed(0.123456, 3)).toBe(0.123);
    expect(fixed(Number.POSITIVE_INFINITY, 1)).toBeNaN();
  });

  it('gives per-window medians and means at the stated precision, and the RSS growth from the second window', () => {
    const rss = [...series('node 0', 30, (m) => (m < 10 ? 126.44 : m < 20 ? 131.26 : 148.37)), ...series('node 1', 30, () => 101.55)];
    const lat = (v: number) => series('x', 30, () => v);
    const w = windowFigures({ rss, heap: series('node 0', 30, () => 21.26), height: series('node 0', 30, (m) => Math.round(m * 211)), p50: lat(517.83), p95: lat(912.46), p99: lat(1487.21), tps: lat(9.6789), bps: lat(3.51234) }, 30);
    expect(w.map((x) => [x.fromMinute, x.toMinute])).toEqual([[0, 10], [10, 20], [20, 30]]);
    expect(w[0]?.rssMiB).toEqual({ 'node 0': 126.4, 'node 1': 101.6 });
    expect(w[2]?.rssMiB['node 0']).toBe(148.4);
    expect(w[1]?.heapMiB).toEqual({ 'node 0': 21.3 });
    expect(w[1]?.finalityMs).toEqual({ p50: 517.8, p95: 912.5, p99: 1487.2 });
    expect(w[1]?.tps).toBe(9.68);
    expect(w[1]?.blocksPerSecond).toBe(3.512);
    expect(rssGrowth(w)).toEqual({ 'node 0': 17.1, 'node 1': 0 });
  });
});
