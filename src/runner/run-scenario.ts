/**
 * The runner: one scenario + one seed -> one simulated run -> one RunSummary.
 * It builds the engine (src/sim), one node per validator from the scenario's
 * protocol (src/consensus/protocols.ts: node factory, Byzantine behaviours,
 * message model), the workload and fault timeline, runs, and condenses what
 * the collector saw.
 */
import { performance } from 'node:perf_hooks';
import type { HostedNode } from '../consensus/host.js';
import type { AnyProtocol } from '../consensus/protocol.js';
import { protocolOrThrow } from '../consensus/protocols.js';
import type { RunSummary } from '../metrics/summary.js';
import type { Scenario } from '../scenario/schema.js';
import type { SweepPoint } from '../scenario/sweep.js';
import { Simulation } from '../sim/simulation.js';
import { JsonLinesTraceFile } from '../sim/trace-file.js';
import { createStream, RUN_OWNER } from '../sim/rng.js';
import { toSeconds, type Micros } from '../sim/time.js';
import type { RunOutcome, RunResult, ShardConfig } from '../sim/types.js';
import { formatDuration } from '../scenario/duration.js';
import { assignByzantine, byzantineSelectionStream } from './byzantine-assignment.js';
import { asScenarioError } from './engine-config.js';
import { RunCollector, type OrderedSink } from './collector.js';
import { lastHealUs, planFaults } from './fault-timeline.js';
import { latencyProfileOf, networkConfigOf } from './network-config.js';
import { stakeUnitsOf } from './stake-of.js';
import { heapUsedAfterGc } from './retained-heap.js';
import { summarise } from './summarise.js';
import { clientSourceFor, loadPhasesOf, twinSourceFor } from './workload.js';

export interface RunProgress {
  /** Simulated time reached, µs. */
  simMicros: number;
  /** Simulated time the run ends at, µs. */
  endMicros: number;
  events: number;
  wallSeconds: number;
}

export interface TraceOptions {
  /** File the event trace is written to. */
  file: string;
  /** Only events at these nodes (all when absent). */
  nodes?: readonly number[];
  /** Only events in [fromMicros, toMicros). */
  fromMicros?: number;
  toMicros?: number;
}

/**
 * A wall-time limit (`--max-wall`): the runner checks it between run windows
 * and ends the run with the labelled limit 'max-wall'; what was simulated
 * until then is summarised as usual (a partial result, labelled so).
 */
export interface WallLimit {
  /** Wall seconds the run may take. */
  seconds: number;
  /** Wall seconds since the run started; the CLI passes the real clock (the engine reads none), tests a scripted one. */
  elapsedSeconds: () => number;
}

export interface RunScenarioOptions {
  seed: number;
  /** End the run with limit 'max-wall' once this much wall time has passed. */
  maxWall?: WallLimit;
  /** The sweep point this run belongs to (recorded in RunSummary.point). */
  point?: SweepPoint;
  onProgress?: (progress: RunProgress) => void;
  trace?: TraceOptions;
  /** The one command that re-runs exactly this case (RunSummary.repro). */
  repro?: string;
  /**
   * For tests and tools that look inside a run: every node as built, and a
   * second observer of every node report (both in the protocol's own types,
   * e.g. SnowmanNode and NodeObserver).
   */
  inspect?: {
    onNode?: (id: number, node: HostedNode<unknown, unknown>) => void;
    observer?: unknown;
  };
}

/** Everything a finished simulation leaves for the summary. */
export interface FinishedRun {
  scenario: Scenario;
  seed: number;
  result: RunResult;
  collector: RunCollector;
  byzantine: readonly number[];
  byzantineStakeFraction: number;
  faultPlan: ReturnType<typeof planFaults>;
  phases: ReturnType<typeof loadPhasesOf>;
  wallSeconds: number;
  memoryBytesPerNode: number;
  repro: string;
  point: SweepPoint | undefined;
}

export async function runScenario(scenario: Scenario, options: RunScenarioOptions): Promise<RunSummary> {
  return summarise(simulate(scenario, options));
}

/**
 * How often (simulated) the run reports progress and the engine yields to the
 * caller. With a wall-time limit the windows are at most 100 ms simulated, so
 * the limit is checked often enough to stop close to it (window edges do not
 * change a run: same events, same trace hash).
 */
function progressStepUs(durationUs: Micros, wallLimited: boolean): Micros {
  const step = Math.max(100_000, Math.min(5_000_000, Math.floor(durationUs / 200)));
  return wallLimited ? Math.min(step, 100_000) : step;
}

/** A scenario built into an engine, ready to run (the whole run, or one shard of it). */
export interface PreparedRun {
  protocol: AnyProtocol;
  sim: Simulation<unknown, unknown>;
  collector: RunCollector;
  stake: Uint32Array;
  byzantine: readonly number[];
  byzantineSet: ReadonlySet<number>;
  faultPlan: ReturnType<typeof planFaults>;
  phases: ReturnType<typeof loadPhasesOf>;
  /** Fault window starts and heals in time order (starts first at equal times), for the liveness checker. */
  windowEdges: ReadonlyArray<{ t: Micros; start: boolean }>;
  trace: JsonLinesTraceFile | undefined;
  repro: string;
}

