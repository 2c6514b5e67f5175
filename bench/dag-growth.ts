/**
 * ST-002 for the Avalanche DAG (npm run bench:dag-growth): runs a DAG
 * scenario and, every --every of simulated time, samples
 *   - vertices accepted (distinct: the most any honest node has accepted),
 *   - entries each node's consensus state retains (deterministic: the same
 *     on any machine), mean over nodes,
 *   - heap bytes per node (after a forced GC when node runs with
 *     --expose-gc, which the npm script passes; wall-clock-free but
 *     machine-dependent),
 *   - vertex finality (built to accepted, every node) and transaction
 *     finality (submitted to accepted, every node) in that window, p50/p95,
 * and writes growth.csv, growth.json, summary.json (the run's RunSummary)
 * and two plots against vertices accepted (memory, latency) to --out.
 *
 *   npm run bench:dag-growth -- --file experiments/st-002-dag-state-growth.yaml --every 60s --out results/st-002-dag
 *
 * Flags: --file, --seed (default 1), --every (simulated, default 60s),
 * --out (default results/st-002-dag), --set path=value (repeatable).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { TopLevelSpec } from 'vega-lite';
import type { AvalancheNode } from '../src/consensus/avalanche/engine/dag-node.js';
import type { DagNodeObserver } from '../src/consensus/avalanche/engine/observer.js';
import { LatencyHistogram } from '../src/metrics/histogram.js';
import { writeFileAtomic } from '../src/report/atomic.js';
import { renderSvg } from '../src/report/render.js';
import { simulate } from '../src/runner/run-scenario.js';
import { summarise } from '../src/runner/summarise.js';
import { parseDuration } from '../src/scenario/duration.js';
import { loadScenarioFile } from '../src/scenario/load.js';

interface Sample {
  simSeconds: number;
  wallSeconds: number;
  verticesAccepted: number;
  vertexAcceptances: number;
  retainedEntriesPerNode: number;
  heapBytesPerNode: number;
  vertexFinalityP50Ms: number | null;
  vertexFinalityP95Ms: number | null;
  txFinalityP50Ms: number | null;
  txFinalityP95Ms: number | null;
  events: number;
}

function flag(args: string[], name: string, fallback: string): string {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1]! : fallback;
}

function heapUsed(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  return process.memoryUsage().heapUsed;
}

function lineChart(title: string, rows: Sample[], fields: ReadonlyArray<[keyof Sample, string]>, yTitle: string): TopLevelSpec {
  const data = rows.flatMap((r) => fields.map(([f, label]) => ({ vertices: r.verticesAccepted, value: r[f], series: label })));
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title,
    width: 560,
    height: 280,
    config: { font: 'DejaVu Sans' },
    data: { values: data },
    mark: { type: 'line', point: true },
    encoding: {
      x: { field: 'vertices', type: 'quantitative', title: 'vertices accepted' },
      y: { field: 'value', type: 'quantitative', title: yTitle, scale: { zero: true } },
      color: { field: 'series', type: 'nominal', title: null },
    },
  };
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const file = flag(args, '--file', 'experiments/st-002-dag-state-growth.yaml');
  const seed = Number(flag(args, '--seed', '1'));
  const everyUs = parseDuration(flag(args, '--every', '60s'));
  const out = flag(args, '--out', 'results/st-002-dag');
  if (everyUs === null || everyUs <= 0) throw new RangeError('--every: must be a duration > 0, e.g. 60s');
  const sets: string[] = [];
  args.forEach((a, i) => {
    if (a === '--set' && args[i + 1] !== undefined) sets.push(args[i + 1]!);
  });
  const { scenario } = loadScenarioFile(file, { sets });
  if (scenario.protocol.name !== 'avalanche') throw new RangeError(`${file}: protocol.name must be avalanche for this benchmark`);

  const nodes: AvalancheNode[] = [];
  let vertexWindow = new LatencyHistogram();
  let txWindow = new LatencyHistogram();
  let acceptances = 0;
  const observer: DagNodeObserver = {
    onVertexAccepted: (v, _count, _node, time) => {
      acceptances++;
      vertexWindow.record(time - v.builtAt);
    },
    onTxDecidedAccepted: (tx, _c, _node, time) => txWindow.record(time - tx.submittedAt),
  };
  const samples: Sample[] = [];
  const baseline = heapUsed();
  const wallStart = performance.now();
  let next = everyUs;
  const sample = (simMicros: number, events: number): void => {
    const v = vertexWindow.summaryMs();
    const t = txWindow.summaryMs();
    const retained = nodes.reduce((s, n) => s + n.retainedEntries(), 0) / nodes.length;
    samples.push({
      simSeconds: simMicros / 1e6,
      wallSeconds: Math.round((performance.now() - wallStart) / 100) / 10,
      verticesAccepted: Math.max(...nodes.map((n) => n.numAccepted())),
      vertexAcceptances: acceptances,
      retainedEntriesPerNode: Math.round(retained * 10) / 10,
      heapBytesPerNode: Math.round(Math.max(0, heapUsed() - baseline) / nodes.length),
      vertexFinalityP50Ms: v.p50,
      vertexFinalityP95Ms: v.p95,
      txFinalityP50Ms: t.p50,
      txFinalityP95Ms: t.p95,
      events,
    });
    vertexWindow = new LatencyHistogram();
    txWindow = new LatencyHistogram();
    const s = samples[samples.length - 1]!;
    process.stderr.write(
      `t=${s.simSeconds}s wall=${s.wallSeconds}s vertices=${s.verticesAccepted} retained/node=${s.retainedEntriesPerNode} heap/node=${s.heapBytesPerNode} vtx p95=${s.vertexFinalityP95Ms === null ? 'no samples' : `${s.vertexFinalityP95Ms}ms`} tx p95=${s.txFinalityP95Ms === null ? 'no samples' : `${s.txFinalityP95Ms}ms`}\n`,
    );
  };
  const run = simulate(scenario, {
    seed,
    inspect: { onNode: (_id, n) => nodes.push(n as AvalancheNode), observer },
    onProgress: (p) => {
      while (p.simMicros >= next) {
        sample(next, p.events);
        next += everyUs;
      }
    },
  });
  const summary = summarise(run);
  mkdirSync(out, { recursive: true });
  const header = Object.keys(samples[0] ?? {}) as Array<keyof Sample>;
  writeFileAtomic(join(out, 'growth.csv'), [header.join(','), ...samples.map((s) => header.map((h) => String(s[h])).join(','))].join('\n') + '\n');
  writeFileAtomic(join(out, 'growth.json'), JSON.stringify({ scenario: scenario.name, seed, sets, everySeconds: everyUs / 1e6, samples }, null, 2) + '\n');
  writeFileAtomic(join(out, 'summary.json'), JSON.stringify(summary, null, 2) + '\n');
  mkdirSync(join(out, 'plots'), { recursive: true });
  writeFileAtomic(
    join(out, 'plots', 'memory-vs-vertices.svg'),
    await renderSvg(
      lineChart(
        `${scenario.name}: memory per node as the DAG grows`,
        samples,
        [
          ['heapBytesPerNode', 'heap bytes per node'],
          ['retainedEntriesPerNode', 'consensus entries per node (x1)'],
        ],
        'per node',
      ),
    ),
  );
  writeFileAtomic(
    join(out, 'plots', 'latency-vs-vertices.svg'),
    await renderSvg(
      lineChart(
        `${scenario.name}: finality as the DAG grows (per ${everyUs / 1e6} s window)`,
        samples,
        [
          ['vertexFinalityP50Ms', 'vertex p50'],
          ['vertexFinalityP95Ms', 'vertex p95'],
          ['txFinalityP50Ms', 'tx p50'],
          ['txFinalityP95Ms', 'tx p95'],
        ],
        'ms',
      ),
    ),
  );
  console.log(
    JSON.stringify({
      verticesAccepted: summary.acceptedBlocks,
      tps: summary.tps,
      safetyViolations: summary.safety.violations,
      liveness: summary.liveness.ok,
      traceHash: summary.traceHash,
      wallSeconds: summary.wallSeconds,
    }),
  );
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
