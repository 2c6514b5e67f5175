/**
 * `avsim cluster run FILE`: the same scenario file, seeds, --set, --out and
 * --json as `avsim run`, against real node processes on this machine
 * (src/cluster). Everything `avsim run` rejects is rejected the same way (the
 * same loading code); what the real side cannot honour is refused up front.
 */
import { join } from 'node:path';
import { SingleBar } from 'cli-progress';
import { evaluateChecks } from '../../metrics/checks.js';
import type { RunSummary } from '../../metrics/summary.js';
import { runCluster, RunInterrupted, type ClusterProgress } from '../../cluster/harness/cluster-run.js';
import { realSideProblems } from '../../cluster/harness/feasibility.js';
import { kernelNetProblem } from '../../cluster/harness/kernel-net.js';
import { planRun } from '../../runner/run-scenario.js';
import { runId, writeRunFile, writeTables } from '../../report/results.js';
import { loadScenarioFile } from '../../scenario/load.js';
import { expandSweep } from '../../scenario/sweep.js';
import { parseSeed } from '../args.js';
import { EXIT_CHECK_FAILED, EXIT_OK, UsageError } from '../errors.js';
import { progressWanted } from '../progress.js';
import { humanLine, pointOfSets, repro } from './run.js';

export interface ClusterRunFlags {
  seed?: string;
  set?: string[];
  out?: string;
  json?: boolean;
  maxNodes?: string;
  nodesPerProcess?: string;
  keep?: boolean;
  kernelNet?: boolean;
  signatures?: string;
  workDir?: string;
  progress?: boolean;
  prometheus?: boolean;
}

/** Processes beyond this cannot be told apart from the machine's own saturation on 2 cores (see docs/cluster.md). */
export const DEFAULT_MAX_NODES = 40;

function intFlag(text: string | undefined, flag: string, min: number, max: number, dflt: number): number {
  if (text === undefined) return dflt;
  if (!/^[0-9]+$/.test(text) || Number(text) < min || Number(text) > max) throw new UsageError(`${flag}: must be an integer from ${min} to ${max}, got "${text}"`);
  return Number(text);
}

function clock(s: number): string {
  const t = Math.max(0, Math.round(s));
  return `${Math.floor(t / 60)}:${String(t % 60).padStart(2, '0')}`;
}

function progressBar(label: string): { update: (p: ClusterProgress) => void; stop: () => void } {
  const bar = new SingleBar({ stream: process.stderr, format: `${label} [{bar}] {phase} | {elapsed}/{end} | {tps} TPS | height {height} {note}`, barsize: 20, hideCursor: true, noTTYOutput: true, notTTYSchedule: 5000 });
  let started = false;
  return {
    update(p) {
      const payload = { phase: p.phase, elapsed: clock(p.elapsedSeconds), end: clock(p.endSeconds), tps: p.tps.toFixed(1), height: p.height, note: p.note ?? '' };
      if (!started) {
        bar.start(Math.max(1, p.endSeconds), 0, payload);
        started = true;
      }
      bar.update(Math.min(p.endSeconds, p.elapsedSeconds), payload);
    },
    stop() {
      if (started) bar.stop();
    },
  };
}