/** Sharded runs: which shard to build, and where its order-sensitive checker inputs go. */
export interface ShardSetup {
  shard: ShardConfig;
  ordered: OrderedSink<unknown>;
}

/**
 * Builds the run. Workload, faults and the Byzantine assignment are functions
 * of (scenario, seed) only, so every shard of a sharded run builds the same
 * ones; the engine then instantiates, feeds and schedules only its own nodes.
 */
export function prepareRun(scenario: Scenario, options: RunScenarioOptions, shardSetup?: ShardSetup): PreparedRun {
  const seed = options.seed;
  const n = scenario.nodes.count;
  const repro = reproOf(scenario, options);
  const protocol = protocolOrThrow(scenario.protocol.name);
  const { stake, byzantine, byzantineSet, faultPlan, phases, windowEdges } = planRun(scenario, seed);
  const run = protocol.prepare({ scenario, seed, stake, byzantine, byzantineStream: (node) => createStream(seed, node, 'byzantine') });
  const collector = collectorFor(scenario, protocol, byzantineSet, faultPlan, repro, shardSetup?.ordered);

  if (shardSetup !== undefined && options.trace !== undefined) {
    throw new RangeError('--trace: the event trace is written by single-process runs only (drop --workers, or use --workers 1)');
  }
  const trace =
    options.trace === undefined
      ? undefined
      : new JsonLinesTraceFile(options.trace.file, {
          ...(options.trace.nodes === undefined ? {} : { nodes: options.trace.nodes }),
          ...(options.trace.fromMicros === undefined ? {} : { fromUs: options.trace.fromMicros }),
          ...(options.trace.toMicros === undefined ? {} : { toUs: options.trace.toMicros }),
        });

  const hooks = { metrics: collector, ...(options.inspect?.observer === undefined ? {} : { observer: options.inspect.observer }) };
  let sim: Simulation<unknown, unknown>;
  try {
    sim = new Simulation<unknown, unknown>(
      {
        seed,
        nodeCount: n,
        durationUs: scenario.duration,
        network: networkConfigOf(scenario),
        limits: {
          maxEvents: scenario.limits.maxEvents,
          maxPendingEvents: scenario.limits.maxPendingEvents,
          nodeQueueCapacity: scenario.limits.nodeQueueCapacity,
          ...(scenario.limits.maxSimTime === undefined ? {} : { maxSimTimeUs: scenario.limits.maxSimTime }),
        },
        ...(trace === undefined ? {} : { trace }),
        ...(shardSetup === undefined ? {} : { shard: shardSetup.shard }),
      },
      run.messageModel,
      (host) => {
        const node = run.createNode(host, hooks);
        options.inspect?.onNode?.(host.id, node);
        return node;
      },
    );
  } catch (e) {
    throw asScenarioError(e);
  }

  const honest = Array.from({ length: n }, (_, i) => i).filter((i) => !byzantineSet.has(i));
  honest.forEach((node, rank) => {
    if (sim.isLocal(node)) sim.addClientSource(node, clientSourceFor(node, rank, honest.length, phases, seed, scenario.duration, (tx) => run.clientRequest(tx, node)));
  });
  // Double spends: each honest node's picked transactions get a twin at the next honest node, at the same instant.
  const ds = run.doubleSpends;
  if (ds !== undefined && ds.fraction > 0 && honest.length >= 2) {
    honest.forEach((node, rank) => {
      const sourceRank = (rank + honest.length - 1) % honest.length;
      const source = honest[sourceRank]!;
      if (!sim.isLocal(node)) return;
      sim.addClientSource(
        node,
        twinSourceFor(source, sourceRank, honest.length, phases, seed, scenario.duration, ds.fraction, (tx, twin) => ds.twinRequest(tx, twin, node)),
      );
    });
  }
  for (const { atUs, fault } of faultPlan.faults) sim.scheduleFault(atUs, fault);
  return { protocol, sim, collector, stake, byzantine, byzantineSet, faultPlan, phases, windowEdges, trace, repro };
}

export function reproOf(scenario: Scenario, options: RunScenarioOptions): string {
  return options.repro ?? `avsim run ${scenario.name}.yaml --seed ${options.seed}`;
}

/** The parts of a run that are functions of (scenario, seed) alone: the same in every shard. */
export interface RunPlan {
  stake: Uint32Array;
  byzantine: readonly number[];
  byzantineSet: ReadonlySet<number>;
  faultPlan: ReturnType<typeof planFaults>;
  phases: ReturnType<typeof loadPhasesOf>;
  windowEdges: ReadonlyArray<{ t: Micros; start: boolean }>;
}

