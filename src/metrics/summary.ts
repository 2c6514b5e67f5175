/**
 * The JSON summary of one run: the contract between the runner, `avsim run
 * --json`, sweeps, results files and reports. Field names are stable; add
 * fields, never rename them.
 *
 * Written once, as zod schemas; the TypeScript types are inferred from them
 * (z.infer), and the report validates every results file it reads against
 * the same schemas (parseRunSummary). Extra fields pass (the contract only
 * ever grows). Optional fields are exactOptional: absent, never `undefined`
 * (JSON has no undefined).
 */
import { z } from 'zod';
import { LIMIT_KINDS } from '../sim/types.js';

const finite = z.number().refine(Number.isFinite, { error: 'must be a finite number' });
const nonNeg = finite.refine((x) => x >= 0, { error: 'must be >= 0' });
const positive = finite.refine((x) => x > 0, { error: 'must be > 0' });
const fraction = finite.refine((x) => x >= 0 && x <= 1, { error: 'must be a fraction 0..1' });
const count = z.number().int().min(0);

/** A quantile, or null when there were no samples (never a 0 ms latency that was not measured). */
const quantile = nonNeg.nullable();

export const LatencyQuantilesMsSchema = z.object({
  p50: quantile,
  p95: quantile,
  p99: quantile,
  mean: quantile,
  max: quantile,
  /** Number of samples the quantiles were computed from; 0: "no samples" (the quantiles are null; older files hold zeros). */
  count,
});
export type LatencyQuantilesMs = z.infer<typeof LatencyQuantilesMsSchema>;
export type QuantileName = 'p50' | 'p95' | 'p99' | 'mean' | 'max';

/** What tables, plots and summaries show for a latency with no samples. */
export const NO_SAMPLES = 'no samples';

/** A quantile of a latency summary, or null when it holds no samples (count 0; older files stored zeros there). */
export function quantileOf(q: LatencyQuantilesMs, name: QuantileName): number | null {
  return q.count === 0 ? null : q[name];
}

export const CheckResultSchema = z.object({
  /** The check as written in the scenario, e.g. `latency.p95 <= 100ms`. */
  expr: z.string(),
  ok: z.boolean(),
  /** The measured value the check compared (in the check's unit), or null when the metric is missing. */
  value: finite.nullable(),
});
export type CheckResult = z.infer<typeof CheckResultSchema>;

/** How a run ended. A run that hits a limit ends with a labelled failure, never a hang. */
export const RunOutcomeSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('completed') }),
  z.object({ kind: z.literal('limit'), limit: z.enum(LIMIT_KINDS), detail: z.string() }),
  z.object({ kind: z.literal('error'), message: z.string() }),
]);
export type RunOutcome = z.infer<typeof RunOutcomeSchema>;

export const SafetySummarySchema = z.object({
  /** Conflicting acceptances among honest nodes (same height, different block; or conflicting transactions). */
  violations: count,
  /** First few violations, each with what reproduces it. */
  examples: z.array(z.object({ height: z.number().int(), nodes: z.array(z.number().int()), blocks: z.array(z.string()), timeMs: nonNeg })),
});
export type SafetySummary = z.infer<typeof SafetySummarySchema>;

export const LivenessSummarySchema = z.object({
  /** True when all honest work submitted before (end - bound) was accepted. */
  ok: z.boolean(),
  /** Honest transactions still undecided past the liveness bound at the end of the run. */
  undecided: count,
  /** Honest transactions that were accepted, but later than the bound allows. */
  lateAccepted: count,
  /** Bound used, in ms. */
  boundMs: nonNeg,
});
export type LivenessSummary = z.infer<typeof LivenessSummarySchema>;

/**
 * Accepted transactions per second in one time bucket, for throughput-over-time
 * plots. Each is a rate over the part of the run its bucket covers: the last
 * bucket ends at the run's end (src/runner/throughput.ts).
 */
export const ThroughputPointSchema = z.object({
  /** Start of the bucket. */
  tSeconds: nonNeg,
  tps: nonNeg,
  /** Transactions submitted by honest clients in this bucket, per second (the realised arrivals; absent in older results). */
  submittedTps: nonNeg.exactOptional(),
  /** Width of this bucket when it is not the scenario's measurement.throughputBucket (a last bucket cut by the run's end). */
  widthSeconds: positive.exactOptional(),
  /** Offered load in this bucket, transactions/s (optional; lets a ramp run plot TPS vs offered load). */
  offeredTps: nonNeg.exactOptional(),
});
export type ThroughputPoint = z.infer<typeof ThroughputPointSchema>;

/** Quantiles in ms of a real-run measurement. */
export const RealQuantilesMsSchema = z.object({ count, p50Ms: finite, p99Ms: finite, maxMs: finite, meanMs: finite });
export type RealQuantilesMs = z.infer<typeof RealQuantilesMsSchema>;

