/**
 * The runner: one scenario + one seed -> one simulated run -> one RunSummary.
 * It builds the engine (src/sim), one SnowmanNode per validator
 * (src/consensus), Byzantine behaviours (src/byzantine), the workload and
 * fault timeline, runs, and condenses what the collector saw.
 */
import { performance } from 'node:perf_hooks';
import { SnowmanNode, type ClientTx } from '../consensus/engine/snowman-node.js';
import type { Message } from '../consensus/engine/messages.js';
import type { Behaviour } from '../consensus/engine/behaviour.js';
import type { NodeObserver } from '../consensus/engine/observer.js';
import type { RunSummary } from '../metrics/summary.js';
import type { Scenario } from '../scenario/schema.js';
import type { SweepPoint } from '../scenario/sweep.js';
import { Simulation } from '../sim/simulation.js';
import { JsonLinesTraceFile } from '../sim/trace-file.js';
import { createStream, RUN_OWNER } from '../sim/rng.js';
import type { Micros } from '../sim/time.js';
import type { RunResult, ShardConfig } from '../sim/types.js';
import { strategyOrThrow, optionProblem } from '../byzantine/registry.js';
import { WindowedBehaviour } from '../byzantine/windowed.js';
import { assignByzantine } from './byzantine-assignment.js';
import { RunCollector, type OrderedSink } from './collector.js';
import { lastHealUs, planFaults } from './fault-timeline.js';
import { networkConfigOf } from './network-config.js';
import { sharedNodeConfigOf } from './node-config.js';
import { stakeUnitsOf } from './stake-of.js';
import { summarise } from './summarise.js';
import { TeeObserver } from './tee-observer.js';
import { clientSourceFor, loadPhasesOf } from './workload.js';

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

export interface RunScenarioOptions {
  seed: number;
  /** The sweep point this run belongs to (recorded in RunSummary.point). */
  point?: SweepPoint;
  onProgress?: (progress: RunProgress) => void;
  trace?: TraceOptions;
  /** The one command that re-runs exactly this case (RunSummary.repro). */
  repro?: string;
  /** For tests and tools that look inside a run: every node as built, and a second observer of every node report. */
  inspect?: {
    onNode?: (id: number, node: SnowmanNode) => void;
    observer?: NodeObserver;
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

/** How often (simulated) the run reports progress and the engine yields to the caller. */
function progressStepUs(durationUs: Micros): Micros {
  return Math.max(100_000, Math.min(5_000_000, Math.floor(durationUs / 200)));
}

/** A scenario built into an engine, ready to run (the whole run, or one shard of it). */
export interface PreparedRun {
  sim: Simulation<Message, ClientTx>;
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
  ordered: OrderedSink;
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
  const { stake, byzantine, byzantineSet, faultPlan, phases, windowEdges } = planRun(scenario, seed);
  const behaviours = byzantineBehaviours(scenario, seed, byzantine);
  const shared = sharedNodeConfigOf(scenario, seed, stake);
  const collector = collectorFor(scenario, byzantineSet, faultPlan, repro, shardSetup?.ordered);

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

  const extra = options.inspect?.observer;
  const observer: NodeObserver = extra === undefined ? collector : new TeeObserver(collector, extra);
  const model = shared.messageModel;
  const sim = new Simulation<Message, ClientTx>(
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
    {
      sizeBytes: (m) => model.sizeBytes(m),
      cpuCost: (m) => model.cpuCostUs(m),
      typeTag: (m) => model.typeTag(m),
      describe: (m) => describeMessage(m),
    },
    (host) => {
      const behaviour = behaviours.get(host.id);
      const node = new SnowmanNode(host, { ...shared, observer, ...(behaviour === undefined ? {} : { behaviour }) });
      options.inspect?.onNode?.(host.id, node);
      return node;
    },
  );

  const honest = Array.from({ length: n }, (_, i) => i).filter((i) => !byzantineSet.has(i));
  honest.forEach((node, rank) => {
    if (sim.isLocal(node)) sim.addClientSource(node, clientSourceFor(node, rank, honest.length, phases, seed, scenario.duration));
  });
  for (const { atUs, fault } of faultPlan.faults) sim.scheduleFault(atUs, fault);
  return { sim, collector, stake, byzantine, byzantineSet, faultPlan, phases, windowEdges, trace, repro };
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
  const byzantine = assignByzantine(scenario.byzantine, stake, createStream(seed, RUN_OWNER, 'placement'));
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
  byzantineSet: ReadonlySet<number>,
  faultPlan: ReturnType<typeof planFaults>,
  repro: string,
  ordered?: OrderedSink,
): RunCollector {
  const collector = new RunCollector({
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

export function simulate(scenario: Scenario, options: RunScenarioOptions): FinishedRun {
  const seed = options.seed;
  const n = scenario.nodes.count;
  const heapBefore = process.memoryUsage().heapUsed;
  const wallStart = performance.now();
  const { sim, collector, stake, byzantine, byzantineSet, faultPlan, phases, windowEdges, trace, repro } = prepareRun(scenario, options);

  const step = progressStepUs(scenario.duration);
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
    }
  } finally {
    trace?.close();
  }
  const result = sim.result();
  const wallSeconds = (performance.now() - wallStart) / 1000;
  const heapAfter = process.memoryUsage().heapUsed;
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

function byzantineBehaviours(scenario: Scenario, seed: number, byzantine: readonly number[]): Map<number, Behaviour> {
  const out = new Map<number, Behaviour>();
  const b = scenario.byzantine;
  if (b === undefined || byzantine.length === 0) return out;
  const def = strategyOrThrow(b.strategy);
  const problem = optionProblem(def, b.options);
  if (problem !== undefined) throw new RangeError(problem);
  for (const node of byzantine) {
    const inner = def.create({
      node,
      nodeCount: scenario.nodes.count,
      byzantine,
      rng: createStream(seed, node, 'byzantine'),
      options: b.options,
    });
    out.set(node, new WindowedBehaviour(inner, b.from, b.until ?? Infinity));
  }
  return out;
}

function describeMessage(m: Message): Record<string, unknown> {
  const out: Record<string, unknown> = { kind: m.kind };
  for (const [k, v] of Object.entries(m)) {
    if (k === 'block' && v !== null && typeof v === 'object') {
      const b = v as { id: number; height: number; txs: readonly number[] };
      out.block = { id: b.id, height: b.height, txs: b.txs.length };
    } else if (k === 'txs' && Array.isArray(v)) {
      out.txs = v.length;
    } else if (k !== 'kind') {
      out[k] = v;
    }
  }
  return out;
}
