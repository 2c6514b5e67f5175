/**
 * Node-engine benchmark (issue #3): runs one scenario through the real
 * runner and simulator and prints events, trace hash, wall time, CPU time
 * (user+system, less sensitive to other processes on a shared machine),
 * events per wall second and per CPU second, and the simulated/wall ratio.
 *
 *   npm run build && node dist/bench/consensus.js [scenario.yaml] [seed]
 *
 * Default scenario: experiments/consensus-500-profile.yaml (500 validators,
 * SimBlock regions, 100 TPS, 10 s). Compare builds on the same scenario and
 * seed in one session; the trace hash must match when behaviour is unchanged.
 * Wall-clock reads are fine here: bench/ is outside the determinism lint.
 */
import { performance } from 'node:perf_hooks';
import { loadScenarioFile } from '../src/scenario/load.js';
import { simulate } from '../src/runner/run-scenario.js';

const file = process.argv[2] ?? 'experiments/consensus-500-profile.yaml';
const seed = Number(process.argv[3] ?? 1);
if (!Number.isSafeInteger(seed)) throw new RangeError(`seed must be an integer, got ${process.argv[3]}`);

const { scenario } = loadScenarioFile(file);
const cpu0 = process.cpuUsage();
const t0 = performance.now();
const run = simulate(scenario, { seed });
const wall = (performance.now() - t0) / 1000;
const cpu = process.cpuUsage(cpu0);
const cpuSeconds = (cpu.user + cpu.system) / 1e6;
const r = run.result;
const out = {
  scenario: scenario.name,
  nodes: scenario.nodes.count,
  seed,
  traceHash: r.traceHash,
  events: r.events,
  simSeconds: scenario.duration / 1e6,
  wallSeconds: Number(wall.toFixed(3)),
  cpuSeconds: Number(cpuSeconds.toFixed(3)),
  eventsPerWallSecond: Math.round(r.events / wall),
  eventsPerCpuSecond: Math.round(r.events / cpuSeconds),
  simToWallRatio: Number((scenario.duration / 1e6 / wall).toFixed(3)),
  acceptedHeight: run.collector.counts.maxAcceptedHeight,
};
console.log(JSON.stringify(out));
