/**
 * Scale benchmark (npm run bench:scale).
 *
 * For each size (default 1k, 5k, 10k nodes) and worker count (1 and 2): the
 * default parameters, SimBlock's 2019 region latency matrix and 1,000 TPS
 * offered; prints events, events/s, simulated/wall ratio, peak RSS, bytes per
 * virtual node and the 2-worker speedup. Every (size, workers) run is its own
 * child process, so peak RSS (which covers the worker threads: they share the
 * process) belongs to that run alone. A run that exceeds --max-wall is killed
 * and reported with the simulated time it had reached.
 *
 *   npm run bench:scale -- --sizes 1000,10000 --duration 10s --workers 1,2 --max-wall 1200
 *
 * Flags: --sizes (nodes, comma-separated), --workers (comma-separated),
 * --duration (simulated, e.g. 10s or 2500ms; default 10s), --max-wall
 * (seconds per run; default 1800), --json (one JSON line per run as well).
 * Wall-clock reads are fine here: bench/ is outside the determinism lint.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { simulate } from '../src/runner/run-scenario.js';
import { simulateSharded } from '../src/parallel/sharded/run-sharded.js';
import { parseScenarioText } from '../src/scenario/load.js';

interface RunFigures {
  nodes: number;
  workers: number;
  status: 'ok' | 'timeout' | 'failed';
  simSeconds: number;
  events: number;
  wallSeconds: number;
  eventsPerSecond: number;
  simToWall: number;
  peakRssBytes: number;
  bytesPerNode: number;
  /** CPU time of the whole process (all threads), s: robust to other load on the machine, unlike wall time. */
  cpuSeconds: number;
  tps: number;
  traceHash: string;
  lookaheadMs: number | null;
  windows: number | null;
  note: string;
}

function scenarioText(nodes: number, durationMs: number): string {
  return `
name: scale-${nodes}
duration: ${durationMs}ms
nodes: {count: ${nodes}}
network:
  latency: {kind: regions, preset: simblock-2019}
workload:
  phases:
    - {kind: poisson, rateTps: 1000, duration: ${durationMs}ms}
measurement: {warmup: ${Math.min(2000, Math.floor(durationMs / 5))}ms}
`;
}

function parseMs(text: string): number {
  const m = /^([0-9]+(?:\.[0-9]+)?)(ms|s)$/.exec(text);
  if (m === null) throw new RangeError(`--duration: must look like 10s or 2500ms, got "${text}"`);
  return Math.round(Number(m[1]) * (m[2] === 's' ? 1000 : 1));
}

function flag(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

function list(text: string, field: string): number[] {
  const xs = text.split(',').map(Number);
  if (xs.some((x) => !Number.isInteger(x) || x < 1)) throw new RangeError(`${field}: must be comma-separated positive integers, got "${text}"`);
  return xs;
}

/** Child: one run; progress lines while it runs, then the figures as one JSON line. */
async function child(nodes: number, workers: number, durationMs: number): Promise<void> {
  const rssBefore = process.memoryUsage().rss;
  const { scenario } = parseScenarioText(scenarioText(nodes, durationMs));
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const onProgress = (p: { simMicros: number; events: number }): void => {
    process.stdout.write(`progress ${JSON.stringify({ simSeconds: p.simMicros / 1e6, events: p.events, wallSeconds: (performance.now() - t0) / 1000 })}\n`);
  };
  const run = workers === 1 ? simulate(scenario, { seed: 1, onProgress }) : await simulateSharded(scenario, { seed: 1, onProgress }, workers);
  const wall = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const { summarise } = await import('../src/runner/summarise.js');
  const s = summarise(run);
  const peak = process.resourceUsage().maxRSS * 1024;
  const sharding = 'sharding' in run ? (run as Awaited<ReturnType<typeof simulateSharded>>).sharding : undefined;
  const figures: RunFigures = {
    nodes,
    workers,
    status: s.outcome.kind === 'completed' ? 'ok' : 'failed',
    simSeconds: s.simSeconds,
    events: s.events,
    wallSeconds: wall,
    eventsPerSecond: s.events / wall,
    simToWall: s.simSeconds / wall,
    peakRssBytes: peak,
    bytesPerNode: Math.max(0, peak - rssBefore) / nodes,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    tps: s.tps,
    traceHash: s.traceHash,
    lookaheadMs: sharding === undefined ? null : sharding.layout.lookaheadUs / 1000,
    windows: sharding === undefined ? null : sharding.windows,
    note: s.outcome.kind === 'completed' ? '' : JSON.stringify(s.outcome),
  };
  process.stdout.write(`result ${JSON.stringify(figures)}\n`);
}

function runChild(nodes: number, workers: number, durationMs: number, maxWallS: number): Promise<RunFigures> {
  return new Promise((resolve) => {
    const script = fileURLToPath(import.meta.url);
    const proc = spawn(process.execPath, ['--max-old-space-size=8192', script, '--child', String(nodes), String(workers), String(durationMs)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let last: { simSeconds: number; events: number; wallSeconds: number } | undefined;
    let result: RunFigures | undefined;
    let buf = '';
    proc.stdout.on('data', (d: Buffer) => {
      buf += d.toString();
      for (let i = buf.indexOf('\n'); i >= 0; i = buf.indexOf('\n')) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 1);
        if (line.startsWith('progress ')) last = JSON.parse(line.slice(9)) as typeof last;
        else if (line.startsWith('result ')) result = JSON.parse(line.slice(7)) as RunFigures;
      }
    });
    const timer = setTimeout(() => proc.kill('SIGKILL'), maxWallS * 1000);
    proc.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (result !== undefined) return resolve(result);
      const p = last ?? { simSeconds: 0, events: 0, wallSeconds: maxWallS };
      resolve({
        nodes,
        workers,
        status: signal === 'SIGKILL' ? 'timeout' : 'failed',
        simSeconds: p.simSeconds,
        events: p.events,
        wallSeconds: p.wallSeconds,
        eventsPerSecond: p.wallSeconds > 0 ? p.events / p.wallSeconds : 0,
        simToWall: p.wallSeconds > 0 ? p.simSeconds / p.wallSeconds : 0,
        peakRssBytes: 0,
        bytesPerNode: 0,
        cpuSeconds: 0,
        tps: 0,
        traceHash: '',
        lookaheadMs: null,
        windows: null,
        note: signal === 'SIGKILL' ? `killed after ${maxWallS} s; figures up to the last progress report` : `exit ${code}`,
      });
    });
  });
}

