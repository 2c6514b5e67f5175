/**
 * `avsim run FILE`: runs the scenario (no sweep: the base scenario with any
 * `--set` overrides) once per seed, evaluates its checks, prints a summary
 * (or one JSON summary per run with --json) and writes results with --out.
 */
import { NO_SAMPLES, quantileOf, type RunSummary } from '../../metrics/summary.js';
import { evaluateChecks } from '../../metrics/checks.js';
import { realWallLimit, runScenario, type RunScenarioOptions } from '../../runner/run-scenario.js';
import { loadScenarioFile, parseSet } from '../../scenario/load.js';
import { expandSweep, pointId, type SweepPoint, type SweepValue } from '../../scenario/sweep.js';
import { runId, writeRunFile, writeTables } from '../../report/results.js';
import { shellQuote } from '../../parallel/scenario-tasks.js';
import { runScenarioSharded } from '../../parallel/sharded/run-sharded.js';
import { checkShardable } from '../../parallel/sharded/layout.js';
import { parseMaxWall, parseNodeList, parseSeed, parseWindow, parseWorkers } from '../args.js';
import { UsageError } from '../errors.js';
import { prepareOutputDir, prepareOutputFile } from '../../io/output-paths.js';
import { formatDuration } from '../../scenario/duration.js';
import type { Scenario } from '../../scenario/schema.js';
import { printWarnings } from '../warnings.js';
import { EXIT_CHECK_FAILED, EXIT_OK } from '../errors.js';
import { createRunProgress, progressWanted } from '../progress.js';

export interface RunFlags {
  seed?: string;
  set?: string[];
  out?: string;
  json?: boolean;
  trace?: string;
  traceNodes?: string;
  traceWindow?: string;
  progress?: boolean;
  /** Split each run's nodes across this many worker threads (1: in this thread). */
  workers?: string;
  /** Wall time each run (each seed) may take before it ends with limit max-wall. */
  maxWall?: string;
}

export function repro(file: string, seed: number, sets: readonly string[], command: readonly string[] = ['run']): string {
  return ['avsim', ...command, shellQuote(file), '--seed', String(seed), ...sets.flatMap((s) => ['--set', shellQuote(s)])].join(' ');
}

export function pointValue(set: string): SweepValue {
  const parsed = parseSet(set);
  if ('value' in parsed && (typeof parsed.value === 'number' || typeof parsed.value === 'boolean' || typeof parsed.value === 'string')) return parsed.value;
  return set.slice(set.indexOf('=') + 1);
}

/** The sweep point a plain run with these `--set` flags records (typed as the scenario reads them: `nodes.count=2000` is the number 2000). */
export function pointOfSets(sets: readonly string[]): SweepPoint {
  const overrides = Object.fromEntries(sets.map((s) => [s.slice(0, s.indexOf('=')), pointValue(s)]));
  return { id: pointId(overrides), overrides, values: { ...overrides } };
}

/** `812.3/1460.3/1613.1 ms`, or "no samples" when nothing submitted after the warm-up was accepted. */
function latencyText(l: RunSummary['latencyMs']): string {
  const [p50, p95, p99] = (['p50', 'p95', 'p99'] as const).map((q) => quantileOf(l, q));
  if (p50 === null || p95 === null || p99 === null || p50 === undefined || p95 === undefined || p99 === undefined) return NO_SAMPLES;
  return `${p50.toFixed(1)}/${p95.toFixed(1)}/${p99.toFixed(1)} ms`;
}

export function humanLine(s: RunSummary): string {
  const checks = s.checks.length === 0 ? '' : ` | checks ${s.checks.filter((c) => c.ok).length}/${s.checks.length} ok`;
  // A run stopped by a limit is partial: its figures cover the simulated seconds it reached.
  const outcome = s.outcome.kind === 'completed' ? '' : ` | ${s.outcome.kind === 'limit' ? `LIMIT ${s.outcome.limit} (partial: ${s.simSeconds} s simulated)` : 'ERROR'}`;
  return `${s.scenario} seed ${s.seed}: ${s.nodes} nodes | ${s.tps.toFixed(1)} TPS | p50/p95/p99 ${latencyText(s.latencyMs)} | safety violations ${s.safety.violations} | ${s.events.toLocaleString('en-US')} events in ${s.wallSeconds.toFixed(1)} s | trace ${s.traceHash}${checks}${outcome}`;
}

/** `--trace-nodes` and `--trace-window` must pick something of this run, or the trace file would be empty. */
function checkTraceBounds(scenario: Scenario, nodes: readonly number[] | undefined, window: { fromMicros?: number; toMicros?: number }): void {
  const n = scenario.nodes.count;
  const bad = nodes?.find((id) => id >= n);
  if (bad !== undefined) throw new UsageError(`--trace-nodes: ${bad} is not a node of this run (node ids run from 0 to ${n - 1}, nodes.count = ${n})`);
  if (window.fromMicros !== undefined && window.fromMicros >= scenario.duration) {
    throw new UsageError(`--trace-window: starts at ${formatDuration(window.fromMicros)}, at or after the run's end (duration ${formatDuration(scenario.duration)}): the trace would be empty`);
  }
}

