/**
 * The metric catalogue of a real avsim validator: every name, its type, its
 * help text and its labels, in one place, so the node (validator-metrics.ts),
 * the dashboard (deploy/grafana) and the end-of-run cross-check agree.
 *
 * Names follow AvalancheGo's snow/consensus/snowman/metrics.go and
 * snow/engine/snowman/metrics.go (`blks_accepted_count`, `blks_processing`,
 * `polls_successful`, `last_accepted_height`, `consensus_latencies`,
 * `blks_built`, `blks_issued{source}`) and network/peer/metrics.go
 * (`msgs{io,op}`, `msgs_bytes{io,op}`), prefixed `avsim_`. Where AvalancheGo
 * records nanoseconds in a gauge or an averager, avsim follows the Prometheus
 * conventions instead: seconds, histograms, `_seconds` in the name.
 *
 * Every series also carries the constant labels of CONSTANT_LABELS (set as
 * the registry's default labels), so one Prometheus can hold many runs.
 */

export const PREFIX = 'avsim_';

/** Labels every series of a validator carries. */
export const CONSTANT_LABELS = ['node_id', 'run_id', 'scenario'] as const;
export type ConstantLabel = (typeof CONSTANT_LABELS)[number];

/**
 * Consensus-latency buckets in seconds: roughly ×1.5–1.7 apart from 10 ms to
 * 30 s, so p50/p95/p99 interpolate within about 25% anywhere in that range
 * (AvalancheGo's 1 s linear buckets cannot resolve a 100 ms network).
 */
export const LATENCY_BUCKETS_SECONDS: readonly number[] = [
  0.01, 0.015, 0.025, 0.04, 0.06, 0.1, 0.15, 0.25, 0.4, 0.6, 1, 1.5, 2.5, 4, 6, 10, 15, 20, 30,
];

/**
 * Emulated-latency error buckets (actual − intended delivery delay) in
 * seconds: 100 µs to 1 s. A negative error (delivered early, impossible
 * with timers) would fall in the first bucket.
 */
export const EMULATION_ERROR_BUCKETS_SECONDS: readonly number[] = [
  0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1,
];

export interface MetricSpec {
  readonly name: string;
  readonly type: 'counter' | 'gauge' | 'histogram';
  readonly help: string;
  /** Labels besides the constant ones. */
  readonly labels: readonly string[];
}

const spec = (name: string, type: MetricSpec['type'], help: string, labels: readonly string[] = []): MetricSpec => ({
  name: PREFIX + name,
  type,
  help,
  labels,
});

/** The validator's own metrics (the process default metrics come on top: process_*, nodejs_*). */
export const METRICS = {
  blksAccepted: spec('blks_accepted_count', 'counter', 'blocks accepted by this validator'),
  blksAcceptedBytes: spec('blks_accepted_container_size_sum', 'counter', 'cumulative size in bytes of the blocks accepted'),
  txsAccepted: spec('txs_accepted_count', 'counter', 'transactions in the blocks accepted by this validator'),
  blksRejected: spec('blks_rejected_count', 'counter', 'blocks rejected by this validator'),
  blksProcessing: spec('blks_processing', 'gauge', 'blocks issued into consensus and not yet decided'),
  blksBuilt: spec('blks_built', 'counter', 'blocks this validator built as proposer'),
  blksIssued: spec('blks_issued', 'counter', 'blocks issued into consensus, by where they came from (built here, or received)', ['source']),
  pollsSuccessful: spec('polls_successful', 'counter', 'polls in which some processing block reached alphaPreference'),
  pollsFailed: spec('polls_failed', 'counter', 'polls that ended without a block reaching alphaPreference'),
  lastAcceptedHeight: spec('last_accepted_height', 'gauge', 'height of the last accepted block'),
  consensusLatency: spec('consensus_latencies_seconds', 'histogram', 'time from the issuance of a block into consensus to its acceptance'),
  txFinality: spec('tx_finality_seconds', 'histogram', 'client-observed finality: time from the submission of a transaction to this validator to its acceptance here'),
  txsSubmitted: spec('txs_submitted', 'counter', 'transactions clients submitted to this validator'),
  msgs: spec('msgs', 'counter', 'consensus messages sent and received, by direction (io) and message kind (op)', ['io', 'op']),
  msgsBytes: spec('msgs_bytes', 'counter', 'bytes of consensus messages sent and received, by direction (io) and message kind (op)', ['io', 'op']),
  framesDropped: spec('frames_dropped', 'counter', 'frames the transport dropped, by reason', ['reason']),
  engineDrops: spec('engine_drops', 'counter', 'work the consensus engine refused or gave up, by reason', ['reason']),
  emulationError: spec('latency_emulation_error_seconds', 'histogram', 'actual minus intended delivery delay of an emulated-latency message'),
  cpuCharged: spec('cpu_charged_seconds', 'counter', 'CPU time charged to this validator by its host (real work measured, or emulated costs)'),
  peers: spec('peers_connected', 'gauge', 'peers this validator holds a live connection to'),
} as const satisfies Record<string, MetricSpec>;

export type MetricKey = keyof typeof METRICS;

/** Harness-side metrics (`avsim cluster run` exposes them as its own scrape target). */
export const HARNESS_METRICS = {
  faultActive: spec('fault_active', 'gauge', '1 while a fault of the scenario is in force (one series per fault occurrence)', ['kind', 'fault', 'nodes']),
  txsOffered: spec('load_txs_offered', 'counter', 'transactions the load generator submitted'),
} as const satisfies Record<string, MetricSpec>;