/**
 * The real side of a run (`avsim cluster run`). A real run is not
 * bit-reproducible: it records what happened, and is compared with the
 * simulated run by distribution (`avsim compare`).
 */
export const RealRunDetailsSchema = z.object({
  processes: count,
  nodesPerProcess: count,
  realSignatures: z.boolean(),
  /** Actual minus intended message arrival over every delivered message: how far the machine, not the model, set the latency. */
  emulationError: RealQuantilesMsSchema.extend({
    early: count,
    maxEarlyMs: finite,
    /** Left out: meant to arrive while the receiver was frozen (a pause fault). */
    frozen: count,
  }),
  /** Frames held back to keep a link FIFO, mean ms per message (a designed deviation from the simulator, which may reorder). */
  fifoHoldMeanMs: finite,
  /** `resubmitted`: sent again, same id, to another node (its node died, or not accepted in time); absent in runs before resubmission. */
  loadGenerator: z.object({ offered: count, submitted: count, rejected: count, unreachable: count, resubmitted: count.optional(), lagMs: RealQuantilesMsSchema }),
  /** Faults as planned (scenario offsets) and as realised on the run clock; `doneSeconds` when the action completed (a restarted node ready). */
  faults: z.array(
    z.object({ kind: z.string(), nodes: z.array(z.number().int()), plannedSeconds: finite, realisedSeconds: finite, doneSeconds: finite, outcome: z.string() }),
  ),
  /** Restarted nodes: the chain they reopened and whether what they accepted next continued it. */
  restarts: z.array(
    z.object({
      node: z.number().int(),
      incarnation: z.number().int(),
      restoredHeight: z.number().int(),
      restoredId: z.number().int(),
      nextHeight: z.number().int().nullable(),
      continued: z.boolean().nullable(),
    }),
  ),
  /**
   * Whole-machine CPU from time 0 to the end of the duration (all cores, from /proc/stat), 0..1; the part this run's
   * processes spent (nodes and harness) and the rest (other work on a shared machine); the load average at the end.
   */
  hostCpu: z.object({ cores: count, busyFraction: finite, runFraction: finite, otherFraction: finite, loadAverage1m: finite }),
  perNode: z.array(z.object({ node: z.number().int(), cpuUtilisation: finite, rssBytes: finite, messagesSent: count, incarnations: count })),
  transport: z.object({
    badFrames: z.record(z.string(), count),
    droppedNotConnected: count,
    droppedQueueFull: count,
    disconnects: count,
    codecErrors: count,
    refusedMessages: count,
  }),
  store: z.object({ engine: z.string(), writes: count, meanWriteMs: finite }),
  /** What the nodes spent, per message kind and per signature; and the scenario `cpu` section that would make the simulator spend the same. */
  calibration: z.object({
    perKind: z.record(z.string(), z.object({ received: count, meanHandleUs: finite })),
    meanHandleUsPerMessage: finite,
    /** Whole-process CPU per received message beyond busy work and signatures (steady state): what suggestedCpu charges. */
    processOverheadUsPerMessage: finite.nullable(),
    sigVerifyUs: finite.nullable(),
    sigSignUs: finite.nullable(),
    busyWorkPaidUs: finite,
    modelledChargedUs: finite,
    /** The run's own cpu section, and the one that would make the simulator spend what the real nodes spent. */
    scenarioCpu: z.record(z.string(), z.union([z.string(), z.boolean()])),
    suggestedCpu: z.record(z.string(), z.union([z.string(), z.boolean()])),
  }),
  environment: z.object({ node: z.string(), platform: z.string(), cpuModel: z.string(), cores: count }),
  /** With `--prometheus`: accepted blocks and transactions (summed over the nodes' chains) from PromQL and from the acceptance logs. */
  prometheus: z
    .object({
      blocks: z.object({ promql: finite.nullable(), logs: finite }),
      txs: z.object({ promql: finite.nullable(), logs: finite }),
      agree: z.boolean(),
      dataDir: z.string(),
    })
    .exactOptional(),
  /** With `--kernel-net`: one network namespace per node, partitions as nftables drop rules (src/cluster/harness/kernel-net.ts). */
  kernelNet: z
    .object({
      runId: z.string(),
      subnet: z.string(),
      namespaces: count,
      ruleChanges: count,
      droppedPackets: count,
      droppedBytes: count,
      shapedMbps: z.object({ up: finite, down: finite }).nullable(),
      removedLeftovers: z.array(z.string()),
    })
    .exactOptional(),
});
export type RealRunDetails = z.infer<typeof RealRunDetailsSchema>;

