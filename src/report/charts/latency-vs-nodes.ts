/** p95 finality latency against node count, with the fitted a + b·ln(N) curve and its R² in the title. */
import { quantileOf } from '../../metrics/summary.js';
import { fitLog } from '../stats.js';
import { CONFIG, HEIGHT, SCHEMA, WIDTH, isClean, isCleanRun, nodesAxis, round, type Chart, type ChartInput } from './common.js';

export function latencyVsNodes(input: ChartInput): Chart | null {
  const points = input.points.filter(isClean);
  const runs = input.runs.filter(isCleanRun);
  const nodes = [...new Set(points.map((p) => p.nodes))].sort((a, b) => a - b);
  if (nodes.length < 2) return null;
  // Fit over every run (not point means), so seeds weigh in.
  // Runs with no finality samples have no p95 (not 0 ms): they are left out.
  const fit = fitLog(runs.flatMap((r) => { const y = quantileOf(r.latencyMs, 'p95'); return y === null ? [] : [{ x: r.nodes, y }]; }));
  if (fit === null) return null;
  const lo = nodes[0] ?? 1;
  const hi = nodes[nodes.length - 1] ?? 1;
  const curve = Array.from({ length: 50 }, (_, i) => {
    const n = lo * (hi / lo) ** (i / 49);
    return { nodes: round(n), fit: round(fit.a + fit.b * Math.log(n)) };
  });
  const measured = points.filter((p) => p.p95.n > 0).map((p) => ({ nodes: p.nodes, p95: round(p.p95.mean), lo: round(p.p95.lo), hi: round(p.p95.hi) }));
  const x = nodesAxis(nodes);
  const sign = fit.b < 0 ? '−' : '+';
  return {
    name: 'latency-vs-nodes',
    title: 'p95 latency vs nodes',
    caption: 'Client-observed p95 finality latency per sweep point (mean, 95% CI) and the least-squares fit a + b·ln N over all runs without faults or Byzantine nodes.',
    spec: {
      $schema: SCHEMA,
      title: {
        text: `p95 latency vs nodes: ${round(fit.a, 3)} ${sign} ${round(Math.abs(fit.b), 3)}·ln N ms, R² = ${fit.r2.toFixed(3)}`,
        subtitle: `dots: mean of seeds ± 95% CI; dashed: fit over ${runs.length} runs`,
      },
      width: WIDTH,
      height: HEIGHT,
      config: CONFIG,
      layer: [
        { data: { values: curve }, mark: { type: 'line', color: '#e45756', strokeDash: [6, 3] }, encoding: { x, y: { field: 'fit', type: 'quantitative', title: 'p95 finality latency (ms)' } } },
        { data: { values: measured }, mark: { type: 'rule', color: '#4c78a8' }, encoding: { x, y: { field: 'lo', type: 'quantitative' }, y2: { field: 'hi' } } },
        { data: { values: measured }, mark: { type: 'point', filled: true, size: 60, color: '#4c78a8' }, encoding: { x, y: { field: 'p95', type: 'quantitative' } } },
      ],
    },
  };
}
