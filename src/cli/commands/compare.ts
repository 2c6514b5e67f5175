/**
 * `avsim compare SIM_DIR REAL_DIR`: every real run of REAL_DIR against the
 * simulated run of the same scenario and seed in SIM_DIR. Writes
 * compare.json, compare.md and the overlay plots; exits 1 when a verdict
 * fails, 2 for bad input.
 */
import { join } from 'node:path';
import { comparePair, comparisonMarkdown, DEFAULT_TOLERANCES, pairRuns, type Tolerances } from '../../cluster/compare/compare.js';
import { cdfOverlay, throughputOverlay } from '../../cluster/compare/charts.js';
import { writeFileAtomic } from '../../report/atomic.js';
import { renderSvg, svgToPng } from '../../report/render.js';
import { jsonText, readRuns } from '../../report/results.js';
import { EXIT_CHECK_FAILED, EXIT_OK, UsageError } from '../errors.js';

export interface CompareFlags {
  out?: string;
  tpsTolerance?: string;
  p50Tolerance?: string;
  p95Tolerance?: string;
  png?: boolean;
}

function pct(text: string | undefined, flag: string, dflt: number): number {
  if (text === undefined) return dflt;
  const x = Number(text);
  if (!/^[0-9]+(\.[0-9]+)?$/.test(text) || !(x >= 0 && x <= 1000)) throw new UsageError(`${flag}: must be a percentage from 0 to 1000, got "${text}"`);
  return x / 100;
}

export async function compareCommand(simDir: string, realDir: string, flags: CompareFlags): Promise<number> {
  const tol: Tolerances = {
    tps: pct(flags.tpsTolerance, '--tps-tolerance', DEFAULT_TOLERANCES.tps),
    p50: pct(flags.p50Tolerance, '--p50-tolerance', DEFAULT_TOLERANCES.p50),
    p95: pct(flags.p95Tolerance, '--p95-tolerance', DEFAULT_TOLERANCES.p95),
  };
  let pairs;
  try {
    pairs = pairRuns(readRuns(simDir), readRuns(realDir));
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const out = flags.out ?? join(realDir, 'compare');
  const comparisons = [];
  const md = [`# Simulated (${simDir}) vs real (${realDir})`, '', `Tolerances: TPS ±${Math.round(tol.tps * 100)}%, client latency p50 ±${Math.round(tol.p50 * 100)}%, p95 ±${Math.round(tol.p95 * 100)}%.`, ''];
  for (const { sim, real } of pairs) {
    const c = comparePair(sim, real, tol);
    comparisons.push(c);
    md.push(comparisonMarkdown(c));
    const stem = `${real.scenario}.s${real.seed}`;
    for (const [name, spec] of [
      [`${stem}.latency-cdf`, cdfOverlay(sim, real, c.ksClientLatency)],
      [`${stem}.throughput`, throughputOverlay(sim, real)],
    ] as const) {
      const svg = await renderSvg(spec);
      writeFileAtomic(join(out, `${name}.vl.json`), jsonText(spec));
      writeFileAtomic(join(out, `${name}.svg`), svg);
      if (flags.png !== false) writeFileAtomic(join(out, `${name}.png`), svgToPng(svg));
    }
    process.stdout.write(`${c.scenario} seed ${c.seed}: ${c.verdict.toUpperCase()} | TPS ${c.rows[0]?.sim}/${c.rows[0]?.real} (x${c.rows[0]?.ratio}) | p50 x${c.rows[1]?.ratio} | p95 x${c.rows[2]?.ratio} | KS ${c.ksClientLatency}${c.reasons.length === 0 ? '' : ` | ${c.reasons.join('; ')}`}\n`);
  }
  writeFileAtomic(join(out, 'compare.json'), jsonText({ tolerances: tol, comparisons }));
  writeFileAtomic(join(out, 'compare.md'), md.join('\n'));
  process.stdout.write(`${join(out, 'compare.md')}: ${comparisons.length} comparison(s)\n`);
  return comparisons.every((c) => c.verdict === 'pass') ? EXIT_OK : EXIT_CHECK_FAILED;
}
