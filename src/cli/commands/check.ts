/**
 * `avsim check FILE`: the Byzantine-threshold gate. FILE is a scenario with a
 * `gate:` section (src/gate/spec.ts). Every strategy × fraction × seed cell
 * runs the scenario's base (its sweep is ignored) with `byzantine.strategy`
 * and `byzantine.fraction` overridden (fraction 0 = no Byzantine node); each
 * cell's worst outcome over seeds is compared with the expected one. Prints
 * the table and the verdict; exit 0 when every cell matches, 1 on any
 * mismatch (each failing seed's repro command is printed), 2 on bad input.
 *
 * With --workers N > 1 runs go to N Piscina worker threads (check-worker.ts,
 * built JavaScript only); results are collected in spec order, so the table
 * is the same for any worker count. With --out DIR every run is written to
 * DIR/runs/ as it finishes (check-runs.ts, always on worker threads), and
 * --resume continues an interrupted check there.
 */
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Piscina } from 'piscina';
import { evaluateGate, runGate, parseGateSection, normaliseGate, type GateResult, type GateSpec, type RunCell } from '../../gate/index.js';
import { strategyOrThrow } from '../../byzantine/registry.js';
import type { RunSummary } from '../../metrics/summary.js';
import { shellQuote } from '../../parallel/scenario-tasks.js';
import { writeFileAtomic } from '../../report/atomic.js';
import { gateCharts, writeGatePlots } from '../../report/charts/bft-threshold.js';
import { writeTables } from '../../report/results.js';
import { stakeUnitsOf } from '../../runner/stake-of.js';
import type { Scenario } from '../../scenario/schema.js';
import { loadScenarioFile } from '../../scenario/load.js';
import { prepareOutputDir } from '../../io/output-paths.js';
import { TaskProgressLines } from '../../parallel/progress-lines.js';
import { parseWorkers } from '../args.js';
import { printWarnings } from '../warnings.js';
import { UsageError } from '../errors.js';
import { cellSets, runGateCell, type GateCellTask } from './check-worker.js';
import { gateTasks, runGateToDir } from './check-runs.js';

export interface CheckFlags {
  seeds?: string;
  workers?: string;
  out?: string;
  /** Continue the check already in --out (check-runs.ts). */
  resume?: boolean;
  quiet?: boolean;
}

export function cellRepro(file: string, strategy: string, fraction: number, seed: number): string {
  return ['avsim', 'run', shellQuote(file), '--seed', String(seed), ...cellSets(strategy, fraction).flatMap((s) => ['--set', shellQuote(s)])].join(' ');
}

function parseSeedCount(text: string): number {
  if (!/^[0-9]+$/.test(text) || Number(text) < 1 || Number(text) > 1_000) throw new UsageError(`--seeds: must be an integer from 1 to 1000, got "${text}"`);
  return Number(text);
}

/** Loads FILE and its gate; throws a one-line error on anything wrong (exit 2). */
export function loadGate(file: string, seedCount: number | undefined): GateSpec {
  return loadGateScenario(file, seedCount).spec;
}

function loadGateScenario(file: string, seedCount: number | undefined): { spec: GateSpec; scenario: Scenario; warnings: string[] } {
  const { scenario, warnings } = loadScenarioFile(file);
  if (scenario.gate === undefined) throw new UsageError(`${file}: gate: missing (avsim check needs a gate section: fractions, strategies, seeds, expected)`);
  const spec = seedCount === undefined ? parseGateSection(scenario.gate) : normaliseGate({ ...scenario.gate, seeds: seedCount });
  // Snowman strategies are checked here; other protocols check theirs in their scenario rules (every cell loads below).
  for (const s of scenario.protocol.name === 'snowman' ? spec.strategies : []) {
    try {
      strategyOrThrow(s, 'gate.strategies');
    } catch (e) {
      throw new UsageError(e instanceof Error ? e.message : String(e));
    }
  }
  // Every cell must load: a fraction the schema refuses fails here, before hours of runs.
  for (const cell of spec.cells) loadScenarioFile(file, { sets: cellSets(cell.strategy, cell.fraction) });
  return { spec, scenario, warnings };
}

const logLine = (line: string): void => void process.stderr.write(`${line}\n`);

function workerFile(): string | undefined {
  const js = fileURLToPath(new URL('./check-worker.js', import.meta.url));
  return existsSync(js) ? js : undefined;
}

