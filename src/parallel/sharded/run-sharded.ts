/**
 * `avsim run --workers W`: one simulation split across W Piscina workers.
 *
 * The coordinator (this thread) plans the layout (layout.ts), starts one
 * shard task per worker with the ports that connect the shards and the shared
 * barrier (barrier.ts), merges the shards' checker logs in serial order as
 * windows complete (ordered-log.ts), and at the end folds the shards' results
 * into one FinishedRun: trace-hash lanes by owner, per-node counters by node,
 * histograms and counters by sum / max / min. The summary is then built by
 * the same `summarise` as a serial run, so every field that is not wall-clock
 * is identical for any W.
 */
import { existsSync } from 'node:fs';
import { MessageChannel, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Piscina } from 'piscina';
import { protocolOrThrow } from '../../consensus/protocols.js';
import type { RunSummary } from '../../metrics/summary.js';
import { byzantineStakeFraction, collectorFor, planRun, reproOf, type FinishedRun, type RunScenarioOptions } from '../../runner/run-scenario.js';
import { summarise } from '../../runner/summarise.js';
import type { Scenario } from '../../scenario/schema.js';
import { TraceHasher } from '../../sim/hash.js';
import type { NetworkCounters, NodeStats, RunOutcome, RunResult } from '../../sim/types.js';
import { Barrier, boardBytes } from './barrier.js';
import { planLayout, type ShardLayout } from './layout.js';
import { OrderedMerger } from './ordered-log.js';
import { isAborted, type LogMessage, type ShardReply, type ShardResult, type ShardTask } from './shard-worker.js';

export interface ShardedRunStats {
  layout: ShardLayout;
  windows: number;
  crossShardMessages: number;
  /** Per shard: events, and wall time spent computing (the rest of the run is exchange and waiting). */
  shards: Array<{ nodes: number; events: number; computeSeconds: number }>;
}

export interface ShardedFinishedRun extends FinishedRun {
  sharding: ShardedRunStats;
}

/** The compiled worker module: beside this file under dist/, or dist/'s copy when running from src/ (tests). */
export function shardWorkerUrl(): URL {
  const here = new URL('./shard-worker.js', import.meta.url);
  if (existsSync(fileURLToPath(here))) return here;
  const path = fileURLToPath(import.meta.url).replace(/([\\/])src([\\/]parallel[\\/]sharded[\\/])[^\\/]+$/, '$1dist$1src$2shard-worker.js');
  if (!existsSync(path)) throw new Error(`sharded run: worker module ${path} not found (run npm run build first)`);
  return pathToFileURL(path);
}

export async function runScenarioSharded(scenario: Scenario, options: RunScenarioOptions, workers: number): Promise<RunSummary> {
  return summarise(await simulateSharded(scenario, options, workers));
}

