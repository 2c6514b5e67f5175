/** Issue 13: every seed drawn beside each 95% CI with n on the chart; every seed on the throughput plot, warm-up shaded. */
import { describe, expect, it } from 'vitest';
import { aggregate } from '../aggregate.js';
import { fixtureSummary } from '../fixtures.js';
import type { RunSummary } from '../../metrics/summary.js';
import { latencyVsNodes } from './latency-vs-nodes.js';
import { throughputOverTime } from './throughput-over-time.js';
import { tpsVsNodes } from './tps-vs-nodes.js';

interface Layer {
  data?: { values: Array<Record<string, unknown>> };
  mark: { type: string; filled?: boolean };
  encoding?: Record<string, { field?: string }>;
}
type Spec = { title: { text: string; subtitle: string }; layer: Layer[] };

const sizes = [100, 200, 300, 400];
const runs: RunSummary[] = sizes.flatMap((nodes) => [1, 2].map((seed) => ({ ...fixtureSummary({ nodes, seed, point: { 'nodes.count': nodes } }), warmupSeconds: 5 })));

describe('charts with 95% intervals show every seed and n', () => {
  it('tps-vs-nodes: one hollow point per seed beside its interval, n = 2 in the subtitle and caption', () => {
    const chart = tpsVsNodes({ runs, points: aggregate(runs) })!;
    const spec = chart.spec as unknown as Spec;
    const seeds = spec.layer.find((l) => l.mark.type === 'point' && l.mark.filled === false)!;
    expect(seeds.data!.values).toHaveLength(8);
    // Beside, not on, the interval bar (log axis: a few per cent to the right), at the run's own TPS.
    const r = runs[1]!;
    expect(seeds.data!.values[1]).toMatchObject({ seed: 2, tps: Number(r.tps.toPrecision(4)) });
    expect(seeds.data!.values[1]!.nodes as number).toBeGreaterThan(100);
    expect(seeds.data!.values[1]!.nodes as number).toBeLessThan(110);
    expect(spec.title.subtitle).toContain('n = 2 seeds per point');
    expect(chart.caption).toContain('n = 2 seeds per point');
  });

  it('latency-vs-nodes: one hollow point per seed, n stated, the per-protocol fit kept', () => {
    const chart = latencyVsNodes({ runs, points: aggregate(runs) })!;
    const spec = chart.spec as unknown as Spec;
    const seeds = spec.layer.find((l) => l.mark.type === 'point' && l.mark.filled === false)!;
    expect(seeds.data!.values.map((v) => v.seed)).toEqual([1, 2, 1, 2, 1, 2, 1, 2]);
    expect(spec.title.subtitle).toContain('n = 2 seeds per point');
    expect(spec.title.text).toMatch(/^p95 latency vs nodes: .*R² = /);
  });

  it('a range of n is stated as a range', () => {
    const more = [...runs, { ...fixtureSummary({ nodes: 100, seed: 3, point: { 'nodes.count': 100 } }), warmupSeconds: 5 }];
    const spec = tpsVsNodes({ runs: more, points: aggregate(more) })!.spec as unknown as Spec;
    expect(spec.title.subtitle).toContain('n = 2–3 seeds per point');
  });
});

describe('throughput over time', () => {
  it('draws every seed of every point (not only seed 1) and shades the warm-up', () => {
    const chart = throughputOverTime({ runs, points: aggregate(runs) })!;
    const spec = chart.spec as unknown as Spec;
    const lines = spec.layer.find((l) => l.mark.type === 'line')!;
    const drawn = new Set(lines.data!.values.map((v) => `${String(v.point)}|${String(v.seed)}`));
    expect(drawn.size).toBe(8);
    expect(lines.encoding!.detail!.field).toBe('seed');
    expect(new Set(lines.data!.values.map((v) => v.point))).toEqual(new Set(sizes.map((n) => `${n} nodes (seeds 1, 2)`)));
    const warm = spec.layer.find((l) => l.mark.type === 'rect')!;
    expect(warm.data!.values).toEqual([{ start: 0, end: 5 }]);
    expect(spec.title.subtitle).toContain('warm-up (5 s)');
    expect(chart.caption).toContain('one line per seed (8 runs)');
  });

  it('with more points than it can draw, spreads over them and keeps every seed of those drawn', () => {
    const wide = [100, 200, 300, 400, 500, 600].flatMap((nodes) => [1, 2, 3].map((seed) => fixtureSummary({ nodes, seed, point: { 'nodes.count': nodes } })));
    const chart = throughputOverTime({ runs: wide, points: aggregate(wide) })!;
    const lines = (chart.spec as unknown as Spec).layer.find((l) => l.mark.type === 'line')!;
    expect([...new Set(lines.data!.values.map((v) => v.point))]).toEqual(['100 nodes (seeds 1, 2, 3)', '300 nodes (seeds 1, 2, 3)', '400 nodes (seeds 1, 2, 3)', '600 nodes (seeds 1, 2, 3)']);
    expect(chart.caption).toContain('12 runs, 4 of 6 settings');
    // No warm-up known (older results): nothing shaded.
    expect((chart.spec as unknown as Spec).layer.some((l) => l.mark.type === 'rect')).toBe(false);
  });
});