export async function runCommand(file: string, flags: RunFlags): Promise<number> {
  const sets = flags.set ?? [];
  // Parse every flag before loading, so bad flags fail fast.
  const seedFlag = flags.seed === undefined ? undefined : parseSeed(flags.seed);
  const traceNodes = flags.traceNodes === undefined ? undefined : parseNodeList(flags.traceNodes);
  const window = flags.traceWindow === undefined ? {} : parseWindow(flags.traceWindow);
  const workers = flags.workers === undefined ? 1 : parseWorkers(flags.workers);
  const maxWallSeconds = flags.maxWall === undefined ? undefined : parseMaxWall(flags.maxWall);
  if (workers > 1 && flags.trace !== undefined) throw new UsageError('--trace: the event trace is written by single-process runs only (drop --workers)');
  if (flags.trace === undefined && flags.traceNodes !== undefined) throw new UsageError('--trace-nodes: needs --trace FILE (it picks the nodes the trace file records)');
  if (flags.trace === undefined && flags.traceWindow !== undefined) throw new UsageError('--trace-window: needs --trace FILE (it picks the time window the trace file records)');
  const loaded = loadScenarioFile(file, { sets });
  const { scenario } = loaded;
  printWarnings(loaded);
  checkTraceBounds(scenario, traceNodes, window);
  if (workers > 1) {
    try {
      checkShardable(scenario);
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
  }
  const sweepPoints = expandSweep(scenario).length;
  if (sweepPoints > 1) {
    process.stderr.write(`note: ${file} has ${sweepPoints} sweep points; run executes the base scenario (use avsim sweep, or --set to pick a point)\n`);
  }
  const runnable = { ...scenario, sweep: {} };
  const point = pointOfSets(sets);
  const seeds = seedFlag === undefined ? scenario.seeds : [seedFlag];
  const traceFile = (seed: number): string | undefined => (flags.trace === undefined ? undefined : seeds.length > 1 ? `${flags.trace}.s${seed}` : flags.trace);
  // Output paths are checked before any simulation, so a bad one costs nothing (and loses no results).
  if (flags.out !== undefined) prepareOutputDir(flags.out, '--out');
  for (const seed of seeds) {
    const path = traceFile(seed);
    if (path !== undefined) prepareOutputFile(path, '--trace');
  }
  const showProgress = flags.progress !== false;
  const progressLines = progressWanted(flags.progress);
  const summaries: RunSummary[] = [];
  let failed = false;
  for (const seed of seeds) {
    const bar = showProgress
      ? createRunProgress(`${scenario.name} seed ${seed}`, { lines: progressLines, ...(maxWallSeconds === undefined ? {} : { maxWallSeconds }) })
      : undefined;
    const options: RunScenarioOptions = {
      seed,
      ...(maxWallSeconds === undefined ? {} : { maxWall: realWallLimit(maxWallSeconds) }),
      point,
      repro: repro(file, seed, sets),
      ...(bar === undefined ? {} : { onProgress: bar.update }),
      ...(flags.trace === undefined
        ? {}
        : { trace: { file: traceFile(seed) ?? flags.trace, ...(traceNodes === undefined ? {} : { nodes: traceNodes }), ...window } }),
    };
    let summary: RunSummary;
    try {
      summary = workers > 1 ? await runScenarioSharded(runnable, options, workers) : await runScenario(runnable, options);
    } finally {
      bar?.stop();
    }
    // Checks come from the scenario file; evaluating here keeps them authoritative.
    summary = { ...summary, checks: evaluateChecks(scenario.checks, summary) };
    summaries.push(summary);
    if (summary.outcome.kind !== 'completed' || summary.checks.some((c) => !c.ok)) {
      failed = true;
      process.stderr.write(`FAILED ${scenario.name} seed ${seed}: ${[...(summary.outcome.kind === 'completed' ? [] : [summary.outcome.kind === 'limit' ? `hit ${summary.outcome.limit} (${summary.outcome.detail})` : summary.outcome.message]), ...summary.checks.filter((c) => !c.ok).map((c) => `${c.expr} (was ${c.value ?? 'missing'})`)].join('; ')}\n  repro: ${summary.repro}\n`);
    }
    process.stdout.write(flags.json === true ? `${JSON.stringify(summary)}\n` : `${humanLine(summary)}\n`);
    if (flags.out !== undefined) writeRunFile(flags.out, runId(point.id, seed), summary);
  }
  if (flags.out !== undefined) writeTables(flags.out, summaries);
  return failed ? EXIT_CHECK_FAILED : EXIT_OK;
}
