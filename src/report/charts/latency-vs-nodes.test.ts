import { describe, expect, it } from 'vitest';
import { aggregate } from '../aggregate.js';
import { fixtureSummary } from '../fixtures.js';
import { latencyVsNodes } from './latency-vs-nodes.js';

interface Layer {
  data: { values: Array<{ nodes: number; series: string; fit?: number; p95?: number }> };
  encoding: { color?: { field?: string } };
}

describe('latencyVsNodes', () => {
  it('fits each protocol on its own (two protocols are not pooled into one curve)', () => {
    const slow = (r: ReturnType<typeof fixtureSummary>): ReturnType<typeof fixtureSummary> => ({
      ...r,
      latencyMs: { ...r.latencyMs, p95: (r.latencyMs.p95 ?? 0) * 3 },
    });
    const runs = [25, 50, 100].flatMap((nodes) => [
      fixtureSummary({ nodes }),
      slow(fixtureSummary({ nodes, point: { 'nodes.count': nodes, 'protocol.name': 'snowman' } })),
    ]);
    const chart = latencyVsNodes({ runs, points: aggregate(runs) })!;
    const spec = chart.spec as { title: { text: string; subtitle: string }; layer: Layer[] };
    expect(spec.title.text).toBe('p95 latency vs nodes, one fit a + b·ln N per protocol');
    const curve = spec.layer[0]!.data.values;
    expect(new Set(curve.map((c) => c.series))).toEqual(new Set(["protocol=scenario's", 'protocol=snowman']));
    // Each curve follows its own runs: at 100 nodes the slow setting's fit is 3x the other's.
    const at = (series: string): number => curve.filter((c) => c.series === series).at(-1)!.fit!;
    expect(at('protocol=snowman') / at("protocol=scenario's")).toBeCloseTo(3, 3);
    expect(spec.layer[2]!.encoding.color?.field).toBe('series');
    expect(chart.caption).toContain('protocol=snowman: ');
  });

  it('pools the other settings (two loads) into one curve with its fit in the title', () => {
    const runs = [100, 500, 1000].flatMap((nodes) => [100, 400].map((offeredTps) => fixtureSummary({ nodes, offeredTps, point: { 'nodes.count': nodes, 'workload.phases[0].rateTps': offeredTps } })));
    const spec = latencyVsNodes({ runs, points: aggregate(runs) })!.spec as { title: { text: string } };
    expect(spec.title.text).toMatch(/^p95 latency vs nodes: [0-9.]+ \+ [0-9.]+·ln N ms, R² = \d\.\d{3}$/);
  });
});
