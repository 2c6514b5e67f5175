/** Accepted TPS against offered load, with the y = x line: where they part is the peak (LT-002). */
import { CONFIG, HEIGHT, SCHEMA, WIDTH, round, type Chart, type ChartInput } from './common.js';
import { hasLoadRange, loadPoints } from './load.js';

export function tpsVsOffered({ runs }: ChartInput): Chart | null {
  if (!hasLoadRange(runs)) return null;
  const { perRun, perBucket } = loadPoints(runs);
  const all = [...perRun, ...perBucket];
  const peak = all.reduce((a, p) => (p.tps > a.tps ? p : a), all[0] ?? { offered: 0, tps: 0 });
  const maxOffered = Math.max(...all.map((p) => p.offered));
  const x = { field: 'offered', type: 'quantitative' as const, title: 'offered load (TPS)' };
  return {
    name: 'tps-vs-offered',
    title: 'TPS vs offered load',
    caption: 'Accepted against offered transactions/s; the dashed line is y = x. Points below it mean the network saturated.',
    spec: {
      $schema: SCHEMA,
      title: { text: `Accepted vs offered load: peak ${round(peak.tps, 4)} TPS at ${round(peak.offered, 4)} offered` },
      width: WIDTH,
      height: HEIGHT,
      config: CONFIG,
      layer: [
        { data: { values: [{ offered: 0, tps: 0 }, { offered: maxOffered, tps: maxOffered }] }, mark: { type: 'line', color: '#999', strokeDash: [5, 4] }, encoding: { x, y: { field: 'tps', type: 'quantitative', title: 'accepted transactions/s (TPS)' } } },
        ...(perBucket.length > 0 ? [{ data: { values: perBucket }, mark: { type: 'point' as const, opacity: 0.35, size: 14 }, encoding: { x, y: { field: 'tps', type: 'quantitative' as const }, color: { field: 'nodes', type: 'nominal' as const, title: 'size' } } }] : []),
        { data: { values: perRun }, mark: { type: 'point', filled: true, size: 70, shape: 'diamond' }, encoding: { x, y: { field: 'tps', type: 'quantitative' }, color: { field: 'nodes', type: 'nominal', title: 'size' } } },
      ],
    },
  };
}
