/** CPU utilisation (mean and busiest node) against offered load (ST-001). */
import { CONFIG, HEIGHT, SCHEMA, WIDTH, type Chart, type ChartInput } from './common.js';
import { hasLoadRange, loadPoints } from './load.js';

export function cpuVsLoad({ runs }: ChartInput): Chart | null {
  if (!hasLoadRange(runs) || new Set(runs.map((r) => r.offeredTps)).size < 2) return null;
  const values = loadPoints(runs).perRun.flatMap((p) => [
    { offered: p.offered, cpu: p.cpu, which: `mean node, ${p.nodes}` },
    { offered: p.offered, cpu: p.cpuMax, which: `busiest node, ${p.nodes}` },
  ]);
  return {
    name: 'cpu-vs-load',
    title: 'CPU utilisation vs load',
    caption: 'CPU utilisation of the mean and the busiest node against offered load; 100% is saturation.',
    spec: {
      $schema: SCHEMA,
      title: { text: 'CPU utilisation vs offered load' },
      width: WIDTH,
      height: HEIGHT,
      config: CONFIG,
      data: { values },
      mark: { type: 'line', point: true },
      encoding: {
        x: { field: 'offered', type: 'quantitative', title: 'offered load (TPS)' },
        y: { field: 'cpu', type: 'quantitative', title: 'CPU utilisation', axis: { format: '.0%' }, scale: { domain: [0, 1] } },
        color: { field: 'which', type: 'nominal', title: 'node' },
      },
    },
  };
}