export const RunSummarySchema = z.object({
  scenario: z.string().min(1),
  seed: count,
  nodes: z.number().int().min(1),
  /** Sweep point this run belongs to: field path -> value (empty for a plain run). */
  point: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
  outcome: RunOutcomeSchema,
  /** Hex rolling hash over every processed event: same scenario + seed => same hash. */
  traceHash: z.string().regex(/^[0-9a-f]+$/, { error: 'must be a hex string' }),
  events: count,
  simSeconds: nonNeg,
  wallSeconds: nonNeg,
  eventsPerSecond: nonNeg,
  simToWallRatio: nonNeg,
  /** Offered load in transactions/s (mean over the run). */
  offeredTps: nonNeg,
  /** Sustained accepted transactions per second (after warm-up). */
  tps: nonNeg,
  acceptedTransactions: count,
  acceptedBlocks: count,
  /** Client-observed finality latency: submission to first acceptance by the node the client submitted to. */
  latencyMs: LatencyQuantilesMsSchema,
  /**
   * Optional client-observed latency CDF (ascending ms, fraction of samples <= ms),
   * at most a few hundred points; the report's CDF plot falls back to the quantiles without it.
   */
  latencyCdf: z.array(z.object({ ms: nonNeg, fraction })).max(10_000).exactOptional(),
  /** Per-node finality latency: block issue to acceptance, over all honest nodes. */
  nodeLatencyMs: LatencyQuantilesMsSchema,
  pollSuccessRate: fraction,
  pollsPerDecision: nonNeg,
  messagesPerNodePerSecond: nonNeg,
  bytesPerNodePerSecond: nonNeg,
  /** Mean CPU utilisation over nodes, 0..1. */
  cpuUtilisation: fraction,
  /** Highest single-node CPU utilisation, 0..1. */
  cpuUtilisationMax: fraction,
  /** Mean CPU queueing delay per processed message, ms. */
  cpuQueueDelayMs: nonNeg,
  /** Heap the run retains per virtual node: used heap after a forced full GC at the end of the run (engine and nodes still alive) minus the same before it was built. */
  memoryBytesPerNode: nonNeg,
  /** Time from the last fault healing to the first accepted block after it, ms (null when there were no faults). */
  recoveryMs: nonNeg.nullable(),
  /**
   * Each restarted honest node (one entry per bootstrap; absent when none):
   * when it began bootstrapping, and ms from then until it was bootstrapped,
   * first finished a successful poll and first accepted a block through
   * consensus (null: not within the run). Ordered by restart time, then node.
   */
  nodeRecovery: z
    .array(
      z.object({
        node: count,
        restartedAtSeconds: nonNeg,
        bootstrapMs: nonNeg,
        firstSuccessfulPollMs: nonNeg.nullable(),
        firstAcceptMs: nonNeg.nullable(),
      }),
    )
    .exactOptional(),
  throughput: z.array(ThroughputPointSchema),
  /** The scenario's measurement.warmup, s: what sustained TPS and latency leave out (shaded on throughput plots; absent in older results). */
  warmupSeconds: nonNeg.exactOptional(),
  /** Fault windows, for shading throughput-over-time plots. */
  faultWindows: z.array(z.object({ kind: z.string(), startSeconds: nonNeg, endSeconds: nonNeg })),
  byzantine: z.object({ strategy: z.string(), fraction, nodes: count }).nullable(),
  safety: SafetySummarySchema,
  liveness: LivenessSummarySchema,
  checks: z.array(CheckResultSchema),
  /** The one command that re-runs exactly this case. */
  repro: z.string().min(1),
  /** Client-submitted transactions rejected on their node (double spends that lost); 0 for protocols without conflicts. */
  rejectedTransactions: count.exactOptional(),
  /**
   * What only some protocols measure (src/consensus/protocol.ts RunMetrics.count /
   * observe), by name, honest nodes only: counters summed over nodes, and
   * distributions as quantiles in the unit the name carries. Keys sorted.
   */
  protocolMetrics: z
    .object({ counters: z.record(z.string(), finite), distributions: z.record(z.string(), LatencyQuantilesMsSchema) })
    .exactOptional(),
  /** The consensus protocol the run ran (`protocol.name` of its scenario after --set); absent in files written before it was recorded. */
  protocol: z.string().min(1).exactOptional(),
  /** Where the figures come from: the simulator (absent or 'sim') or real node processes (`avsim cluster run`). */
  mode: z.enum(['sim', 'real']).exactOptional(),
  /** What only a real run has: emulation error, realised faults, host load, calibration (src/cluster). */
  real: RealRunDetailsSchema.exactOptional(),
});
export type RunSummary = z.infer<typeof RunSummarySchema>;

/** Validates a parsed results file against the contract; the error names the first bad field. Extra fields are kept. */
export function parseRunSummary(data: unknown): { ok: true; summary: RunSummary } | { ok: false; error: string } {
  const r = RunSummarySchema.safeParse(data);
  if (r.success) return { ok: true, summary: data as RunSummary };
  const first = r.error.issues[0];
  return { ok: false, error: first === undefined ? 'invalid' : `${first.path.join('.') || '(top level)'}: ${first.message}` };
}
