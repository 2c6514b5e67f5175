/** Sustained TPS against node count, mean over seeds with 95% CI bars, one line per other sweep setting. */
import { CONFIG, HEIGHT, SCHEMA, WIDTH, isClean, mixesProtocols, nodesAxis, protocolOf, round, seriesLabel, type Chart, type ChartInput } from './common.js';

export function tpsVsNodes(input: ChartInput): Chart | null {
  const points = input.points.filter(isClean);
  if (new Set(points.map((p) => p.nodes)).size < 2) return null;
  const mixed = mixesProtocols(points);
  const values = points.map((p) => ({ nodes: p.nodes, tps: round(p.tps.mean), lo: round(p.tps.lo), hi: round(p.tps.hi), offered: round(p.offeredTps.mean), series: seriesLabel(p.point, undefined, mixed ? { of: protocolOf(p) } : undefined) }));
  const x = nodesAxis(points.map((p) => p.nodes));
  // One series needs no legend; several are told apart by colour.
  const series = new Set(values.map((v) => v.series)).size;
  return {
    name: 'tps-vs-nodes',
    title: 'Throughput vs nodes',
    caption: 'Sustained accepted transactions/s at each network size (mean over seeds, 95% CI; dashed: offered load). Runs without faults or Byzantine nodes.',
    spec: {
      $schema: SCHEMA,
      title: { text: 'Sustained TPS vs nodes', subtitle: 'mean of seeds ± 95% CI; dashed: offered load' },
      width: WIDTH,
      height: HEIGHT,
      config: CONFIG,
      data: { values },
      encoding: { x, color: { field: 'series', type: 'nominal', title: 'setting', ...(series > 1 ? {} : { legend: null }) } },
      layer: [
        { mark: { type: 'line', point: true }, encoding: { y: { field: 'tps', type: 'quantitative', title: 'accepted transactions/s (TPS)', scale: { zero: true } } } },
        { mark: { type: 'rule' }, encoding: { y: { field: 'lo', type: 'quantitative' }, y2: { field: 'hi' } } },
        { mark: { type: 'line', strokeDash: [4, 3], opacity: 0.5 }, encoding: { y: { field: 'offered', type: 'quantitative' } } },
      ],
    },
  };
}
