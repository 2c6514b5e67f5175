import { describe, expect, it } from 'vitest';
import type { RunSummary } from '../../metrics/summary.js';
import { aggregate } from '../aggregate.js';
import { fixtureSummary } from '../fixtures.js';
import { latencyCdf } from './latency-cdf.js';
import { tpsVsNodes } from './tps-vs-nodes.js';

const ran = (protocol: string, r: RunSummary): RunSummary => ({ ...r, protocol });
const seriesIn = (spec: unknown): Set<string> => new Set((spec as { data: { values: Array<{ series: string }> } }).data.values.map((v) => v.series));

describe('series labels of charts mixing protocols', () => {
  // LT-003 DAG: the scenario runs avalanche; the Snowman runs are the same points with --set protocol.name=snowman.
  const runs = [25, 50, 100].flatMap((nodes) => [
    ran('avalanche', fixtureSummary({ nodes, point: { 'nodes.count': nodes } })),
    ran('snowman', fixtureSummary({ nodes, point: { 'nodes.count': nodes, 'protocol.name': 'snowman' } })),
  ]);

  it('name the protocol each run recorded, not "all" beside "name=snowman"', () => {
    const chart = tpsVsNodes({ runs, points: aggregate(runs) })!;
    expect(seriesIn(chart.spec)).toEqual(new Set(['protocol=avalanche', 'protocol=snowman']));
    const cdf = latencyCdf({ runs, points: aggregate(runs) })!;
    expect(seriesIn(cdf.spec)).toEqual(new Set([25, 50, 100].flatMap((n) => [`${n} nodes protocol=avalanche`, `${n} nodes protocol=snowman`])));
  });

  it("say the scenario's protocol for older files that record none", () => {
    const old = runs.map(({ protocol: _p, ...r }) => r);
    expect(seriesIn(tpsVsNodes({ runs: old, points: aggregate(old) })!.spec)).toEqual(new Set(["protocol=scenario's", 'protocol=snowman']));
  });

  it('leave single-protocol labels as they were', () => {
    const one = [100, 400].flatMap((rate) => [25, 50].map((nodes) => ran('snowman', fixtureSummary({ nodes, offeredTps: rate, point: { 'nodes.count': nodes, 'workload.phases[0].rateTps': rate } }))));
    expect(seriesIn(tpsVsNodes({ runs: one, points: aggregate(one) })!.spec)).toEqual(new Set(['rateTps=100', 'rateTps=400']));
  });
});
