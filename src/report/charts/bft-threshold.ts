/**
 * Plots of a threshold gate run (`avsim check --out DIR` writes them to
 * DIR/plots): outcome per strategy × Byzantine fraction, finality latency vs
 * fraction, and measured poll success vs the analytic overlay
 * (src/metrics/analytic.ts: binomial and the stake-unit hypergeometric the
 * sampler really draws from).
 */
import { makeDir } from '../../io/make-dir.js';
import { join } from 'node:path';
import type { CellResult } from '../../gate/classify.js';
import { pollSuccessBinomial, pollSuccessStakeUnits } from '../../metrics/analytic.js';
import { writeFileAtomic } from '../atomic.js';
import { renderSvg, svgToPng } from '../render.js';
import { CONFIG, HEIGHT, SCHEMA, WIDTH, round, type Chart } from './common.js';

export interface GatePlotShape {
  k: number;
  alphaPreference: number;
  /** Total stake units of the network (the sampler's population). */
  totalUnits: number;
}

const OUTCOME_COLOURS = { domain: ['safe-live', 'safe-not-live', 'unsafe', 'error'], range: ['#54a24b', '#f58518', '#e45756', '#888888'] };

function mean(xs: readonly number[]): number {
  return xs.length === 0 ? 0 : xs.reduce((s, x) => s + x, 0) / xs.length;
}

export function gateOutcomeChart(cells: readonly CellResult[]): Chart {
  const values = cells.map((c) => ({
    strategy: c.strategy,
    fraction: `${round(100 * c.fraction, 3)}%`,
    order: c.fraction,
    observed: c.observed,
    label: `${c.notLiveRate.k}/${c.notLiveRate.n} not live${c.unsafeRate.k > 0 ? `, ${c.unsafeRate.k} unsafe` : ''}${c.match ? '' : ' ✗'}`,
  }));
  const x = { field: 'fraction', type: 'ordinal' as const, title: 'Byzantine stake fraction', sort: { field: 'order' } };
  const y = { field: 'strategy', type: 'nominal' as const, title: null, sort: null };
  return {
    name: 'bft-outcome',
    title: 'Outcome per strategy and Byzantine fraction',
    caption: 'Worst outcome over seeds per cell; the text gives how many seeds lost liveness (and safety); ✗ marks a cell that differs from its expected outcome.',
    spec: {
      $schema: SCHEMA,
      title: { text: 'Outcome vs Byzantine fraction, per strategy' },
      config: CONFIG,
      data: { values },
      width: WIDTH,
      height: { step: 26 },
      layer: [
        { mark: { type: 'rect' }, encoding: { x, y, color: { field: 'observed', type: 'nominal', title: 'outcome', scale: OUTCOME_COLOURS } } },
        { mark: { type: 'text', fontSize: 9 }, encoding: { x, y, text: { field: 'label', type: 'nominal' } } },
      ],
    },
  };
}

export function gateLatencyChart(cells: readonly CellResult[]): Chart {
  const values = cells.flatMap((c) => {
    const runs = c.runs.flatMap((r) => (r.summary === null || r.summary.latencyMs.count === 0 ? [] : [r.summary]));
    if (runs.length === 0) return [];
    return [{ strategy: c.strategy, fraction: round(c.fraction), p50: round(mean(runs.map((s) => s.latencyMs.p50 ?? 0))), p95: round(mean(runs.map((s) => s.latencyMs.p95 ?? 0))) }];
  });
  return {
    name: 'bft-latency',
    title: 'Finality latency vs Byzantine fraction',
    caption: 'Client-observed finality latency (p50 solid, p95 dashed), mean over seeds; cells where nothing was finalised are left out.',
    spec: {
      $schema: SCHEMA,
      title: { text: 'Finality latency vs Byzantine fraction' },
      config: CONFIG,
      data: { values },
      width: WIDTH,
      height: HEIGHT,
      transform: [{ fold: ['p50', 'p95'], as: ['quantile', 'ms'] }],
      mark: { type: 'line', point: true },
      encoding: {
        x: { field: 'fraction', type: 'quantitative', title: 'Byzantine stake fraction', axis: { format: '.0%' } },
        y: { field: 'ms', type: 'quantitative', title: 'latency (ms, log)', scale: { type: 'log' } },
        color: { field: 'strategy', type: 'nominal', title: 'strategy' },
        strokeDash: { field: 'quantile', type: 'nominal', title: 'quantile' },
      },
    },
  };
}

