/**
 * Outcome of one run, and of a cell (one strategy at one fraction) over seeds.
 *
 * One run:
 *   - `unsafe` when the safety checker saw any violation (even in a run that
 *     then hit a limit: a violation observed is evidence regardless);
 *   - `error` when the run did not complete (limit or error) or could not be
 *     run at all: its liveness cannot be judged;
 *   - `safe-not-live` when the liveness check failed;
 *   - `safe-live` otherwise.
 *
 * A cell over seeds: the worst outcome observed (safe-live < safe-not-live <
 * unsafe), and `error` if any run errored. So a cell expected `safe-live`
 * fails as soon as one seed loses safety or liveness (safety must hold on
 * every seed), and a cell expected `unsafe` passes as soon as one seed shows
 * the violation (the expected failure still shows). The rates with their
 * Wilson 95% intervals say how often each outcome occurred.
 */
import type { RunSummary } from '../metrics/summary.js';
import { wilsonInterval, type ProportionInterval } from '../metrics/wilson.js';
import type { GateCellSpec, GateOutcome } from './spec.js';

export type RunClass = GateOutcome | 'error';

export interface ClassifiedRun {
  seed: number;
  outcome: RunClass;
  /** Why, in a few words (violation count, liveness figures, limit hit, error message). */
  reason: string;
  /** The command that re-runs exactly this case. */
  repro: string;
  /** The run's summary, when the run produced one. */
  summary: RunSummary | null;
}

export interface CellResult extends GateCellSpec {
  observed: RunClass;
  match: boolean;
  runs: ClassifiedRun[];
  /** Runs with a safety violation, out of the runs that produced a summary. */
  unsafeRate: ProportionInterval;
  /** Runs whose liveness check failed, out of the runs that produced a summary. */
  notLiveRate: ProportionInterval;
  /** Seeds that explain a mismatch (empty when the cell matches). */
  failingSeeds: number[];
}

const SEVERITY: Record<GateOutcome, number> = { 'safe-live': 0, 'safe-not-live': 1, unsafe: 2 };

export function classifyRun(s: RunSummary): { outcome: RunClass; reason: string } {
  if (s.safety.violations > 0) {
    const first = s.safety.examples[0];
    const where = first === undefined ? '' : ` (first at height ${first.height}, ${first.timeMs} ms)`;
    return { outcome: 'unsafe', reason: `${s.safety.violations} safety violation(s)${where}` };
  }
  switch (s.outcome.kind) {
    case 'limit':
      return { outcome: 'error', reason: `hit limit ${s.outcome.limit}: ${s.outcome.detail}` };
    case 'error':
      return { outcome: 'error', reason: `run error: ${s.outcome.message}` };
    case 'completed':
      break;
  }
  if (!s.liveness.ok) {
    return {
      outcome: 'safe-not-live',
      reason: `${s.liveness.undecided} tx undecided and ${s.liveness.lateAccepted ?? 0} accepted later than ${s.liveness.boundMs} ms`,
    };
  }
  return { outcome: 'safe-live', reason: `${s.acceptedTransactions} tx accepted` };
}

export function classifyCell(cell: GateCellSpec, runs: ClassifiedRun[]): CellResult {
  if (runs.length === 0) throw new Error(`gate: cell ${cell.strategy} @ ${cell.fraction} has no runs`);
  const judged = runs.filter((r) => r.summary !== null);
  const unsafe = judged.filter((r) => (r.summary?.safety.violations ?? 0) > 0).length;
  const notLive = judged.filter((r) => r.summary?.liveness.ok === false).length;
  let worst: GateOutcome = 'safe-live';
  for (const r of runs) {
    if (r.outcome !== 'error' && SEVERITY[r.outcome] > SEVERITY[worst]) worst = r.outcome;
  }
  const observed: RunClass = runs.some((r) => r.outcome === 'error') ? 'error' : worst;
  const match = observed === cell.expected;
  return {
    ...cell,
    observed,
    match,
    runs,
    unsafeRate: wilsonInterval(unsafe, judged.length),
    notLiveRate: wilsonInterval(notLive, judged.length),
    failingSeeds: match ? [] : failingSeeds(cell.expected, observed, runs),
  };
}

/**
 * Seeds that explain a mismatch: the errored ones; else, when the cell came out
 * worse than expected, the seeds worse than expected; else (the expected
 * failure did not show) every seed, since none of them showed it.
 */
function failingSeeds(expected: GateOutcome, observed: RunClass, runs: ClassifiedRun[]): number[] {
  if (observed === 'error') return runs.filter((r) => r.outcome === 'error').map((r) => r.seed);
  if (SEVERITY[observed] > SEVERITY[expected]) {
    return runs.filter((r) => r.outcome !== 'error' && SEVERITY[r.outcome] > SEVERITY[expected]).map((r) => r.seed);
  }
  return runs.map((r) => r.seed);
}
