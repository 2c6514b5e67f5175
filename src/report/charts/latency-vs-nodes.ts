/**
 * p95 finality latency against node count, with the fitted a + b·ln(N)
 * curve and its R² in the title. Runs of different protocols (a swept or
 * --set protocol.name) get one colour, one fit and one R² each: two
 * protocols are never pooled into one curve. Other settings (e.g. loads)
 * are pooled, as before. Every seed's own p95 is a hollow point beside its
 * point's interval, and n is on the chart.
 */
import { quantileOf } from '../../metrics/summary.js';
import { fitLog, type LogFit } from '../stats.js';
import type { RunSummary } from '../../metrics/summary.js';
import { CONFIG, HEIGHT, SCHEMA, WIDTH, besideNodes, isClean, isCleanRun, nodesAxis, protocolOf, round, seedsText, type Chart, type ChartInput } from './common.js';

/** The series of a run or point: the protocol it ran (the scenario's own for older files that record none). */
const seriesOf = (r: { point: RunSummary['point']; protocol?: string | undefined }): string => `protocol=${protocolOf(r) ?? "scenario's"}`;

const fitText = (fit: LogFit): string => `${round(fit.a, 3)} ${fit.b < 0 ? '−' : '+'} ${round(Math.abs(fit.b), 3)}·ln N ms, R² = ${fit.r2.toFixed(3)}`;

export function latencyVsNodes(input: ChartInput): Chart | null {
  const points = input.points.filter(isClean);
  const runs = input.runs.filter(isCleanRun);
  const nodes = [...new Set(points.map((p) => p.nodes))].sort((a, b) => a - b);
  if (nodes.length < 2) return null;
  const labels = [...new Set(points.map((p) => seriesOf(p)))].sort();
  const lo = nodes[0] ?? 1;
  const hi = nodes[nodes.length - 1] ?? 1;
  const fits: Array<{ series: string; fit: LogFit }> = [];
  const curve: Array<{ nodes: number; fit: number; series: string }> = [];
  for (const series of labels) {
    // Fit over every run (not point means), so seeds weigh in.
    // Runs with no finality samples have no p95 (not 0 ms): they are left out.
    const fit = fitLog(
      runs.filter((r) => seriesOf(r) === series).flatMap((r) => {
        const y = quantileOf(r.latencyMs, 'p95');
        return y === null ? [] : [{ x: r.nodes, y }];
      }),
    );
    if (fit === null) continue;
    fits.push({ series, fit });
    for (let i = 0; i < 50; i++) {
      const n = lo * (hi / lo) ** (i / 49);
      curve.push({ nodes: round(n), fit: round(fit.a + fit.b * Math.log(n)), series });
    }
  }
  if (fits.length === 0) return null;
  const measured = points
    .filter((p) => p.p95.n > 0)
    .map((p) => ({ nodes: p.nodes, p95: round(p.p95.mean), lo: round(p.p95.lo), hi: round(p.p95.hi), series: seriesOf(p) }));
  const seeds = runs.flatMap((r) => {
    const p95 = quantileOf(r.latencyMs, 'p95');
    return p95 === null ? [] : [{ nodes: besideNodes(r.nodes), p95: round(p95), seed: r.seed, series: seriesOf(r) }];
  });
  const n = seedsText(points.map((p) => p.p95.n));
  const x = nodesAxis(nodes);
  const single = labels.length === 1 && fits.length === 1;
  const only = fits[0]!;
  const colour = single
    ? { color: { value: '#4c78a8' } }
    : { color: { field: 'series', type: 'nominal' as const, title: 'protocol', sort: labels } };
  return {
    name: 'latency-vs-nodes',
    title: 'p95 latency vs nodes',
    caption: `Client-observed p95 finality latency per sweep point (mean with its 95% CI, Student t, ${n}; each seed as a hollow point beside it) and the least-squares fit a + b·ln N over all runs without faults or Byzantine nodes${single ? '' : `, one per protocol: ${fits.map((f) => `${f.series}: ${fitText(f.fit)}`).join('; ')}`}.`,
    spec: {
      $schema: SCHEMA,
      title: {
        text: single ? `p95 latency vs nodes: ${fitText(only.fit)}` : 'p95 latency vs nodes, one fit a + b·ln N per protocol',
        subtitle: single
          ? `dots: mean of seeds ± 95% CI (${n}); hollow: each seed; dashed: fit over ${runs.length} runs`
          : `dots: mean of seeds ± 95% CI (${n}); hollow: each seed; dashed: fits (${fits.map((f) => `${f.series}: R² ${f.fit.r2.toFixed(3)}`).join(', ')})`,
      },
      width: WIDTH,
      height: HEIGHT,
      config: CONFIG,
      layer: [
        {
          data: { values: curve },
          mark: { type: 'line', strokeDash: [6, 3], ...(single ? { color: '#e45756' } : {}) },
          encoding: { x, y: { field: 'fit', type: 'quantitative', title: 'p95 finality latency (ms)' }, ...(single ? {} : colour), detail: { field: 'series' } },
        },
        { data: { values: measured }, mark: { type: 'rule' }, encoding: { x, y: { field: 'lo', type: 'quantitative' }, y2: { field: 'hi' }, ...colour } },
        { data: { values: measured }, mark: { type: 'point', filled: true, size: 60 }, encoding: { x, y: { field: 'p95', type: 'quantitative' }, ...colour } },
        { data: { values: seeds }, mark: { type: 'point', filled: false, size: 28, opacity: 0.8 }, encoding: { x, y: { field: 'p95', type: 'quantitative' }, ...colour, tooltip: [{ field: 'seed', type: 'quantitative' }, { field: 'p95', type: 'quantitative' }] } },
      ],
    },
  };
}
