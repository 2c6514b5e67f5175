/**
 * The JSON summary of one run: the contract between the runner, `avsim run
 * --json`, sweeps, results files and reports. Field names are stable; add
 * fields, never rename them.
 */
import type { LimitKind } from '../sim/types.js';

export interface LatencyQuantilesMs {
  p50: number;
  p95: number;
  p99: number;
  mean: number;
  max: number;
  /** Number of samples the quantiles were computed from. */
  count: number;
}

export interface CheckResult {
  /** The check as written in the scenario, e.g. `latency.p95 <= 100ms`. */
  expr: string;
  ok: boolean;
  /** The measured value the check compared (in the check's unit), or null when the metric is missing. */
  value: number | null;
}

/** How a run ended. A run that hits a limit ends with a labelled failure, never a hang. */
export type RunOutcome =
  | { kind: 'completed' }
  | { kind: 'limit'; limit: LimitKind; detail: string }
  | { kind: 'error'; message: string };

export interface SafetySummary {
  /** Conflicting acceptances among honest nodes (same height, different block; or conflicting transactions). */
  violations: number;
  /** First few violations, each with what reproduces it. */
  examples: Array<{ height: number; nodes: number[]; blocks: string[]; timeMs: number }>;
}

export interface LivenessSummary {
  /** True when all honest work submitted before (end - bound) was accepted. */
  ok: boolean;
  /** Honest transactions still undecided past the liveness bound at the end of the run. */
  undecided: number;
  /** Honest transactions that were accepted, but later than the bound allows. */
  lateAccepted: number;
  /** Bound used, in ms. */
  boundMs: number;
}

/** Accepted transactions per second in one time bucket, for throughput-over-time plots. */
export interface ThroughputPoint {
  tSeconds: number;
  tps: number;
  /** Offered load in this bucket, transactions/s (optional; lets a ramp run plot TPS vs offered load). */
  offeredTps?: number;
}

export interface RunSummary {
  scenario: string;
  seed: number;
  nodes: number;
  /** Sweep point this run belongs to: field path -> value (empty for a plain run). */
  point: Record<string, string | number | boolean>;
  outcome: RunOutcome;
  /** Hex rolling hash over every processed event: same scenario + seed => same hash. */
  traceHash: string;
  events: number;
  simSeconds: number;
  wallSeconds: number;
  eventsPerSecond: number;
  simToWallRatio: number;
  /** Offered load in transactions/s (mean over the run). */
  offeredTps: number;
  /** Sustained accepted transactions per second (after warm-up). */
  tps: number;
  acceptedTransactions: number;
  acceptedBlocks: number;
  /** Client-observed finality latency: submission to first acceptance by the node the client submitted to. */
  latencyMs: LatencyQuantilesMs;
  /**
   * Optional client-observed latency CDF (ascending ms, fraction of samples <= ms),
   * at most a few hundred points; the report's CDF plot falls back to the quantiles without it.
   */
  latencyCdf?: Array<{ ms: number; fraction: number }>;
  /** Per-node finality latency: block issue to acceptance, over all honest nodes. */
  nodeLatencyMs: LatencyQuantilesMs;
  pollSuccessRate: number;
  pollsPerDecision: number;
  messagesPerNodePerSecond: number;
  bytesPerNodePerSecond: number;
  /** Mean CPU utilisation over nodes, 0..1. */
  cpuUtilisation: number;
  /** Highest single-node CPU utilisation, 0..1. */
  cpuUtilisationMax: number;
  /** Mean CPU queueing delay per processed message, ms. */
  cpuQueueDelayMs: number;
  memoryBytesPerNode: number;
  /** Time from the last fault healing to the first accepted block after it, ms (null when there were no faults). */
  recoveryMs: number | null;
  throughput: ThroughputPoint[];
  /** Fault windows, for shading throughput-over-time plots. */
  faultWindows: Array<{ kind: string; startSeconds: number; endSeconds: number }>;
  byzantine: { strategy: string; fraction: number; nodes: number } | null;
  safety: SafetySummary;
  liveness: LivenessSummary;
  checks: CheckResult[];
  /** The one command that re-runs exactly this case. */
  repro: string;
  /** Client-submitted transactions rejected on their node (double spends that lost); 0 for protocols without conflicts. */
  rejectedTransactions?: number;
  /**
   * What only some protocols measure (src/consensus/protocol.ts RunMetrics.count /
   * observe), by name, honest nodes only: counters summed over nodes, and
   * distributions as quantiles in the unit the name carries. Keys sorted.
   */
  protocolMetrics?: {
    counters: Record<string, number>;
    distributions: Record<string, LatencyQuantilesMs>;
  };
  /** Where the figures come from: the simulator (absent or 'sim') or real node processes (`avsim cluster run`). */
  mode?: 'sim' | 'real';
  /** What only a real run has: emulation error, realised faults, host load, calibration (src/cluster). */
  real?: RealRunDetails;
}