export async function checkCommand(file: string, flags: CheckFlags): Promise<number> {
  const seedCount = flags.seeds === undefined ? undefined : parseSeedCount(flags.seeds);
  const workers = flags.workers === undefined ? Math.min(2, availableParallelism()) : parseWorkers(flags.workers);
  if (flags.resume === true && flags.out === undefined) throw new UsageError('--resume: needs --out DIR (the check to continue)');
  const { spec, scenario, warnings } = loadGateScenario(file, seedCount);
  printWarnings({ warnings });
  if (flags.out !== undefined) prepareOutputDir(flags.out, '--out');
  const task = (strategy: string, fraction: number, seed: number): GateCellTask => ({
    file,
    strategy,
    fraction,
    seed,
    repro: cellRepro(file, strategy, fraction, seed),
  });
  const tasks = flags.out === undefined ? undefined : gateTasks(spec, task);
  const total = tasks?.length ?? spec.cells.length * spec.seeds.length;
  const shared = tasks === undefined || total === spec.cells.length * spec.seeds.length ? '' : '; one 0 % run per seed stands for every strategy';
  const tty = process.stderr.isTTY === true;
  // Into a log (CI): one line per finished run or per minute, whichever is less.
  const lines = flags.quiet === true || tty ? undefined : new TaskProgressLines('check', (line) => process.stderr.write(`${line}\n`));
  if (flags.quiet !== true && !tty) process.stderr.write(`check: ${total} runs (${spec.cells.length} cells x ${spec.seeds.length} seeds${shared}) on ${workers > 1 ? workers : 1} worker(s)\n`);
  let failedRuns = 0;
  const started = process.hrtime.bigint();

  const write = async (result: GateResult, summaries: readonly RunSummary[], out: string): Promise<void> => {
    writeTables(out, summaries);
    writeFileAtomic(join(out, 'gate.txt'), `${result.text}\n`);
    let totalUnits = 0;
    for (const u of stakeUnitsOf(scenario)) totalUnits += u;
    const shape = { k: scenario.parameters.k, alphaPreference: scenario.parameters.alphaPreference, totalUnits };
    await writeGatePlots(out, gateCharts(result.cells, shape));
  };
  const finish = (result: GateResult, runsOn: number): void => {
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    process.stdout.write(`${result.text}\n`);
    process.stdout.write(`check: ${total} runs on ${runsOn} worker(s) in ${seconds.toFixed(1)} s\n`);
  };

  if (flags.out !== undefined) {
    // Each run on disk as it finishes; the gate read back from the files.
    const out = flags.out;
    const done = await runGateToDir(spec, tasks ?? gateTasks(spec, task), out, workers, flags.resume === true, lines, logLine);
    if (done.kind === 'interrupted') return done.exitCode;
    const result = evaluateGate(spec, done.runs, (s, f, seed) => cellRepro(file, s, f, seed));
    // Each run once (a 0 % run stands for every strategy's 0 % cell).
    const summaries = [...new Set(done.runs.flatMap((r) => (r.result.kind === 'summary' ? [r.result.summary] : [])))];
    finish(result, workers);
    await write(result, summaries, out);
    return result.exitCode;
  }

  const filename = workers > 1 ? workerFile() : undefined;
  const pool = filename === undefined ? undefined : new Piscina({ filename, minThreads: workers, maxThreads: workers, idleTimeout: 1_000 });
  const runCell: RunCell =
    pool === undefined
      ? (strategy, fraction, seed) => runGateCell(task(strategy, fraction, seed))
      : (strategy, fraction, seed) => pool.run(task(strategy, fraction, seed)) as Promise<RunSummary>;
  try {
    const result = await runGate(spec, runCell, {
      concurrency: pool === undefined ? 1 : workers,
      reproOf: (s, f, seed) => cellRepro(file, s, f, seed),
      onRun: (done, all, run) => {
        if (run.result.kind !== 'summary') failedRuns += 1;
        if (flags.quiet !== true && tty) process.stderr.write(`\rcheck: ${done}/${all} runs`);
        lines?.taskFinished(done, all, failedRuns, Math.max(0, Math.min(pool === undefined ? 1 : workers, all - done)));
      },
    });
    if (flags.quiet !== true && tty) process.stderr.write('\n');
    finish(result, pool === undefined ? 1 : workers);
    return result.exitCode;
  } finally {
    await pool?.destroy();
  }
}
