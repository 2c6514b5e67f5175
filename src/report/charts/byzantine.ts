/** Finality and safety against Byzantine stake fraction (CT-003). */
import { CONFIG, SCHEMA, WIDTH, round, type Chart, type ChartInput } from './common.js';

export function byzantineFraction(input: ChartInput): Chart | null {
  // Only scenarios that vary the fraction; a node-count sweep at fraction 0 says nothing here.
  const scenarios = new Set(
    [...new Set(input.points.map((p) => p.scenario))].filter((sc) => new Set(input.points.filter((p) => p.scenario === sc).map((p) => p.byzantineFraction)).size >= 2),
  );
  const points = input.points.filter((p) => scenarios.has(p.scenario) && !p.faulted);
  if (points.length === 0) return null;
  const maxF = Math.max(0.35, ...points.map((p) => p.byzantineFraction));
  const sizes = new Set(points.map((p) => p.nodes)).size;
  const values = points.map((p) => ({
    fraction: round(p.byzantineFraction),
    finalised: round(p.offeredTps.mean > 0 ? Math.min(1, p.tps.mean / p.offeredTps.mean) : 0),
    live: round(p.liveShare),
    violations: p.safetyViolations,
    nodes: `${p.nodes} nodes`,
  }));
  const x = { field: 'fraction', type: 'quantitative' as const, title: 'Byzantine stake fraction', axis: { format: '.0%' }, scale: { domain: [0, maxF], nice: false } };
  return {
    name: 'byzantine',
    title: 'Finality and safety vs Byzantine fraction',
    caption: 'Top: share of offered load finalised and share of runs that stayed live. Bottom: safety violations among honest nodes (summed over seeds).',
    spec: {
      $schema: SCHEMA,
      title: { text: 'Finality and safety vs Byzantine stake' },
      config: CONFIG,
      data: { values },
      vconcat: [
        {
          width: WIDTH,
          height: 180,
          transform: [{ fold: ['finalised', 'live'], as: ['measure', 'share'] }],
          mark: { type: 'line', point: true },
          encoding: { x, y: { field: 'share', type: 'quantitative', title: 'share', axis: { format: '.0%' }, scale: { domain: [0, 1] } }, color: { field: 'measure', type: 'nominal', title: 'measure' }, ...(sizes > 1 ? { strokeDash: { field: 'nodes', type: 'nominal' as const, title: 'size' } } : {}) },
        },
        {
          width: WIDTH,
          height: 120,
          mark: { type: 'bar', color: '#e45756', width: 10 },
          encoding: { x, y: { field: 'violations', type: 'quantitative', title: 'safety violations' } },
        },
      ],
    },
  };
}
