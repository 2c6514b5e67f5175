/**
 * Is the last throughput bucket of a run high? Runs one scenario over many
 * seeds in this process with 100 ms buckets and prints, per seed and as the
 * mean over seeds with its standard error:
 * - accepted TPS in the steady 1 s buckets (after the warm-up, before the last),
 * - accepted TPS in the last 1 s bucket,
 * - what the submissions predict for it: the TPS submitted one median finality
 *   latency earlier (the same 1 s window shifted back by that run's p50),
 * - acceptances at exactly t = duration (the run's end instant),
 * - acceptances per 100 ms slice of the last second (mean over seeds).
 *
 *   node dist/bench/last-bucket.js [--scenario experiments/default.yaml] [--nodes 100] [--seeds 1-24]
 *
 * Wall-clock reads are fine here: bench/ is outside the determinism lint.
 */
import { simulate } from '../src/runner/run-scenario.js';
import { loadScenarioFile } from '../src/scenario/load.js';
import { benchMain, parseFlags, parsePositiveInt, str } from './lib/flags.js';
import { BenchUsageError } from './lib/git-ref.js';
import { markdownTable } from './lib/table.js';

const SLICE_US = 100_000;

function seedRange(text: string): number[] {
  const m = /^([0-9]+)-([0-9]+)$/.exec(text);
  if (m === null || Number(m[1]) < 1 || Number(m[2]) < Number(m[1]) || Number(m[2]) - Number(m[1]) > 999) {
    throw new BenchUsageError(`--seeds: must be a range like 1-24 (at most 1,000 seeds), got "${text}"`);
  }
  return Array.from({ length: Number(m[2]) - Number(m[1]) + 1 }, (_, i) => Number(m[1]) + i);
}

const sum = (xs: readonly number[], from: number, to: number): number => {
  let s = 0;
  for (let i = Math.max(0, from); i < to; i++) s += xs[i] ?? 0;
  return s;
};
const meanSe = (xs: readonly number[]): { mean: number; se: number } => {
  const m = xs.reduce((a, b) => a + b, 0) / xs.length;
  const v = xs.length > 1 ? xs.reduce((a, b) => a + (b - m) ** 2, 0) / (xs.length - 1) : 0;
  return { mean: m, se: Math.sqrt(v / xs.length) };
};
const f = (x: number, d = 2): string => x.toFixed(d);

async function main(): Promise<number> {
  const fl = parseFlags(process.argv.slice(2), { scenario: { type: 'string' }, nodes: { type: 'string' }, seeds: { type: 'string' } });
  const file = str(fl.scenario) ?? 'experiments/default.yaml';
  const nodes = parsePositiveInt('--nodes', str(fl.nodes) ?? '100', 10_000);
  const seeds = seedRange(str(fl.seeds) ?? '1-24');
  const { scenario } = loadScenarioFile(file, { sets: [`nodes.count=${nodes}`, 'measurement.throughputBucket=100ms'] });
  const endUs = scenario.duration;
  const slices = Math.round(endUs / SLICE_US);
  const perSecond = 1_000_000 / SLICE_US;
  const warmSlices = Math.ceil(scenario.measurement.warmup / SLICE_US);
  const rows: string[][] = [];
  const steady: number[] = [];
  const last: number[] = [];
  const predicted: number[] = [];
  const atEnd: number[] = [];
  const lastSlices: number[][] = [];
  for (const seed of seeds) {
    const run = simulate(scenario, { seed });
    const acc = run.collector.acceptedPerBucket;
    const sub = run.collector.submittedPerBucket;
    const p50 = run.collector.clientLatency.summaryMs().p50 ?? 0;
    const lagSlices = Math.round((p50 * 1000) / SLICE_US);
    const lastFrom = slices - perSecond;
    const steadyTps = sum(acc, warmSlices, lastFrom) / ((lastFrom - warmSlices) / perSecond);
    const lastTps = sum(acc, lastFrom, slices);
    const predictedTps = sum(sub, lastFrom - lagSlices, slices - lagSlices);
    const end = acc[slices] ?? 0;
    steady.push(steadyTps);
    last.push(lastTps);
    predicted.push(predictedTps);
    atEnd.push(end);
    lastSlices.push(Array.from({ length: perSecond }, (_, i) => acc[lastFrom + i] ?? 0));
    rows.push([String(seed), f(p50, 0), f(steadyTps), String(lastTps), String(predictedTps), String(lastTps - predictedTps), String(end), run.result.traceHash]);
    process.stderr.write(`seed ${seed} done\n`);
  }
  console.log(`${file} at ${nodes} nodes, ${seeds.length} seeds (${seeds[0]}-${seeds[seeds.length - 1]}), duration ${endUs / 1e6} s, warm-up ${scenario.measurement.warmup / 1e6} s\n`);
  console.log(markdownTable(['seed', 'p50 ms', 'steady TPS', 'last-bucket TPS', 'submitted one p50 earlier', 'last - predicted', 'accepted at t = duration', 'trace hash (100 ms buckets)'], rows));
  const d = meanSe(last.map((x, i) => x - (predicted[i] ?? 0)));
  const ds = meanSe(last.map((x, i) => x - (steady[i] ?? 0)));
  const s = meanSe(steady);
  const l = meanSe(last);
  const p = meanSe(predicted);
  console.log('');
  console.log(markdownTable(['figure', 'mean over seeds', 'standard error'], [
    ['steady TPS', f(s.mean), f(s.se)],
    ['last-bucket TPS', f(l.mean), f(l.se)],
    ['submitted one p50 earlier', f(p.mean), f(p.se)],
    ['last - steady', f(ds.mean), f(ds.se)],
    ['last - submitted one p50 earlier', f(d.mean), f(d.se)],
    ['accepted at exactly t = duration', f(meanSe(atEnd).mean), f(meanSe(atEnd).se)],
  ]));
  console.log('');
  console.log(markdownTable(['slice of the last second (s)', ...lastSlices[0]!.map((_, i) => `${f((endUs - 1_000_000 + i * SLICE_US) / 1e6, 1)}`)], [
    ['accepted (mean over seeds)', ...lastSlices[0]!.map((_, i) => f(meanSe(lastSlices.map((x) => x[i] ?? 0)).mean))],
  ]));
  return 0;
}

void benchMain('last-bucket', main);