export async function clusterRunCommand(file: string, flags: ClusterRunFlags): Promise<number> {
  const sets = flags.set ?? [];
  const seedFlag = flags.seed === undefined ? undefined : parseSeed(flags.seed);
  const maxNodes = intFlag(flags.maxNodes, '--max-nodes', 2, 10_000, DEFAULT_MAX_NODES);
  const nodesPerProcess = intFlag(flags.nodesPerProcess, '--nodes-per-process', 1, 64, 1);
  if (flags.kernelNet === true) {
    const why = kernelNetProblem();
    if (why !== undefined) throw new UsageError(`--kernel-net: ${why}`);
  }
  if (flags.signatures !== undefined && flags.signatures !== 'real' && flags.signatures !== 'modelled') {
    throw new UsageError(`--signatures: must be real or modelled, got "${flags.signatures}"`);
  }
  const realSignatures = flags.signatures !== 'modelled';
  const loaded = loadScenarioFile(file, { sets });
  const scenario = loaded.scenario;
  const seeds = seedFlag === undefined ? scenario.seeds : [seedFlag];
  const byzantineBySeed = seeds.map((seed) => ({ seed, ids: planRun(scenario, seed).byzantine }));
  const problems = realSideProblems(scenario, { maxNodes, nodesPerProcess, realSignatures, byzantineBySeed, kernelNet: flags.kernelNet === true });
  if (problems.length > 0) throw new UsageError(`${file}: ${problems[0]}${problems.length > 1 ? ` (and ${problems.length - 1} more)` : ''}`);
  const points = expandSweep(scenario).length;
  if (points > 1) process.stderr.write(`note: ${file} has ${points} sweep points; cluster run executes the base scenario (use --set to pick a point)\n`);
  const runnable = { ...scenario, sweep: {} };
  const input = { ...(loaded.input as Record<string, unknown>), sweep: {} };
  const point = pointOfSets(sets);
  const extra = [
    ...(realSignatures ? [] : ['--signatures', 'modelled']),
    ...(nodesPerProcess > 1 ? ['--nodes-per-process', String(nodesPerProcess)] : []),
    ...(flags.kernelNet === true ? ['--kernel-net'] : []),
  ];
  const summaries: RunSummary[] = [];
  let failed = false;
  for (const seed of seeds) {
    const bar = progressWanted(flags.progress) ? progressBar(`${scenario.name} seed ${seed} (real)`) : undefined;
    let summary: RunSummary;
    try {
      const r = await runCluster({
        scenario: runnable,
        scenarioInput: input,
        seed,
        point,
        repro: [repro(file, seed, sets, ['cluster', 'run']), ...extra].join(' '),
        nodesPerProcess,
        realSignatures: realSignatures,
        keep: flags.keep === true,
        kernelNet: flags.kernelNet === true,
        ...(flags.workDir === undefined ? {} : { workDir: flags.workDir }),
        ...(flags.prometheus === true ? { prometheus: true, ...(flags.out === undefined ? {} : { prometheusDir: join(flags.out, 'prometheus-runs', runId(point.id, seed)) }) } : {}),
        ...(bar === undefined ? {} : { onProgress: bar.update }),
        log: (t) => {
          if (bar === undefined && flags.json !== true) process.stderr.write(`${t}\n`);
        },
      });
      summary = r.summary;
      if (r.kept) process.stderr.write(`run directory kept: ${r.runDir}\n`);
    } catch (e) {
      if (e instanceof RunInterrupted) {
        bar?.stop();
        process.stderr.write(`${e.message}\n`);
        return 130;
      }
      throw e;
    } finally {
      bar?.stop();
    }
    summary = { ...summary, checks: evaluateChecks(scenario.checks, summary) };
    summaries.push(summary);
    if (summary.outcome.kind !== 'completed' || summary.checks.some((c) => !c.ok)) {
      failed = true;
      const why = [...(summary.outcome.kind === 'error' ? [summary.outcome.message] : []), ...summary.checks.filter((c) => !c.ok).map((c) => `${c.expr} (was ${c.value ?? 'missing'})`)];
      process.stderr.write(`FAILED ${scenario.name} seed ${seed} (real): ${why.join('; ')}\n  repro: ${summary.repro}\n`);
    }
    const e = summary.real?.emulationError;
    const pc = summary.real?.prometheus;
    const promLine =
      pc === undefined ? '' : ` | prometheus: ${pc.agree ? 'agrees with the acceptance logs' : 'DIFFERS from the acceptance logs'} (blocks ${pc.blocks.promql ?? 'none'} vs ${pc.blocks.logs}, txs ${pc.txs.promql ?? 'none'} vs ${pc.txs.logs})`;
    process.stdout.write(flags.json === true ? `${JSON.stringify(summary)}\n` : `${humanLine(summary)} | real: emulation error p50/p99 ${e?.p50Ms ?? 0}/${e?.p99Ms ?? 0} ms, host CPU ${Math.round((summary.real?.hostCpu.busyFraction ?? 0) * 100)}% (other work ${Math.round((summary.real?.hostCpu.otherFraction ?? 0) * 100)}%)${promLine}\n`);
    if (flags.out !== undefined) writeRunFile(flags.out, runId(point.id, seed), summary);
  }
  if (flags.out !== undefined) writeTables(flags.out, summaries);
  return failed ? EXIT_CHECK_FAILED : EXIT_OK;
}
