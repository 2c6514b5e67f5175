/**
 * `avsim sweep FILE`: every (sweep point, seed) of a scenario as a task on a
 * Piscina pool (src/parallel, worker src/runner/sweep-worker.ts), then the
 * results tables and the report in the same directory, so a sweep directory
 * is complete: sweep.json, runs/, failures/, runs.json, runs.csv, points.csv,
 * throughput.csv, plots/, report.html.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rename, rm } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import type { RunSummary } from '../../metrics/summary.js';
import { buildScenarioTasks, reproCommand, runSweepCommand, parseShard, shellQuote, type SweepResult, type SweepTask } from '../../parallel/index.js';
import { writeReport } from '../../report/report.js';
import { readRuns, writeTables } from '../../report/results.js';
import type { SweepTaskPayload } from '../../runner/sweep-worker.js';
import { loadScenarioFile } from '../../scenario/load.js';
import { expandSweep } from '../../scenario/sweep.js';
import type { Scenario } from '../../scenario/schema.js';
import { prepareOutputDir, prepareParentDir } from '../../io/output-paths.js';
import { verdictLines } from '../../report/verdict.js';
import { parseMaxWall, parseWorkers } from '../args.js';
import { printWarnings } from '../warnings.js';
import { EXIT_CHECK_FAILED, EXIT_OK, UsageError } from '../errors.js';

export interface SweepFlags {
  workers?: string;
  out?: string;
  resume?: boolean;
  replace?: boolean;
  shard?: string;
  set?: string[];
  report?: boolean;
  png?: boolean;
  progress?: boolean;
  /** Wall time each task may take before it ends with limit max-wall (a partial result). */
  maxWall?: string;
}

/** Failing runs printed at the end; the rest are in runs.csv. */
const MAX_FAILING_RUNS_PRINTED = 10;

/** The compiled worker module, beside this file's compiled form in dist/. */
export const SWEEP_WORKER = new URL('../../runner/sweep-worker.js', import.meta.url);

/**
 * The tasks of `avsim sweep FILE --set ...`: buildScenarioTasks' tasks with the
 * sweep's own `--set` overrides carried in the payload and put in each repro
 * command (before the point's, the order `avsim run` applies them in).
 */
export function sweepTasks(
  file: string,
  sets: readonly string[],
  loaded: Scenario = loadScenarioFile(file, { sets }).scenario,
  maxWallSeconds?: number,
): SweepTask<SweepTaskPayload>[] {
  const scenario = loaded;
  return buildScenarioTasks({ scenarioFile: file, points: expandSweep(scenario), seeds: scenario.seeds }).map((task) => {
    const head = reproCommand(file, task.seed, {});
    const extra = sets.flatMap((s) => ['--set', shellQuote(s)]).join(' ');
    return {
      ...task,
      // --max-wall is part of the payload (and so of the sweep's identity): a resume with another limit is another sweep.
      payload: { ...task.payload, sets: [...sets], ...(maxWallSeconds === undefined ? {} : { maxWallSeconds }) },
      repro: extra === '' ? task.repro : `${head} ${extra}${task.repro.slice(head.length)}`,
    };
  });
}

function defaultOut(file: string): string {
  return join('results', basename(file).replace(/\.ya?ml$/, ''));
}

/** Runs whose checks failed or that ended at a limit; printed with their repro commands. */
function failingRuns(runs: readonly RunSummary[]): RunSummary[] {
  return runs.filter((r) => r.outcome.kind !== 'completed' || r.checks.some((c) => !c.ok));
}

function whyFailed(r: RunSummary): string {
  const outcome = r.outcome.kind === 'completed' ? [] : [r.outcome.kind === 'limit' ? `hit ${r.outcome.limit} (${r.outcome.detail})` : r.outcome.message];
  return [...outcome, ...r.checks.filter((c) => !c.ok).map((c) => `${c.expr} (was ${c.value ?? 'missing'})`)].join('; ');
}

/**
 * Moves a finished sweep directory over `final`: the old one is renamed aside
 * first and removed last, so a crash in between leaves one whole directory
 * (`final`, or the old one beside it), never a half-written mix.
 */
async function replaceDir(fresh: string, final: string): Promise<void> {
  const old = join(dirname(final), `.${basename(final)}.old-${process.pid}`);
  if (existsSync(final)) await rename(final, old);
  await rename(fresh, final);
  await rm(old, { recursive: true, force: true });
}