export async function simulateSharded(scenario: Scenario, options: RunScenarioOptions, workers: number): Promise<ShardedFinishedRun> {
  if (options.trace !== undefined) {
    throw new RangeError('--trace: the event trace is written by single-process runs only (drop --workers, or use --workers 1)');
  }
  const seed = options.seed;
  const n = scenario.nodes.count;
  const repro = reproOf(scenario, options);
  const wallStart = performance.now();
  const plan = planRun(scenario, seed);
  const layout = planLayout(scenario, seed, workers, plan.byzantine);
  const W = layout.shards;
  const protocol = protocolOrThrow(scenario.protocol.name);
  const collector = collectorFor(scenario, protocol, plan.byzantineSet, plan.faultPlan, repro);
  const merger = new OrderedMerger(W, protocol.checkRecords, { safety: collector.safety, liveness: collector.liveness }, plan.windowEdges);

  const board = new SharedArrayBuffer(boardBytes(W));
  const barrier = new Barrier(board, W);
  const peers: (MessagePort | undefined)[][] = Array.from({ length: W }, () => Array.from({ length: W }, (): MessagePort | undefined => undefined));
  for (let a = 0; a < W; a++) {
    for (let b = a + 1; b < W; b++) {
      const ch = new MessageChannel();
      peers[a]![b] = ch.port1;
      peers[b]![a] = ch.port2;
    }
  }
  const logPorts: MessagePort[] = [];
  const progress = new Float64Array(W);
  const events = new Float64Array(W);
  const onLog = (m: LogMessage): void => {
    merger.push(m.shard, m.log);
    progress[m.shard] = m.simUs;
    events[m.shard] = m.events;
    if (m.shard === 0 && options.onProgress !== undefined) {
      options.onProgress({
        simMicros: Math.min(...progress),
        endMicros: scenario.duration,
        events: events.reduce((s, x) => s + x, 0),
        wallSeconds: (performance.now() - wallStart) / 1000,
      });
    }
  };

  const pool = new Piscina({ filename: shardWorkerUrl().href, minThreads: W, maxThreads: W, idleTimeout: 1_000, concurrentTasksPerWorker: 1 });
  let results: ShardResult[];
  try {
    const tasks = Array.from({ length: W }, (_, shard) => {
      const ch = new MessageChannel();
      ch.port1.on('message', onLog);
      logPorts.push(ch.port1);
      const shardPeers = peers[shard]!;
      const task: ShardTask = {
        scenario,
        seed,
        repro,
        shard,
        shards: W,
        ownerOf: layout.ownerOf,
        lookaheadUs: layout.lookaheadUs,
        board,
        peers: shardPeers,
        log: ch.port2,
        ...(options.maxWall === undefined ? {} : { maxWallSeconds: options.maxWall.seconds }),
      };
      const transferList = [ch.port2, ...shardPeers.filter((p): p is MessagePort => p !== undefined)];
      return pool.run(task, { transferList }).catch((e: unknown) => {
        barrier.abort(); // unblock the other shards
        throw e;
      }) as Promise<ShardReply>;
    });
    const settled = await Promise.allSettled(tasks);
    // A shard's own error first; the shards it stopped only say they were aborted.
    const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (failed !== undefined) throw failed.reason;
    const replies = settled.map((s) => (s as PromiseFulfilledResult<ShardReply>).value);
    const aborted = replies.find(isAborted);
    if (aborted !== undefined) throw new Error(`shard ${aborted.shard}: ${aborted.aborted}`);
    results = replies as ShardResult[];
    // Logs still queued on the ports (the task results can overtake them).
    for (const port of logPorts) {
      for (let m = receiveMessageOnPort(port); m !== undefined; m = receiveMessageOnPort(port)) onLog(m.message as LogMessage);
    }
  } finally {
    for (const p of logPorts) p.close();
    await pool.destroy();
  }

  const result = mergeResults(results, n);
  merger.finish(result.endTimeUs);
  for (const r of results) collector.absorb(r.collector);
  const wallSeconds = (performance.now() - wallStart) / 1000;
  return {
    scenario,
    seed,
    result,
    collector,
    byzantine: plan.byzantine,
    byzantineStakeFraction: byzantineStakeFraction(plan.stake, plan.byzantineSet),
    faultPlan: plan.faultPlan,
    phases: plan.phases,
    wallSeconds,
    memoryBytesPerNode: results.reduce((s, r) => s + r.heapDeltaBytes, 0) / n,
    repro,
    point: options.point,
    sharding: {
      layout,
      windows: results[0]!.windows,
      crossShardMessages: results.reduce((s, r) => s + r.crossShardMessages, 0),
      shards: results.map((r, i) => ({ nodes: layout.sizes[i]!, events: r.events, computeSeconds: r.computeSeconds })),
    },
  };
}

/** The shards' engine results as one serial run's RunResult. */
export function mergeResults(results: readonly ShardResult[], nodeCount: number): RunResult {
  const hasher = new TraceHasher(nodeCount + 1);
  for (const r of results) hasher.absorb(r.lanes);
  const first = results[0]!;
  const nodes = {} as Record<keyof NodeStats, Float64Array | Int32Array>;
  for (const key of Object.keys(first.nodes) as (keyof NodeStats)[]) {
    // Each node's entries are zero outside its own shard, so the sum is the owner's value.
    const out = key === 'maxQueueLength' ? new Int32Array(nodeCount) : new Float64Array(nodeCount);
    for (const r of results) {
      const src = r.nodes[key];
      for (let i = 0; i < nodeCount; i++) out[i] = out[i]! + src[i]!;
    }
    nodes[key] = out;
  }
  const network: NetworkCounters = { droppedLoss: 0, droppedPartition: 0, droppedCrashed: 0, duplicated: 0 };
  for (const r of results) for (const k of Object.keys(network) as (keyof NetworkCounters)[]) network[k] += r.network[k];
  // A limit in any shard is the run's outcome (the lowest such shard's, with its own detail).
  const limited = results.find((r) => r.outcome.kind === 'limit' && r.outcome.peerShard === undefined);
  const outcome: RunOutcome = limited?.outcome ?? first.outcome;
  return {
    outcome,
    endTimeUs: Math.max(...results.map((r) => r.endTimeUs)),
    events: results.reduce((s, r) => s + r.events, 0),
    traceHash: hasher.digest(),
    nodes: nodes as unknown as NodeStats,
    network,
    pendingEvents: results.reduce((s, r) => s + r.pendingEvents, 0),
  };
}
