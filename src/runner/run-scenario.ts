/**
 * PLACEHOLDER written by the CLI helper so that `avsim run` compiles: the lead
 * replaces this file with the real runner. Only the exported types are the
 * contract the CLI relies on.
 */
import type { RunSummary } from '../metrics/summary.js';
import type { Scenario } from '../scenario/schema.js';
import type { SweepPoint } from '../scenario/sweep.js';

export interface RunProgress {
  /** Simulated time reached, µs. */
  simMicros: number;
  /** Simulated time the run ends at, µs. */
  endMicros: number;
  events: number;
  wallSeconds: number;
}

export interface TraceOptions {
  /** File the event trace is written to. */
  file: string;
  /** Only events at these nodes (all when absent). */
  nodes?: readonly number[];
  /** Only events in [fromMicros, toMicros). */
  fromMicros?: number;
  toMicros?: number;
}

export interface RunScenarioOptions {
  seed: number;
  /** The sweep point this run belongs to (recorded in RunSummary.point). */
  point?: SweepPoint;
  onProgress?: (progress: RunProgress) => void;
  trace?: TraceOptions;
  /** The one command that re-runs exactly this case (RunSummary.repro). */
  repro?: string;
}

export async function runScenario(_scenario: Scenario, _options: RunScenarioOptions): Promise<RunSummary> {
  throw new Error('runner not wired yet');
}