export async function sweepCommand(file: string, flags: SweepFlags, log: (line: string) => void = (line) => process.stderr.write(`${line}\n`)): Promise<number> {
  const workers = flags.workers === undefined ? Math.max(1, availableParallelism()) : parseWorkers(flags.workers);
  const maxWallSeconds = flags.maxWall === undefined ? undefined : parseMaxWall(flags.maxWall);
  let shard;
  try {
    shard = flags.shard === undefined ? undefined : parseShard(flags.shard);
  } catch (e) {
    throw new UsageError(`--shard: ${(e as Error).message}`);
  }
  if (flags.replace === true && flags.resume === true) throw new UsageError('--replace and --resume exclude each other: --replace always starts afresh');
  if (flags.replace === true && shard !== undefined) throw new UsageError('--replace and --shard exclude each other: merge shards with avsim merge');
  const sets = flags.set ?? [];
  const loaded = loadScenarioFile(file, { sets });
  printWarnings(loaded, log);
  const tasks = sweepTasks(file, sets, loaded.scenario, maxWallSeconds);
  const final = resolve(flags.out ?? defaultOut(file));

  // --replace: run into a fresh directory beside --out and swap it in at the end.
  // Either way the output place is checked before any task runs.
  let outDir = final;
  if (flags.replace === true) {
    prepareParentDir(final, '--out');
    outDir = await mkdtemp(join(dirname(final), `.${basename(final)}.new-`));
  } else {
    prepareOutputDir(final, '--out');
  }
  log(`sweep ${file}: ${tasks.length} task(s)${shard === undefined ? '' : `, shard ${shard.index}/${shard.count}`}, ${workers} worker(s) -> ${final}`);

  let sweep: { result: SweepResult; exitCode: number };
  try {
    sweep = await runSweepCommand(
      {
        tasks,
        workerModule: SWEEP_WORKER,
        workerExport: 'runSweepTask',
        outDir,
        workers,
        resume: flags.resume === true,
        ...(shard === undefined ? {} : { shard }),
        ...(flags.progress === false ? { progress: false } : {}),
        ...(flags.replace === true ? { finalDir: final } : {}),
      },
      log,
    );
  } catch (e) {
    if (flags.replace === true) await rm(outDir, { recursive: true, force: true });
    // A refused --out or --resume is bad input; anything else propagates as a failure.
    const message = (e as Error).message;
    if (message.startsWith('outDir:')) throw new UsageError(`${message} (or --replace to run afresh and replace it)`);
    if (/^(--resume|workers|tasks)\b/.test(message)) throw new UsageError(message);
    throw e;
  }
  const { result } = sweep;
  if (result.outcome === 'interrupted') {
    if (flags.replace === true) log(`sweep: ${final} left as it was; the partial sweep is in ${outDir} (continue it with --out ${outDir} --resume, without --replace)`);
    return sweep.exitCode;
  }

  const runs = result.done > 0 ? readRuns(outDir) : [];
  if (runs.length > 0) {
    writeTables(outDir, runs);
    if (flags.report !== false) {
      // The same page `avsim report DIR` writes, so re-running the report changes nothing.
      const report = await writeReport(outDir, flags.png === false ? { png: false } : {});
      log(`report: ${report.runs} run(s), ${report.charts.length} chart(s) -> ${join(final, 'report.html')}`);
      for (const line of verdictLines(report.verdicts)) log(line);
    }
  }
  if (flags.replace === true) {
    await replaceDir(outDir, final);
    log(`sweep: ${final} replaced by the finished sweep`);
  }

  const failing = failingRuns(runs);
  if (failing.length > 0) {
    log(`sweep: ${failing.length} of ${runs.length} run(s) failed a check or hit a limit`);
    for (const r of failing.slice(0, MAX_FAILING_RUNS_PRINTED)) log(`  FAILED ${r.scenario} seed ${r.seed} ${JSON.stringify(r.point)}: ${whyFailed(r)}\n    repro: ${r.repro}`);
    if (failing.length > MAX_FAILING_RUNS_PRINTED) log(`  ... and ${failing.length - MAX_FAILING_RUNS_PRINTED} more (see runs.csv)`);
  }
  if (sweep.exitCode !== EXIT_OK) return sweep.exitCode;
  return failing.length > 0 ? EXIT_CHECK_FAILED : EXIT_OK;
}
