/**
 * Sustained TPS against node count, mean over seeds with 95% CI bars, one
 * line per other sweep setting; every seed's own TPS as a hollow point beside
 * its interval, and n on the chart (a 95% interval over 2 seeds is wide).
 */
import { CONFIG, HEIGHT, SCHEMA, WIDTH, besideNodes, isClean, isCleanRun, mixesProtocols, nodesAxis, protocolOf, round, seedsText, seriesLabel, type Chart, type ChartInput } from './common.js';

export function tpsVsNodes(input: ChartInput): Chart | null {
  const points = input.points.filter(isClean);
  if (new Set(points.map((p) => p.nodes)).size < 2) return null;
  const mixed = mixesProtocols(points);
  const values = points.map((p) => ({ nodes: p.nodes, tps: round(p.tps.mean), lo: round(p.tps.lo), hi: round(p.tps.hi), offered: round(p.offeredTps.mean), series: seriesLabel(p.point, undefined, mixed ? { of: protocolOf(p) } : undefined) }));
  const seeds = input.runs.filter(isCleanRun).map((r) => ({ nodes: besideNodes(r.nodes), tps: round(r.tps), seed: r.seed, series: seriesLabel(r.point, undefined, mixed ? { of: protocolOf(r) } : undefined) }));
  const n = seedsText(points.map((p) => p.tps.n));
  const x = nodesAxis(points.map((p) => p.nodes));
  // One series needs no legend; several are told apart by colour.
  const series = new Set(values.map((v) => v.series)).size;
  return {
    name: 'tps-vs-nodes',
    title: 'Throughput vs nodes',
    caption: `Sustained accepted transactions/s at each network size: mean over seeds with its 95% CI (Student t; ${n}), each seed as a hollow point beside it; dashed: offered load. Runs without faults or Byzantine nodes.`,
    spec: {
      $schema: SCHEMA,
      title: { text: 'Sustained TPS vs nodes', subtitle: `mean of seeds ± 95% CI (${n}); hollow: each seed; dashed: offered load` },
      width: WIDTH,
      height: HEIGHT,
      config: CONFIG,
      data: { values },
      encoding: { x, color: { field: 'series', type: 'nominal', title: 'setting', ...(series > 1 ? {} : { legend: null }) } },
      layer: [
        { mark: { type: 'line', point: true }, encoding: { y: { field: 'tps', type: 'quantitative', title: 'accepted transactions/s (TPS)', scale: { zero: true } } } },
        { mark: { type: 'rule' }, encoding: { y: { field: 'lo', type: 'quantitative' }, y2: { field: 'hi' } } },
        { mark: { type: 'line', strokeDash: [4, 3], opacity: 0.5 }, encoding: { y: { field: 'offered', type: 'quantitative' } } },
        { data: { values: seeds }, mark: { type: 'point', filled: false, size: 28, opacity: 0.8 }, encoding: { y: { field: 'tps', type: 'quantitative' }, tooltip: [{ field: 'seed', type: 'quantitative' }, { field: 'tps', type: 'quantitative' }] } },
      ],
    },
  };
}