const fmt = (x: number, d = 0): string => x.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });

function table(rows: RunFigures[]): string {
  const head = ['nodes', 'W', 'status', 'sim s', 'wall s', 'events', 'events/s', 'sim/wall', 'peak RSS MiB', 'bytes/node', 'CPU s', 'speedup', 'lookahead ms', 'trace hash'];
  const lines = rows.map((r) => {
    const base = rows.find((x) => x.nodes === r.nodes && x.workers === 1);
    const speedup = base !== undefined && r.workers > 1 && base.simToWall > 0 ? `${fmt(r.simToWall / base.simToWall, 2)}x` : '';
    return [
      fmt(r.nodes),
      String(r.workers),
      r.status,
      fmt(r.simSeconds, 2),
      fmt(r.wallSeconds, 1),
      fmt(r.events),
      fmt(r.eventsPerSecond),
      fmt(r.simToWall, 3),
      r.peakRssBytes > 0 ? fmt(r.peakRssBytes / 2 ** 20) : '',
      r.bytesPerNode > 0 ? fmt(r.bytesPerNode) : '',
      r.cpuSeconds > 0 ? fmt(r.cpuSeconds, 1) : '',
      speedup,
      r.lookaheadMs === null ? '' : fmt(r.lookaheadMs),
      r.traceHash,
    ];
  });
  const widths = head.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const row = (cells: string[]): string => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [row(head), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...lines.map(row)].join('\n');
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args[0] === '--child') {
    await child(Number(args[1]), Number(args[2]), Number(args[3]));
    return;
  }
  const sizes = list(flag(args, '--sizes') ?? '1000,5000,10000', '--sizes');
  const workers = list(flag(args, '--workers') ?? '1,2', '--workers');
  const durationMs = parseMs(flag(args, '--duration') ?? '10s');
  const maxWall = Number(flag(args, '--max-wall') ?? '1800');
  const rows: RunFigures[] = [];
  for (const n of sizes) {
    for (const w of workers) {
      process.stderr.write(`bench:scale: ${n} nodes, ${w} worker(s), ${durationMs / 1000} s simulated ...\n`);
      const r = await runChild(n, w, durationMs, maxWall);
      rows.push(r);
      if (args.includes('--json')) process.stdout.write(`${JSON.stringify(r)}\n`);
      process.stderr.write(`  ${r.status}: ${fmt(r.events)} events in ${fmt(r.wallSeconds, 1)} s, sim/wall ${fmt(r.simToWall, 3)}\n`);
    }
  }
  process.stdout.write(`\n${table(rows)}\n`);
  const same = sizes.every((n) => new Set(rows.filter((r) => r.nodes === n && r.status === 'ok').map((r) => r.traceHash)).size <= 1);
  process.stdout.write(`trace hashes equal across worker counts: ${same ? 'yes' : 'NO'}\n`);
}

await main();
