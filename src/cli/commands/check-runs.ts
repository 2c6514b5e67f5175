/**
 * `avsim check --out DIR`: the gate's runs as a sweep (src/parallel/sweep-runner.ts)
 * into DIR, so each run is written atomically to DIR/runs/<id>.json as it
 * finishes, with its SHA-256 journalled first, and DIR/sweep.json indexes them.
 * Without --resume, DIR's check files (runs/, failures/, sweep.json) are
 * removed first and anything else in DIR is left alone (the committed
 * results/bft-threshold holds other checks' folders).
 * An interrupted check (Ctrl-C, SIGTERM, a kill) keeps what finished;
 * `--resume` continues it under sweep's rules: the same cells and seeds (the
 * tasks hash), and a run file counts only if its bytes are the ones recorded
 * (a truncated or edited file runs again); failed and unfinished runs run
 * again. The gate is then evaluated from the files (gateTasks: seed-major,
 * one 0 % run per seed).
 */
import { readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { GateRun, GateSpec } from '../../gate/index.js';
import { parseRunSummary } from '../../metrics/summary.js';
import { sweepExitCode, trapInterrupts } from '../../parallel/interrupt.js';
import { TaskProgressLines } from '../../parallel/progress-lines.js';
import { JOURNAL_FILE } from '../../parallel/result-hashes.js';
import { FAILURES_DIR, INDEX_FILE, RUNS_DIR, readIndex, resultPath } from '../../parallel/sweep-index.js';
import { runSweep } from '../../parallel/sweep-runner.js';
import type { SweepTask } from '../../parallel/task.js';
import { runId } from '../../report/results.js';
import { UsageError } from '../errors.js';
import type { GateCellTask } from './check-worker.js';

/** The compiled worker module (check-worker.ts in dist/). */
const CHECK_WORKER = new URL('./check-worker.js', import.meta.url);

/** The file name of a cell's run: `<strategy>_f<fraction>.s<seed>`, as check has always written it. */
export function cellRunId(strategy: string, fraction: number, seed: number): string {
  return runId(`${strategy}_f${fraction}`, seed);
}

/**
 * The gate's runs as sweep tasks, seed-major (every cell's first seed, then
 * every cell's second, ...), so a check stopped early has every cell at
 * least once as soon as possible. Fraction 0 has no Byzantine node, so its
 * run does not depend on the strategy (the same trace for every strategy):
 * it runs once per seed, under the first strategy with fraction 0, and
 * stands for every strategy's 0 % cell (`gateRunsOf`).
 */
export function gateTasks(spec: GateSpec, task: (strategy: string, fraction: number, seed: number) => GateCellTask): SweepTask<GateCellTask>[] {
  const jobs = spec.seeds.flatMap((seed) =>
    spec.cells.filter((c) => c.fraction !== 0 || c === firstHonest(spec)).map((c) => ({ strategy: c.strategy, fraction: c.fraction, seed })),
  );
  return jobs.map((j, index) => {
    const payload = task(j.strategy, j.fraction, j.seed);
    return {
      index,
      id: cellRunId(j.strategy, j.fraction, j.seed),
      seed: j.seed,
      point: { 'byzantine.strategy': j.strategy, 'byzantine.fraction': j.fraction },
      payload: { ...payload },
      repro: payload.repro,
    };
  });
}

function firstHonest(spec: GateSpec): GateSpec['cells'][number] | undefined {
  return spec.cells.find((c) => c.fraction === 0);
}

/** Every cell × seed's run from the tasks' runs: each 0 % cell takes the one 0 % run of its seed. */
function gateRunsOf(spec: GateSpec, runs: readonly GateRun[]): GateRun[] {
  const honest = firstHonest(spec);
  const bySeed = new Map(runs.filter((r) => r.fraction === 0).map((r) => [r.seed, r]));
  const out = [...runs];
  for (const c of spec.cells) {
    if (c.fraction !== 0 || c === honest) continue;
    for (const seed of spec.seeds) {
      const r = bySeed.get(seed);
      if (r !== undefined) out.push({ ...r, strategy: c.strategy });
    }
  }
  return out;
}

export type GateRunsOutcome = { kind: 'done'; runs: GateRun[] } | { kind: 'interrupted'; exitCode: number };

/**
 * Runs the gate's tasks into `outDir` (resuming when asked) and reads every
 * run back: a run whose task failed (or whose file is not a run summary)
 * is a failed run of the gate.
 */
export async function runGateToDir(
  spec: GateSpec,
  tasks: readonly SweepTask<GateCellTask>[],
  outDir: string,
  workers: number,
  resume: boolean,
  progress: TaskProgressLines | undefined,
  log: (line: string) => void,
): Promise<GateRunsOutcome> {
  // A fresh check replaces the check files in outDir and leaves anything else (other checks' folders) alone;
  // it never removes the runs of an `avsim sweep` directory.
  const index = await readIndex(outDir).catch(() => null);
  if (index !== null && index.tasks.some((t) => typeof t.payload !== 'object' || t.payload === null || !('strategy' in t.payload))) {
    throw new UsageError(`--out: ${outDir} holds an avsim sweep, not a check; choose another --out`);
  }
  if (!resume) {
    for (const name of [RUNS_DIR, FAILURES_DIR, INDEX_FILE, JOURNAL_FILE]) await rm(join(outDir, name), { recursive: true, force: true });
  }
  const trap = trapInterrupts(log);
  let result;
  try {
    result = await runSweep({
      tasks,
      workerModule: CHECK_WORKER,
      workerExport: 'runGateSweepTask',
      outDir,
      workers,
      resume,
      allowOtherEntries: true,
      log: (line) => log(line.replace(/^sweep: /, 'check: ')),
      signal: trap.signal,
      onProgress: (p) => {
        if (p.phase === 'start' && p.skipped > 0) log(`check: ${p.skipped} of ${p.total} runs already done in ${outDir}`);
        if (p.phase === 'task') progress?.taskFinished(p.done + p.failed, p.total, p.failed, p.inFlight);
      },
    });
  } catch (e) {
    const message = (e as Error).message;
    if (message.startsWith('--resume')) throw new UsageError(message.replace('it is not a sweep directory', 'it was not written by avsim check --out').replace('a different sweep', 'a different check'));
    throw e;
  } finally {
    trap.dispose();
  }
  if (result.outcome === 'interrupted') {
    log(`check: stopped early, ${result.done}/${result.total} runs done in ${outDir}; continue with the same command plus --resume`);
    return { kind: 'interrupted', exitCode: sweepExitCode(result, trap.received()) };
  }
  const failed = new Map(result.failures.map((f) => [f.id, f.message.split('\n', 1)[0] ?? f.kind]));
  const runs = tasks.map((t): GateRun => {
    const cell = { strategy: t.payload.strategy, fraction: t.payload.fraction, seed: t.seed };
    const why = failed.get(t.id);
    if (why !== undefined) return { ...cell, result: { kind: 'failed', message: why } };
    const file = join(outDir, resultPath(t.id));
    const parsed = parseRunSummary(JSON.parse(readFileSync(file, 'utf8')));
    if (!parsed.ok) return { ...cell, result: { kind: 'failed', message: `${file}: not a run summary: ${parsed.error}` } };
    return { ...cell, result: { kind: 'summary', summary: parsed.summary } };
  });
  return { kind: 'done', runs: gateRunsOf(spec, runs) };
}
