/**
 * Runs one job on two code trees in alternating rounds (base, head; head,
 * base; ...), each run its own child process. Alternating puts a burst of
 * outside load on both sides alike; per-round ratios pair runs that were
 * adjacent in time, so slow drift in the machine's load cancels out.
 */
import { runChild, type ChildLimits, type ChildOutcome } from './child.js';
import type { CodeTree } from './git-ref.js';
import { cpuPerUnit, describeJob, type Figures, type Job } from './jobs.js';
import { median } from './stats.js';

export interface Paired {
  job: Job;
  base: ChildOutcome[];
  head: ChildOutcome[];
}

export interface AlternateOptions {
  rounds: number;
  limits: ChildLimits;
  log: (line: string) => void;
}

function brief(o: ChildOutcome): string {
  if (o.status !== 'ok') return o.status;
  const f = o.figures;
  const unit = f.kind === 'queue' ? 'CPU ns/op' : 'CPU s per sim s';
  return `${cpuPerUnit(f).toFixed(f.kind === 'queue' ? 1 : 3)} ${unit} (${f.cpuSeconds.toFixed(1)} CPU s, ${f.wallSeconds.toFixed(1)} wall s)`;
}

/** Alternating rounds; with no base, head alone. */
export async function alternate(base: CodeTree | undefined, head: CodeTree, job: Job, o: AlternateOptions): Promise<Paired> {
  const out: Paired = { job, base: [], head: [] };
  for (let r = 0; r < o.rounds; r++) {
    const order = base === undefined ? [head] : r % 2 === 0 ? [base, head] : [head, base];
    for (const tree of order) {
      const res = await runChild(tree.root, job, o.limits);
      (tree === base ? out.base : out.head).push(res);
      o.log(`  round ${r + 1}/${o.rounds} ${tree.label.padEnd(4)} ${describeJob(job)}: ${brief(res)}`);
    }
  }
  return out;
}

/** The figures of the runs that completed. */
export function okFigures(outcomes: readonly ChildOutcome[]): Figures[] {
  return outcomes.flatMap((o) => (o.status === 'ok' && (o.figures.kind === 'queue' || o.figures.completed) ? [o.figures] : []));
}

export interface Comparison {
  /** Median CPU per unit (s per simulated s, or ns per op) of each side's completed runs. */
  base: number;
  head: number;
  /** head / base for each round in which both sides completed. */
  ratios: number[];
  /** Median of the per-round ratios (NaN when no round completed on both sides). */
  ratio: number;
}

export function compare(p: Paired): Comparison {
  const ratios: number[] = [];
  for (let r = 0; r < Math.min(p.base.length, p.head.length); r++) {
    const b = okFigures([p.base[r]!])[0];
    const h = okFigures([p.head[r]!])[0];
    if (b !== undefined && h !== undefined) ratios.push(cpuPerUnit(h) / cpuPerUnit(b));
  }
  return {
    base: median(okFigures(p.base).map(cpuPerUnit)),
    head: median(okFigures(p.head).map(cpuPerUnit)),
    ratios,
    ratio: median(ratios),
  };
}
