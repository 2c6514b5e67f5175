/**
 * Text rendering of a gate: the strategy × fraction table (expected, observed,
 * rates with Wilson 95% intervals) and the verdict with the repro command of
 * each failing seed.
 */
import { formatInterval } from '../metrics/wilson.js';
import type { CellResult } from './classify.js';

/** Repro lines printed per mismatched cell; the rest are counted. */
export const MAX_REPRO_LINES_PER_CELL = 10;

export function formatFraction(f: number): string {
  return `${Number((100 * f).toFixed(4))}%`;
}

export function formatGateTable(cells: readonly CellResult[]): string {
  const header = ['strategy', 'fraction', 'expected', 'observed', 'unsafe rate', 'not-live rate', 'result'];
  const rows = cells.map((c) => [
    c.strategy,
    formatFraction(c.fraction),
    c.expected,
    c.observed,
    `${c.unsafeRate.k}/${c.unsafeRate.n} ${formatInterval(c.unsafeRate)}`,
    `${c.notLiveRate.k}/${c.notLiveRate.n} ${formatInterval(c.notLiveRate)}`,
    c.match ? 'ok' : 'MISMATCH',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (r: readonly string[]): string =>
    r
      .map((v, i) => v.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

export function formatGateVerdict(cells: readonly CellResult[]): string {
  const bad = cells.filter((c) => !c.match);
  const runs = cells.reduce((s, c) => s + c.runs.length, 0);
  if (bad.length === 0) return `gate: PASS, all ${cells.length} cells (${runs} runs) match their expected outcome`;
  const out = [`gate: FAIL, ${bad.length} of ${cells.length} cells (${runs} runs) do not match their expected outcome`];
  for (const c of bad) {
    out.push(`  ${c.strategy} @ ${formatFraction(c.fraction)}: expected ${c.expected}, observed ${c.observed}`);
    const failing = c.runs.filter((r) => c.failingSeeds.includes(r.seed));
    for (const r of failing.slice(0, MAX_REPRO_LINES_PER_CELL)) {
      out.push(`    seed ${r.seed} (${r.outcome}: ${r.reason}): ${r.repro}`);
    }
    if (failing.length > MAX_REPRO_LINES_PER_CELL) {
      out.push(`    … and ${failing.length - MAX_REPRO_LINES_PER_CELL} more seeds`);
    }
  }
  return out.join('\n');
}
