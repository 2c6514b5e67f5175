/**
 * Scale benchmark (npm run bench:scale; issue 12's figures).
 *
 * The scenario: default parameters, SimBlock's 2019 six-region latency
 * matrix, 1,000 TPS offered (Poisson), seed 1, at each size (default 1k, 5k,
 * 10k nodes) and worker count (1 and 2). Machines here differ by up to 5x in
 * speed, so the speed figure is a ratio measured in one sitting: the bench
 * builds --base (default 1044141, the issue's baseline) in a temporary git
 * worktree and runs base and head alternately, one child process per run,
 * and compares process CPU time (all threads) per simulated second. It also
 * prints each side's absolute figures beside the machine's event-queue
 * figure (bench:engine's hold model at 100k pending), events per CPU-second
 * across sizes, the 2-worker speedup, and a long run's RSS at given
 * simulated times (default 10k nodes, 2 workers, RSS at 20, 40 and 60 s).
 *
 *   npm run bench:scale -- [--base REF | --no-base] [--head REF] [--sizes 1000,5000,10000]
 *     [--workers 1,2] [--duration 10s] [--rounds 1] [--rss-nodes 10000] [--rss-workers 2]
 *     [--rss-at 20,40,60] [--rss-base | --no-rss] [--max-wall 1800] [--max-rss 12GiB] [--json FILE]
 *
 * Every run has a wall limit and an RSS limit; a run that hits one is killed
 * and reported with the simulated time it reached. Wall-clock reads are fine
 * here: bench/ is outside the determinism lint.
 */
import { renameSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { alternate, compare, okFigures } from './lib/alternate.js';
import { runChild, type ChildLimits, type ChildOutcome } from './lib/child.js';
import { benchMain, parseBytes, parseDurationMs, parseFlags, parseIntList, parsePositiveInt, parseSecondsList, str } from './lib/flags.js';
import { BenchUsageError, describeTree, type CodeTree } from './lib/git-ref.js';
import { describeJob, type Job, type QueueFigures, type ScenarioJob } from './lib/jobs.js';
import { absoluteTable, eventsPerCpuSecond, ratioTable, rssLine, targetsTable, workerSpeedup, type ScaleRow, type Target } from './lib/scale-report.js';
import { fmt, median } from './lib/stats.js';
import { buildTrees, headTree } from './lib/trees.js';

/** The issue's baseline: main when issue 12 was filed. */
export const ISSUE_BASELINE = '1044141';

const log = (line: string): void => {
  process.stderr.write(`${line}\n`);
};

const QUEUE_JOB: Job = { kind: 'queue', pending: 100_000, ops: 10_000_000 };

/** Median wall-clock queue ops per second of the completed queue runs. */
const rate = (xs: readonly ChildOutcome[]): number => median(okFigures(xs).map((f) => (f as QueueFigures).ops / (f as QueueFigures).wallSeconds));

async function queueFigure(base: CodeTree | undefined, head: CodeTree, limits: ChildLimits): Promise<string> {
  log(`bench:scale: machine figure: ${describeJob(QUEUE_JOB)}`);
  const p = await alternate(base, head, QUEUE_JOB, { rounds: 3, limits, log });
  const b = rate(p.base);
  return `machine: event-queue hold model (bench:engine, 100k pending) ${fmt(rate(p.head) / 1e6, 2)} M ops/s with head's queue${base === undefined ? '' : `, ${fmt(b / 1e6, 2)} M ops/s with base's`} (median of 3)`;
}

function targets(rows: readonly ScaleRow[], rss: ChildOutcome | undefined, hasBase: boolean): Target[] {
  const row = (n: number, w: number): ScaleRow | undefined => rows.find((r) => r.nodes === n && r.workers === w);
  const ratioTarget = (n: number, w: number, factor: number): Target => {
    const r = row(n, w);
    const c = r === undefined || !hasBase ? undefined : compare(r.paired);
    const ok = c !== undefined && Number.isFinite(c.ratio);
    return {
      goal: `${fmt(n)} nodes, ${w} worker(s): CPU s per simulated s ≥ ${factor}x lower than base`,
      measured: ok ? `${fmt(1 / c.ratio, 2)}x lower (${fmt(c.base, 3)} → ${fmt(c.head, 3)})` : '',
      met: ok ? 1 / c.ratio >= factor : undefined,
    };
  };
  const out = [ratioTarget(1_000, 1, 5), ratioTarget(10_000, 2, 8)];
  if (rss !== undefined && rss.status === 'ok' && rss.figures.kind === 'scenario') {
    const f = rss.figures;
    const perNode = f.peakRssBytes / f.nodes;
    const xs = f.rssAt.map((s) => s.rssBytes);
    const spread = Math.max(...xs) / Math.min(...xs) - 1;
    out.push({ goal: `${fmt(f.nodes)} nodes, ${fmt(f.simSeconds)} s: peak RSS ≤ 200 KB per node`, measured: `${fmt(perNode / 1024)} KB per node (${fmt(f.peakRssBytes / 2 ** 30, 2)} GiB)`, met: perNode <= 200 * 1024 });
    out.push({ goal: `RSS at ${f.rssAt.map((s) => `${fmt(s.simSeconds)}`).join(', ')} simulated s within 10 % of each other`, measured: `spread ${fmt(spread * 100, 1)} %`, met: xs.length > 1 ? spread <= 0.1 : undefined });
  } else {
    out.push({ goal: '10,000 nodes, 60 s: peak RSS ≤ 200 KB per node, flat over 20/40/60 s', measured: rss === undefined ? '' : rss.status, met: rss === undefined ? undefined : false });
  }
  const e1 = eventsPerCpuSecond(row(1_000, 1), 'head');
  const e10 = eventsPerCpuSecond(row(10_000, 1), 'head');
  out.push({ goal: 'events per CPU-second at 10k nodes ≥ 2/3 of 1k (1 worker)', measured: Number.isFinite(e1 / e10) ? `${fmt(e10)} / ${fmt(e1)} = ${fmt(e10 / e1, 2)}` : '', met: Number.isFinite(e1 / e10) ? e10 / e1 >= 2 / 3 : undefined });
  const s = workerSpeedup(row(10_000, 1), row(10_000, 2), 'head');
  out.push({ goal: '2 workers ≥ 1.7x faster than 1 at 10k nodes (wall; needs an idle machine)', measured: Number.isFinite(s.wall) ? `${fmt(s.wall, 2)}x` : '', met: Number.isFinite(s.wall) ? s.wall >= 1.7 : undefined });
  return out;
}

const tree = (t: CodeTree | undefined): unknown => (t === undefined ? null : { ref: t.ref, sha: t.sha, dirty: t.dirty });

async function main(): Promise<number> {
  const f = parseFlags(process.argv.slice(2), {
    base: { type: 'string' },
    'no-base': { type: 'boolean' },
    head: { type: 'string' },
    sizes: { type: 'string' },
    workers: { type: 'string' },
    duration: { type: 'string' },
    rounds: { type: 'string' },
    'rss-nodes': { type: 'string' },
    'rss-workers': { type: 'string' },
    'rss-duration': { type: 'string' },
    'rss-at': { type: 'string' },
    'rss-base': { type: 'boolean' },
    'no-rss': { type: 'boolean' },
    'max-wall': { type: 'string' },
    'max-rss': { type: 'string' },
    json: { type: 'string' },
  });
  if (f['no-base'] === true && str(f.base) !== undefined) throw new BenchUsageError('--no-base: cannot be combined with --base');
  if (f['no-rss'] === true && f['rss-base'] === true) throw new BenchUsageError('--no-rss: cannot be combined with --rss-base');
  const sizes = parseIntList('--sizes', str(f.sizes) ?? '1000,5000,10000', 100_000);
  const workers = parseIntList('--workers', str(f.workers) ?? '1,2', 64);
  const durationMs = parseDurationMs('--duration', str(f.duration) ?? '10s');
  const rounds = parsePositiveInt('--rounds', str(f.rounds) ?? '1', 100);
  const rssAt = parseSecondsList('--rss-at', str(f['rss-at']) ?? '20,40,60');
  const rssDurationMs = parseDurationMs('--rss-duration', str(f['rss-duration']) ?? `${Math.max(...rssAt)}s`);
  if (rssDurationMs < Math.max(...rssAt) * 1000) throw new BenchUsageError(`--rss-duration: must reach the last --rss-at time (${Math.max(...rssAt)} s), got ${rssDurationMs / 1000} s`);
  const rssJob: ScenarioJob = {
    kind: 'scenario',
    nodes: parsePositiveInt('--rss-nodes', str(f['rss-nodes']) ?? '10000', 100_000),
    workers: parsePositiveInt('--rss-workers', str(f['rss-workers']) ?? '2', 64),
    durationMs: rssDurationMs,
    seed: 1,
    rssAtSeconds: rssAt,
  };
  const limits: ChildLimits = {
    maxWallSeconds: parsePositiveInt('--max-wall', str(f['max-wall']) ?? '1800', 86_400),
    maxRssBytes: parseBytes('--max-rss', str(f['max-rss']) ?? '12GiB'),
    maxOldSpaceMiB: 16 * 1024,
  };
  const jsonOut = str(f.json);

  const t0 = Date.now();
  const load0 = loadavg()[0]!;
  const trees = f['no-base'] === true ? { base: undefined, head: headTree(str(f.head), log) } : buildTrees(str(f.base) ?? ISSUE_BASELINE, str(f.head), log);
  const { base, head } = trees;
  const rows: ScaleRow[] = [];
  let rssHead: ChildOutcome | undefined;
  let rssBase: ChildOutcome | undefined;
  let machine: string;
  try {
    machine = await queueFigure(base, head, limits);
    for (const nodes of sizes) {
      for (const w of workers) {
        const job: ScenarioJob = { kind: 'scenario', nodes, workers: w, durationMs, seed: 1, rssAtSeconds: [] };
        log(`bench:scale: ${describeJob(job)}`);
        rows.push({ nodes, workers: w, paired: await alternate(base, head, job, { rounds, limits, log }) });
      }
    }
    if (f['no-rss'] !== true) {
      log(`bench:scale: RSS over time, ${describeJob(rssJob)}, RSS at ${rssAt.join(', ')} simulated s`);
      rssHead = await runChild(head.root, rssJob, limits);
      log(`  head: ${rssHead.status}`);
      if (f['rss-base'] === true && base !== undefined) {
        rssBase = await runChild(base.root, rssJob, limits);
        log(`  base: ${rssBase.status}`);
      }
    }
  } finally {
    base?.remove();
    head.remove();
  }

  const out: string[] = [];
  const minutes = (Date.now() - t0) / 60_000;
  out.push(`bench:scale ${base === undefined ? '(no base)' : describeTree(base)} vs ${describeTree(head)}`);
  out.push(`scenario: default parameters, SimBlock 2019 regions, 1,000 TPS offered, seed 1, ${durationMs / 1000} simulated s; ${rounds} round(s) per row, medians`);
  out.push(`load average ${load0.toFixed(2)} -> ${loadavg()[0]!.toFixed(2)}; ${minutes.toFixed(1)} min in all`);
  out.push(machine);
  if (base !== undefined) out.push('', '### CPU time per simulated second, head against base', '', ratioTable(rows));
  out.push('', `### head (${head.ref}) absolute figures`, '', absoluteTable(rows, 'head'));
  if (base !== undefined) out.push('', `### base (${base.ref}) absolute figures`, '', absoluteTable(rows, 'base'));
  const sides = base === undefined ? (['head'] as const) : (['base', 'head'] as const);
  out.push('');
  for (const side of sides) {
    const e = sizes.map((n) => `${fmt(n)}: ${fmt(eventsPerCpuSecond(rows.find((r) => r.nodes === n && r.workers === 1), side))}`);
    out.push(`${side}: events per CPU-second (1 worker) ${e.join(', ')}`);
    for (const n of sizes) {
      for (const w of workers.filter((x) => x > 1)) {
        const s = workerSpeedup(
          rows.find((r) => r.nodes === n && r.workers === 1),
          rows.find((r) => r.nodes === n && r.workers === w),
          side,
        );
        if (Number.isFinite(s.wall)) out.push(`${side}: ${fmt(n)} nodes: ${w} workers ${fmt(s.wall, 2)}x faster than 1 (wall), for ${fmt(s.cpu, 2)}x the CPU time`);
      }
    }
  }
  const sameHashes = sizes.every((n) => new Set(rows.filter((r) => r.nodes === n).flatMap((r) => okFigures(r.paired.head).map((x) => (x.kind === 'scenario' ? x.traceHash : '')))).size <= 1);
  out.push(`head trace hashes equal across worker counts: ${sameHashes ? 'yes' : 'NO'}`);
  if (rssHead !== undefined) out.push('', '### RSS over simulated time', '', `head: ${rssLine(rssHead)}`);
  if (rssBase !== undefined) out.push(`base: ${rssLine(rssBase)}`);
  if (base !== undefined) out.push('', '### Against the issue\'s targets', '', targetsTable(targets(rows, rssHead, true)));
  process.stdout.write(`\n${out.join('\n')}\n`);
  if (jsonOut !== undefined) {
    const tmp = `${jsonOut}.tmp-${process.pid}`;
    writeFileSync(tmp, `${JSON.stringify({ base: tree(base), head: tree(head), durationMs, rounds, machine, rows, rssHead: rssHead ?? null, rssBase: rssBase ?? null }, null, 1)}\n`);
    renameSync(tmp, jsonOut);
  }
  const failed = rows.some((r) => r.paired.head.some((o) => o.status !== 'ok')) || (rssHead !== undefined && rssHead.status !== 'ok');
  return failed ? 1 : 0;
}

await benchMain('bench:scale', main);