export function planRun(scenario: Scenario, seed: number): RunPlan {
  const stake = stakeUnitsOf(scenario);
  const placesRegions = latencyProfileOf(scenario).kind === 'region';
  const byzantine = assignByzantine(scenario.byzantine, stake, byzantineSelectionStream(seed, placesRegions));
  const faultPlan = planFaults(scenario, createStream(seed, RUN_OWNER, 'faults'));
  const phases = loadPhasesOf(scenario);
  // The liveness checker excuses fault windows: tell it when each starts and heals.
  const windowEdges = faultPlan.windows.flatMap((w) => [
    { t: w.startUs, start: true },
    { t: w.endUs, start: false },
  ]);
  windowEdges.sort((a, b) => a.t - b.t || Number(a.start) - Number(b.start));
  return { stake, byzantine, byzantineSet: new Set(byzantine), faultPlan, phases, windowEdges };
}

/** The run's metrics collector (with `ordered`, a shard's: its checker inputs go there). */
export function collectorFor(
  scenario: Scenario,
  protocol: AnyProtocol,
  byzantineSet: ReadonlySet<number>,
  faultPlan: ReturnType<typeof planFaults>,
  repro: string,
  ordered?: OrderedSink<unknown>,
): RunCollector {
  const collector = new RunCollector({
    safety: protocol.createSafetyCheck({ nodeCount: scenario.nodes.count, byzantine: byzantineSet, repro }),
    nodeCount: scenario.nodes.count,
    byzantine: byzantineSet,
    warmupUs: scenario.measurement.warmup,
    livenessBoundUs: scenario.measurement.livenessBound,
    throughputBucketUs: scenario.measurement.throughputBucket,
    repro,
    ...(ordered === undefined ? {} : { ordered }),
  });
  if (faultPlan.windows.length > 0) collector.expectRecoveryFrom(lastHealUs(faultPlan));
  return collector;
}

/** Fraction of the total stake held by the Byzantine nodes. */
export function byzantineStakeFraction(stake: Uint32Array, byzantine: ReadonlySet<number>): number {
  let byzStake = 0;
  let totalStake = 0;
  stake.forEach((u, i) => {
    totalStake += u;
    if (byzantine.has(i)) byzStake += u;
  });
  return totalStake === 0 ? 0 : byzStake / totalStake;
}

/** A wall-time limit on the real clock, counted from now (for the CLI and the sweep worker; never built inside the engine). */
export function realWallLimit(seconds: number): WallLimit {
  const start = performance.now();
  return { seconds, elapsedSeconds: () => (performance.now() - start) / 1000 };
}

/** The 'max-wall' outcome when the wall-time limit has passed (checked between windows), else undefined. */
export function wallLimitHit(limit: WallLimit | undefined, simUs: Micros, durationUs: Micros): RunOutcome | undefined {
  if (limit === undefined) return undefined;
  const elapsed = limit.elapsedSeconds();
  if (elapsed < limit.seconds) return undefined;
  return {
    kind: 'limit',
    limit: 'max-wall',
    detail: `stopped after ${elapsed.toFixed(1)} s of wall time (--max-wall ${limit.seconds} s) at simulated ${toSeconds(simUs).toFixed(3)} s of ${formatDuration(durationUs)}: a partial run, its figures cover 0 to ${toSeconds(simUs).toFixed(3)} s`,
  };
}

export function simulate(scenario: Scenario, options: RunScenarioOptions): FinishedRun {
  const seed = options.seed;
  const n = scenario.nodes.count;
  const heapBefore = heapUsedAfterGc();
  const wallStart = performance.now();
  const { sim, collector, stake, byzantine, byzantineSet, faultPlan, phases, windowEdges, trace, repro } = prepareRun(scenario, options);

  const step = progressStepUs(scenario.duration, options.maxWall !== undefined);
  let edge = 0;
  try {
    for (let t = 0; ; ) {
      // Stop at the next window edge too, so the liveness checker sees it at its time.
      const nextEdge = windowEdges[edge]?.t ?? Infinity;
      t = Math.min(t + step, nextEdge, scenario.duration);
      const status = sim.runUntil(t);
      while (edge < windowEdges.length && (windowEdges[edge]?.t ?? Infinity) <= t) {
        const e = windowEdges[edge++];
        if (e === undefined) continue;
        if (e.start) collector.liveness.faultStarted(e.t);
        else collector.liveness.faultHealed(e.t);
      }
      options.onProgress?.({
        simMicros: sim.timeUs,
        endMicros: scenario.duration,
        events: sim.eventCount,
        wallSeconds: (performance.now() - wallStart) / 1000,
      });
      if (status.kind !== 'running') break;
      const wall = wallLimitHit(options.maxWall, sim.timeUs, scenario.duration);
      if (wall !== undefined) {
        sim.end(wall, sim.timeUs);
        break;
      }
    }
  } finally {
    trace?.close();
  }
  const wallSeconds = (performance.now() - wallStart) / 1000;
  // Measured while the engine (and through it every node) is still referenced: sim is used below.
  const heapAfter = heapUsedAfterGc();
  const result = sim.result();
  return {
    scenario,
    seed,
    result,
    collector,
    byzantine,
    byzantineStakeFraction: byzantineStakeFraction(stake, byzantineSet),
    faultPlan,
    phases,
    wallSeconds,
    memoryBytesPerNode: Math.max(0, heapAfter - heapBefore) / n,
    repro,
    point: options.point,
  };
}
