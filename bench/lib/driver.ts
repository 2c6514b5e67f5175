/**
 * Benchmark child process: runs one job (jobs.ts) against the code in
 * `--root DIR` and prints `progress {json}` lines while it runs and one
 * `result {json}` line at the end. Started by child.ts, one process per job,
 * so peak RSS and JIT warm-up belong to that job alone.
 *
 *   node dist/bench/lib/driver.js --root DIR --job '{"kind":"queue",...}'
 *
 * CPU time is process.cpuUsage(): the whole process, every thread (shard
 * workers, GC helpers), so it counts the work done rather than the time the
 * shared machine let us run. Wall-clock reads are fine here: bench/ is
 * outside the determinism lint.
 */
import { performance } from 'node:perf_hooks';
import { load, type CodeUnderTest } from './code-under-test.js';
import { scaleScenarioText, type Figures, type Job, type Progress, type QueueFigures, type QueueJob, type RssSample, type ScenarioFigures, type ScenarioJob } from './jobs.js';

function cpuSecondsSince(start: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(start);
  return (d.user + d.system) / 1e6;
}

function peakRss(): number {
  return process.resourceUsage().maxRSS * 1024;
}

/** The hold model's inputs: fixed increments (exponential, mean 100 ms) and tie fields, the same for every tree. */
function holdInputs(n: number): { incr: Float64Array; kind: Uint8Array; node: Uint16Array } {
  let x = 0x9e3779b9;
  const next = (): number => {
    // xorshift32: a fixed sequence; the queue only needs the same inputs on both sides.
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
  const incr = new Float64Array(n);
  const kind = new Uint8Array(n);
  const node = new Uint16Array(n);
  for (let i = 0; i < n; i++) {
    incr[i] = 1 + Math.floor(-Math.log(1 - next()) * 100_000);
    kind[i] = Math.floor(next() * 5);
    node[i] = Math.floor(next() * 10_000);
  }
  return { incr, kind, node };
}

function runQueue(api: CodeUnderTest, job: QueueJob): QueueFigures {
  const SIZE = 1 << 20;
  const MASK = SIZE - 1;
  const { incr, kind, node } = holdInputs(SIZE);
  const q = api.newQueue(job.pending + 1);
  let seq = 0;
  const tie = (j: number): number => api.packTie(kind[j]!, node[j]!, node[(j + 7) & MASK]!);
  for (let i = 0; i < job.pending; i++) q.push(incr[i & MASK]!, tie(i & MASK), seq++, i);
  const hold = (ops: number): void => {
    for (let i = 0; i < ops; i++) {
      const p = q.pop();
      const j = (i + job.pending) & MASK;
      q.push(q.lastTime + incr[j]!, tie(j), seq++, p);
    }
  };
  hold(Math.min(job.ops, 500_000)); // warm-up: JIT and a steady queue shape
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  hold(job.ops);
  return { kind: 'queue', ops: job.ops, cpuSeconds: cpuSecondsSince(cpu0), wallSeconds: (performance.now() - t0) / 1000, peakRssBytes: peakRss() };
}

async function runScenario(api: CodeUnderTest, job: ScenarioJob): Promise<ScenarioFigures> {
  const rssBeforeBytes = process.memoryUsage().rss;
  const { scenario } = api.parseScenarioText(scaleScenarioText(job.nodes, job.durationMs));
  const marks = job.rssAtSeconds.toSorted((a, b) => a - b);
  const rssAt: RssSample[] = [];
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const onProgress = (p: { simMicros: number; events: number }): void => {
    const simSeconds = p.simMicros / 1e6;
    const mem = process.memoryUsage();
    while (rssAt.length < marks.length && simSeconds >= marks[rssAt.length]!) rssAt.push({ simSeconds, rssBytes: mem.rss, heapUsedBytes: mem.heapUsed });
    const line: Progress = { simSeconds, events: p.events, wallSeconds: (performance.now() - t0) / 1000, rssBytes: mem.rss };
    process.stdout.write(`progress ${JSON.stringify(line)}\n`);
  };
  const options = { seed: job.seed, onProgress };
  const sharded = job.workers === 1 ? undefined : await api.simulateSharded(scenario, options, job.workers);
  const run = sharded ?? api.simulate(scenario, options);
  const wallSeconds = (performance.now() - t0) / 1000;
  const cpuSeconds = cpuSecondsSince(cpu0);
  // A sharded run's last progress report can precede the last window: marks at the very end are taken here.
  const end = run.result.endTimeUs / 1e6;
  const mem = process.memoryUsage();
  while (rssAt.length < marks.length && end >= marks[rssAt.length]!) rssAt.push({ simSeconds: end, rssBytes: mem.rss, heapUsedBytes: mem.heapUsed });
  const s = api.summarise(run);
  const sharding = sharded?.sharding;
  return {
    kind: 'scenario',
    nodes: job.nodes,
    workers: job.workers,
    completed: s.outcome.kind === 'completed',
    simSeconds: s.simSeconds,
    events: s.events,
    wallSeconds,
    cpuSeconds,
    peakRssBytes: peakRss(),
    rssBeforeBytes,
    rssAt,
    tps: s.tps,
    traceHash: s.traceHash,
    lookaheadMs: sharding === undefined ? null : sharding.layout.lookaheadUs / 1000,
    windows: sharding === undefined ? null : sharding.windows,
    note: s.outcome.kind === 'completed' ? '' : JSON.stringify(s.outcome),
  };
}

function arg(name: string): string {
  const i = process.argv.indexOf(name);
  const v = i >= 0 ? process.argv[i + 1] : undefined;
  if (v === undefined) throw new Error(`driver: ${name} is required`);
  return v;
}

try {
  const api = await load(arg('--root'));
  const job = JSON.parse(arg('--job')) as Job;
  const figures: Figures = job.kind === 'queue' ? runQueue(api, job) : await runScenario(api, job);
  process.stdout.write(`result ${JSON.stringify(figures)}\n`);
} catch (e) {
  // One line for the parent's table; the stack on stderr for whoever debugs it.
  process.stdout.write(`error ${JSON.stringify((e as Error).message.split('\n')[0])}\n`);
  process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
  process.exitCode = 1;
}
