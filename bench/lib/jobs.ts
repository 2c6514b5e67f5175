/**
 * What one benchmark child process runs, and what it reports. The parent
 * (child.ts) and the child (driver.ts) share these types; a job is passed to
 * the child as JSON on its command line, so base and head run exactly the
 * same job, scenario text included.
 */

/** The hold model on the engine's event queue: pop the earliest, push one later. */
export interface QueueJob {
  kind: 'queue';
  pending: number;
  ops: number;
}

/** The scale scenario (bench:scale): default parameters, SimBlock 2019 regions, 1,000 TPS offered. */
export interface ScenarioJob {
  kind: 'scenario';
  nodes: number;
  workers: number;
  durationMs: number;
  seed: number;
  /** Simulated seconds at which to record the process's RSS (first progress report at or after each). */
  rssAtSeconds: number[];
}

export type Job = QueueJob | ScenarioJob;

export interface QueueFigures {
  kind: 'queue';
  ops: number;
  cpuSeconds: number;
  wallSeconds: number;
  peakRssBytes: number;
}

export interface RssSample {
  /** Simulated time the sample was taken at (the first progress report at or after the requested time). */
  simSeconds: number;
  rssBytes: number;
  heapUsedBytes: number;
}

export interface ScenarioFigures {
  kind: 'scenario';
  nodes: number;
  workers: number;
  /** The run completed; otherwise `note` says how it ended. */
  completed: boolean;
  simSeconds: number;
  events: number;
  wallSeconds: number;
  /** Process CPU time (all threads) over the run, setup included, module loading and scenario parsing not. */
  cpuSeconds: number;
  peakRssBytes: number;
  /** RSS before the scenario was parsed (the bare process). */
  rssBeforeBytes: number;
  rssAt: RssSample[];
  tps: number;
  traceHash: string;
  lookaheadMs: number | null;
  windows: number | null;
  note: string;
}

export type Figures = QueueFigures | ScenarioFigures;

/** A progress line of a scenario child. */
export interface Progress {
  simSeconds: number;
  events: number;
  wallSeconds: number;
  rssBytes: number;
}

/** The scenario of bench:scale and bench:gate (the issue's: unchanged since the previous round's bench). */
/** The bench:scale scenario; `offeredTps` other than the default 1,000 only for heap-at's steady-state runs (the benches compare at 1,000). */
export function scaleScenarioText(nodes: number, durationMs: number, offeredTps = 1000): string {
  return `
name: scale-${nodes}
duration: ${durationMs}ms
nodes: {count: ${nodes}}
network:
  latency: {kind: regions, preset: simblock-2019}
workload:
  phases:
    - {kind: poisson, rateTps: ${offeredTps}, duration: ${durationMs}ms}
measurement: {warmup: ${Math.min(2000, Math.floor(durationMs / 5))}ms}
`;
}

export function describeJob(job: Job): string {
  if (job.kind === 'queue') return `event queue, hold model, ${job.pending.toLocaleString('en-US')} pending, ${job.ops.toLocaleString('en-US')} ops`;
  return `${job.nodes.toLocaleString('en-US')} nodes, ${job.workers} worker(s), ${job.durationMs / 1000} s simulated`;
}

/** The figure the benches compare: CPU seconds per simulated second, or CPU nanoseconds per queue op. */
export function cpuPerUnit(f: Figures): number {
  return f.kind === 'queue' ? (f.cpuSeconds * 1e9) / f.ops : f.simSeconds > 0 ? f.cpuSeconds / f.simSeconds : NaN;
}