/** Quantiles in ms of a real-run measurement. */
export interface RealQuantilesMs {
  count: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  meanMs: number;
}

/**
 * The real side of a run (`avsim cluster run`). A real run is not
 * bit-reproducible: it records what happened, and is compared with the
 * simulated run by distribution (`avsim compare`).
 */
export interface RealRunDetails {
  processes: number;
  nodesPerProcess: number;
  realSignatures: boolean;
  /** Actual minus intended message arrival over every delivered message: how far the machine, not the model, set the latency. */
  emulationError: RealQuantilesMs & { early: number; maxEarlyMs: number; /** Left out: meant to arrive while the receiver was frozen (a pause fault). */ frozen: number };
  /** Frames held back to keep a link FIFO, mean ms per message (a designed deviation from the simulator, which may reorder). */
  fifoHoldMeanMs: number;
  loadGenerator: { offered: number; submitted: number; rejected: number; unreachable: number; lagMs: RealQuantilesMs };
  /** Faults as planned (scenario offsets) and as realised on the run clock; `doneSeconds` when the action completed (a restarted node ready). */
  faults: Array<{ kind: string; nodes: number[]; plannedSeconds: number; realisedSeconds: number; doneSeconds: number; outcome: string }>;
  /** Restarted nodes: the chain they reopened and whether what they accepted next continued it. */
  restarts: Array<{ node: number; incarnation: number; restoredHeight: number; restoredId: number; nextHeight: number | null; continued: boolean | null }>;
  /**
   * Whole-machine CPU from time 0 to the end of the duration (all cores, from /proc/stat), 0..1; the part this run's
   * processes spent (nodes and harness) and the rest (other work on a shared machine); the load average at the end.
   */
  hostCpu: { cores: number; busyFraction: number; runFraction: number; otherFraction: number; loadAverage1m: number };
  perNode: Array<{ node: number; cpuUtilisation: number; rssBytes: number; messagesSent: number; incarnations: number }>;
  transport: { badFrames: Record<string, number>; droppedNotConnected: number; droppedQueueFull: number; disconnects: number; codecErrors: number; refusedMessages: number };
  store: { engine: string; writes: number; meanWriteMs: number };
  /** What the nodes spent, per message kind and per signature; and the scenario `cpu` section that would make the simulator spend the same. */
  calibration: {
    perKind: Record<string, { received: number; meanHandleUs: number }>;
    meanHandleUsPerMessage: number;
    /** Whole-process CPU per received message beyond busy work and signatures (steady state): what suggestedCpu charges. */
    processOverheadUsPerMessage: number | null;
    sigVerifyUs: number | null;
    sigSignUs: number | null;
    busyWorkPaidUs: number;
    modelledChargedUs: number;
    /** The run's own cpu section, and the one that would make the simulator spend what the real nodes spent. */
    scenarioCpu: Record<string, string | boolean>;
    suggestedCpu: Record<string, string | boolean>;
  };
  environment: { node: string; platform: string; cpuModel: string; cores: number };
  /** With `--prometheus`: accepted blocks and transactions (summed over the nodes' chains) from PromQL and from the acceptance logs. */
  prometheus?: { blocks: { promql: number | null; logs: number }; txs: { promql: number | null; logs: number }; agree: boolean; dataDir: string };
}
