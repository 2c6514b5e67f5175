/**
 * Running a gate: every strategy × fraction × seed through a caller-supplied
 * `runCell`, then classification, table and verdict. Independent of how runs
 * are produced (in-process, Piscina workers, a real cluster): `evaluateGate`
 * takes already-produced summaries, `runGate` produces them through `runCell`.
 * Results are in spec order whatever the concurrency, so the printed table is
 * the same on every machine.
 */
import type { RunSummary } from '../metrics/summary.js';
import { classifyCell, classifyRun, type CellResult, type ClassifiedRun } from './classify.js';
import type { GateSpec } from './spec.js';
import { formatGateTable, formatGateVerdict } from './table.js';

export type RunCell = (strategy: string, fraction: number, seed: number) => Promise<RunSummary>;

export interface GateRun {
  strategy: string;
  fraction: number;
  seed: number;
  /** The run's summary, or why it could not be produced. */
  result: { kind: 'summary'; summary: RunSummary } | { kind: 'failed'; message: string };
}

export interface RunGateOptions {
  /** Runs in flight at once (default 1, at most 256). */
  concurrency?: number;
  /** Repro command for a run that threw before producing a summary. */
  reproOf?: (strategy: string, fraction: number, seed: number) => string;
  /** Progress callback, called once per finished run. */
  onRun?: (done: number, total: number, run: GateRun) => void;
}

export interface GateResult {
  cells: CellResult[];
  table: string;
  verdict: string;
  /** Table, blank line, verdict: what `avsim check` prints. */
  text: string;
  mismatches: number;
  /** 0 when every cell matches, 1 otherwise. */
  exitCode: 0 | 1;
}

/** Classify already-produced runs (any order) against the spec. */
export function evaluateGate(
  spec: GateSpec,
  runs: readonly GateRun[],
  reproOf: (strategy: string, fraction: number, seed: number) => string = defaultRepro,
): GateResult {
  const byKey = new Map<string, GateRun>();
  for (const r of runs) byKey.set(runKey(r.strategy, r.fraction, r.seed), r);
  const cells = spec.cells.map((cell) => {
    const classified = spec.seeds.map((seed): ClassifiedRun => {
      const r = byKey.get(runKey(cell.strategy, cell.fraction, seed));
      if (r === undefined) {
        return { seed, outcome: 'error', reason: 'no run result', repro: reproOf(cell.strategy, cell.fraction, seed), summary: null };
      }
      if (r.result.kind === 'failed') {
        return { seed, outcome: 'error', reason: `run failed: ${r.result.message}`, repro: reproOf(cell.strategy, cell.fraction, seed), summary: null };
      }
      const s = r.result.summary;
      return { seed, ...classifyRun(s), repro: s.repro, summary: s };
    });
    return classifyCell(cell, classified);
  });
  const table = formatGateTable(cells);
  const verdict = formatGateVerdict(cells);
  const mismatches = cells.filter((c) => !c.match).length;
  return { cells, table, verdict, text: `${table}\n\n${verdict}`, mismatches, exitCode: mismatches === 0 ? 0 : 1 };
}

/** Run every cell × seed through `runCell` and evaluate. A run that throws counts as an errored run. */
export async function runGate(spec: GateSpec, runCell: RunCell, opts: RunGateOptions = {}): Promise<GateResult> {
  const concurrency = opts.concurrency ?? 1;
  if (!Number.isSafeInteger(concurrency) || concurrency < 1 || concurrency > 256) {
    throw new RangeError(`gate: concurrency must be an integer in [1, 256], got ${concurrency}`);
  }
  const jobs = spec.cells.flatMap((c) => spec.seeds.map((seed) => ({ strategy: c.strategy, fraction: c.fraction, seed })));
  const results: GateRun[] = [];
  let next = 0;
  let done = 0;
  const worker = async (): Promise<void> => {
    while (next < jobs.length) {
      const i = next++;
      const job = jobs[i];
      if (job === undefined) break;
      let run: GateRun;
      try {
        run = { ...job, result: { kind: 'summary', summary: await runCell(job.strategy, job.fraction, job.seed) } };
      } catch (e) {
        run = { ...job, result: { kind: 'failed', message: e instanceof Error ? e.message : String(e) } };
      }
      results[i] = run;
      done++;
      opts.onRun?.(done, jobs.length, run);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, jobs.length) }, worker));
  return evaluateGate(spec, results, opts.reproOf ?? defaultRepro);
}

function runKey(strategy: string, fraction: number, seed: number): string {
  return `${strategy}\u0000${fraction}\u0000${seed}`;
}

function defaultRepro(strategy: string, fraction: number, seed: number): string {
  return `(no repro: strategy=${strategy} fraction=${fraction} seed=${seed})`;
}