export function gatePollChart(cells: readonly CellResult[], shape: GatePlotShape): Chart {
  const measured = cells.flatMap((c) =>
    c.runs.flatMap((r) => (r.summary === null ? [] : [{ series: c.strategy, fraction: round(r.summary.byzantine?.fraction ?? 0), p: round(r.summary.pollSuccessRate) }])),
  );
  const analytic: Array<{ series: string; fraction: number; p: number }> = [];
  for (let i = 0; i <= 45; i++) {
    const f = i / 100;
    const honestUnits = Math.round((1 - f) * shape.totalUnits);
    analytic.push({ series: 'analytic: binomial', fraction: f, p: round(pollSuccessBinomial({ k: shape.k, alpha: shape.alphaPreference, faultyFraction: f })) });
    analytic.push({
      series: 'analytic: stake units (hypergeometric)',
      fraction: f,
      p: round(pollSuccessStakeUnits({ k: shape.k, alpha: shape.alphaPreference, totalUnits: shape.totalUnits, honestUnits })),
    });
  }
  const x = { field: 'fraction', type: 'quantitative' as const, title: 'Byzantine stake fraction', axis: { format: '.0%' } };
  const y = { field: 'p', type: 'quantitative' as const, title: 'poll success rate', scale: { domain: [0, 1] } };
  return {
    name: 'bft-poll-success',
    title: 'Poll success: measured vs analytic',
    caption: `Lines: P[X ≥ ${shape.alphaPreference}] of K = ${shape.k} votes with a fraction f silent or opposing (binomial, and the hypergeometric over stake units the sampler draws). Points: measured poll success per run.`,
    spec: {
      $schema: SCHEMA,
      title: { text: 'Poll success vs Byzantine fraction', subtitle: `K = ${shape.k}, alphaPreference = ${shape.alphaPreference}` },
      config: CONFIG,
      width: WIDTH,
      height: HEIGHT,
      layer: [
        { data: { values: analytic }, mark: { type: 'line', color: '#333' }, encoding: { x, y, strokeDash: { field: 'series', type: 'nominal', title: 'analytic' } } },
        { data: { values: measured }, mark: { type: 'point', filled: true, opacity: 0.7 }, encoding: { x, y, color: { field: 'series', type: 'nominal', title: 'measured (strategy)' } } },
      ],
    },
  };
}

export function gateCharts(cells: readonly CellResult[], shape: GatePlotShape): Chart[] {
  return [gateOutcomeChart(cells), gateLatencyChart(cells), gatePollChart(cells, shape)];
}

/** Writes plots/<name>.{vl.json,svg,png} under `dir`; returns the files written. */
export async function writeGatePlots(dir: string, charts: readonly Chart[], png = true): Promise<string[]> {
  const plots = join(dir, 'plots');
  makeDir(plots, 'plots');
  const written: string[] = [];
  for (const c of charts) {
    const svg = await renderSvg(c.spec);
    const base = join(plots, c.name);
    writeFileAtomic(`${base}.vl.json`, `${JSON.stringify(c.spec, null, 2)}\n`);
    writeFileAtomic(`${base}.svg`, svg);
    written.push(`${base}.vl.json`, `${base}.svg`);
    if (png) {
      writeFileAtomic(`${base}.png`, svgToPng(svg));
      written.push(`${base}.png`);
    }
  }
  return written;
}
