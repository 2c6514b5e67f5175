/**
 * The scenario file format (YAML), as a zod 4 schema. It speaks of nodes,
 * time, load and faults — never of simulator internals — because the same
 * files are replayed against a real cluster. Numbers carry their unit in the
 * field name (`rateTps`, `upMbps`, `txBytes`); durations are strings with a
 * unit (`250ms`, `10m`) parsed to integer microseconds.
 *
 * Shape rules live here; rules that relate several fields live in rules.ts.
 * The JSON Schema for editors is exported from this file by json-schema.ts.
 */
import { z } from 'zod';
import { PROTOCOL_SECTIONS } from '../consensus/protocols.js';
import { gateSectionSchema } from '../gate/spec.js';
import { parseCheck } from '../metrics/checks.js';
import { MAX_NODES } from '../sim/event-order.js';
import { MAX_PENDING_LIMIT } from '../sim/simulation.js';
import { duration, int, num, positiveDuration } from './fields.js';
import { NetworkingSchema } from './networking.js';
import { REGION_PRESETS, REGION_PRESET_NAMES } from './presets.js';
import { crossFieldRules } from './rules.js';

/**
 * Limits on the size of what a file can ask for. The node count is the
 * engine's (node ids are 14 bits of the event key: src/sim/event-order.ts).
 */
export { MAX_NODES };
export const MAX_SEEDS = 10_000;
export const MAX_FAULTS = 1_000;
export const MAX_PHASES = 1_000;
export const MAX_CHECKS = 100;
export const MAX_SWEEP_VALUES = 1_000;
export const MAX_REGIONS = 64;

const NODE_SET_RULE = 'must be one of one, minority, majority, all, {fraction: 0..1}, {count: N} or {ids: [...]}';

/**
 * Which nodes a fault applies to. `minority` is floor((n-1)/2) nodes,
 * `majority` floor(n/2)+1; `fraction` and `count` pick nodes with the run's
 * seeded stream, so the same seed picks the same nodes.
 */
export const NodeSetSchema = z
  .union(
    [
      z.enum(['one', 'minority', 'majority', 'all']),
      z.strictObject({ fraction: num({ min: 0, max: 1, minExclusive: true }) }),
      z.strictObject({ count: int(1, MAX_NODES) }),
      z.strictObject({ ids: z.array(int(0, MAX_NODES - 1)).min(1, { error: 'must list at least one node id' }).max(MAX_NODES) }),
    ],
    { error: NODE_SET_RULE },
  )
  .meta({ description: NODE_SET_RULE });

const SeedsSchema = z
  .union(
    [
      int(1, MAX_SEEDS),
      z.array(int(0, 2 ** 32 - 1)).min(1, { error: 'must list at least one seed' }).max(MAX_SEEDS, { error: `must list at most ${MAX_SEEDS} seeds` }),
    ],
    { error: `must be a count of seeds (1..${MAX_SEEDS}) or a list of integer seeds` },
  )
  .transform((v) => (typeof v === 'number' ? Array.from({ length: v }, (_, i) => i + 1) : v))
  .meta({ description: 'a count N (seeds 1..N) or an explicit list of seeds; every sweep point runs once per seed' });

const StakeSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('equal') }),
  z.strictObject({ kind: z.literal('zipf'), exponent: num({ min: 0, max: 10, minExclusive: true }).default(1) }),
  z.strictObject({ kind: z.literal('explicit'), weights: z.array(int(1, 2 ** 32 - 1)).min(1).max(MAX_NODES) }),
]);

const NodesSchema = z.strictObject({
  count: int(1, MAX_NODES),
  stake: StakeSchema.prefault({ kind: 'equal' }),
  /** Region name -> relative weight of nodes placed there (needs network.latency.kind: regions). */
  regions: z.record(z.string().min(1), num({ min: 0, minExclusive: true })).optional(),
});

const TerminationConditionSchema = z.strictObject({ alphaConfidence: int(1), beta: int(1) });

const ParametersSchema = z.strictObject({
  k: int(1, 10_000).default(20),
  alphaPreference: int(1).default(15),
  alphaConfidence: int(1).default(15),
  beta: int(1).default(20),
  concurrentRepolls: int(1).default(4),
  optimalProcessing: int(1).default(10),
  maxOutstandingItems: int(1).default(256),
  maxItemProcessingTime: positiveDuration.prefault('30s'),
  /** Several (alphaConfidence, beta) pairs, alpha ascending, beta not increasing; replaces the single pair. */
  terminationConditions: z.array(TerminationConditionSchema).min(1).max(16).optional(),
});

/** `protocol:` names one protocol of the registry (src/consensus/protocols.ts); each protocol defines the rest of its section. */
const ProtocolSchema = z.discriminatedUnion('name', PROTOCOL_SECTIONS);

const JitterSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('none') }),
  /** Pareto-distributed latency whose mean is the matrix entry (as SimBlock and JABS do). */
  /** SimBlock's Pareto jitter: mean m ms from the table, shape 0.2·m, scale m − 5 ms (every entry must be > 5 ms). */
  z.strictObject({ kind: z.literal('pareto') }),
]);

const RegionLatencySchema = z
  .strictObject({
    kind: z.literal('regions'),
    preset: z.enum(REGION_PRESET_NAMES as [string, ...string[]]).optional(),
    regions: z.array(z.string().min(1)).min(1).max(MAX_REGIONS).optional(),
    /** One-way latency in ms, oneWayMs[from][to], square, one row per region. */
    oneWayMs: z.array(z.array(num({ min: 0, max: 60_000 })).max(MAX_REGIONS)).max(MAX_REGIONS).optional(),
    jitter: JitterSchema.prefault({ kind: 'pareto' }),
  })
  .superRefine((v, ctx) => {
    if (v.preset !== undefined && (v.regions !== undefined || v.oneWayMs !== undefined)) {
      ctx.addIssue({ code: 'custom', path: ['preset'], message: 'give either preset or regions + oneWayMs, not both' });
    } else if (v.preset === undefined && (v.regions === undefined || v.oneWayMs === undefined)) {
      ctx.addIssue({ code: 'custom', path: [v.regions === undefined ? 'regions' : 'oneWayMs'], message: 'needs preset, or both regions and oneWayMs' });
    }
    if (v.regions !== undefined) {
      if (new Set(v.regions).size !== v.regions.length) ctx.addIssue({ code: 'custom', path: ['regions'], message: 'region names must be unique' });
      if (v.oneWayMs !== undefined) {
        const n = v.regions.length;
        if (v.oneWayMs.length !== n) ctx.addIssue({ code: 'custom', path: ['oneWayMs'], message: `must have one row per region (${n}), got ${v.oneWayMs.length}` });
        v.oneWayMs.forEach((row, i) => {
          if (row.length !== n) ctx.addIssue({ code: 'custom', path: ['oneWayMs', i], message: `must have one entry per region (${n}), got ${row.length}` });
        });
      }
    }
  })
  .transform((v) => {
    const preset = v.preset === undefined ? undefined : REGION_PRESETS[v.preset as keyof typeof REGION_PRESETS];
    return {
      kind: 'regions' as const,
      regions: preset === undefined ? (v.regions ?? []) : [...preset.regions],
      oneWayMs: preset === undefined ? (v.oneWayMs ?? []) : preset.oneWayMs.map((r) => [...r]),
      jitter: v.jitter,
    };
  });

const LatencySchema = z.discriminatedUnion(
  'kind',
  [
    z.strictObject({ kind: z.literal('constant'), oneWay: duration }),
    z.strictObject({ kind: z.literal('uniform'), min: duration, max: duration }),
    z.strictObject({
      kind: z.literal('lognormal'),
      median: positiveDuration,
      sigma: num({ min: 0, max: 5, minExclusive: true }),
      /** Propagation floor: no message is faster (samples below are raised to it), as on a physical link. Needed by --workers > 1 (the lookahead). Absent: 1 µs. */
      min: positiveDuration.optional(),
    }),
    RegionLatencySchema,
  ],
);

const NetworkSchema = z.strictObject({
  latency: LatencySchema.prefault({ kind: 'constant', oneWay: '50ms' }),
  bandwidth: z
    .strictObject({ upMbps: num({ min: 0, max: 1e6, minExclusive: true }).default(1000), downMbps: num({ min: 0, max: 1e6, minExclusive: true }).default(1000) })
    .prefault({}),
  /** Probability that a message is dropped, 0..1. */
  lossRate: num({ min: 0, max: 1, maxExclusive: true }).default(0),
  /** Probability that a message is delivered twice, 0..1. */
  duplicationRate: num({ min: 0, max: 1, maxExclusive: true }).default(0),
  /** Bytes every message carries besides its payload (header, TLS framing). */
  messageOverheadBytes: int(0, 1_000_000).default(100),
});

/**
 * CPU costs on a node's single service queue (see src/consensus/engine/messages.ts
 * for the rationale of each default): every received message costs
 * handlePerMessage + handlePerKib per KiB; verifying a block costs
 * blockVerifyBase + per transaction blockVerifyPerTx (+ sigVerify when
 * signatures are re-verified); building costs buildPerTx per transaction and
 * one sigSign.
 */
const CpuSchema = z.strictObject({
  handlePerMessage: duration.prefault('20us'),
  handlePerKib: duration.prefault('1us'),
  blockVerifyBase: duration.prefault('200us'),
  blockVerifyPerTx: duration.prefault('10us'),
  /** One ML-DSA-65 signature verification (post-quantum). */
  sigVerify: duration.prefault('110us'),
  /** One ML-DSA-65 signature (the proposer signs each block). */
  sigSign: duration.prefault('430us'),
  buildPerTx: duration.prefault('2us'),
  /** Re-verify every transaction signature when verifying a block (AvalancheGo VMs do). */
  reverifyTxSignaturesInBlocks: z.boolean().default(true),
});

const rate = num({ min: 0, max: 1e7 });
const PhaseSchema = z.discriminatedUnion('kind', [
  /** Evenly spaced arrivals. */
  z.strictObject({ kind: z.literal('constant'), rateTps: rate, duration: positiveDuration }),
  /** Poisson arrivals (exponential inter-arrival times). */
  z.strictObject({ kind: z.literal('poisson'), rateTps: rate, duration: positiveDuration }),
  /** Rate moves linearly from fromTps to toTps; with steps, as a staircase of that many equal steps. */
  z.strictObject({
    kind: z.literal('ramp'),
    fromTps: rate,
    toTps: rate,
    duration: positiveDuration,
    steps: int(1, 10_000).optional(),
    arrivals: z.enum(['constant', 'poisson']).default('constant'),
  }),
]);

const WorkloadSchema = z.strictObject({
  /** Size of one transaction (ML-DSA-65: 3,309-byte signature + 1,952-byte public key + body). */
  txBytes: int(1, 10_000_000).default(5_511),
  phases: z.array(PhaseSchema).min(1, { error: 'must list at least one phase' }).max(MAX_PHASES),
  /** Cycle the phases until the end of the run (soak tests with a daily pattern). */
  repeat: z.boolean().default(false),
});

const BlocksSchema = z.strictObject({
  /** 350 transactions of 5.5 KB make a ~1.9 MB block, under AvalancheGo's 2 MiB message limit. */
  maxTxsPerBlock: int(1, 1_000_000).default(350),
  /** Also the proposer slot length: one stake-weighted proposer per slot. */
  minBlockDelay: duration.prefault('250ms'),
});

const RepeatSchema = z.strictObject({
  every: positiveDuration,
  /** How many times in all (the first included); absent = until the end of the run. */
  times: int(1, 1_000_000).optional(),
});

const faultBase = {
  at: duration,
  repeat: RepeatSchema.optional(),
};
const FaultSchema = z.discriminatedUnion('kind', [
  /** Crash the nodes; with `for`, restart them (empty mempool, state kept) after that long. */
  z.strictObject({ kind: z.literal('kill'), ...faultBase, for: positiveDuration.optional(), nodes: NodeSetSchema }),
  z.strictObject({ kind: z.literal('restart'), ...faultBase, nodes: NodeSetSchema }),
  /** Freeze the nodes (no processing, inbound messages queue up) for a while. */
  z.strictObject({ kind: z.literal('pause'), ...faultBase, for: positiveDuration, nodes: NodeSetSchema }),
  /** Cut `nodes` off from the rest; with `for`, heal after that long. */
  z.strictObject({ kind: z.literal('partition'), ...faultBase, for: positiveDuration.optional(), nodes: NodeSetSchema }),
  /** Heal every partition. */
  z.strictObject({ kind: z.literal('heal'), ...faultBase }),
  /** Drop this fraction of messages to and from `nodes`. */
  z.strictObject({ kind: z.literal('loss'), ...faultBase, for: positiveDuration.optional(), nodes: NodeSetSchema.default('all'), rate: num({ min: 0, max: 1 }) }),
  /** Add this much one-way delay to messages to and from `nodes`. */
  z.strictObject({ kind: z.literal('delay'), ...faultBase, for: positiveDuration.optional(), nodes: NodeSetSchema.default('all'), extra: positiveDuration }),
]);

const ByzantineSchema = z.strictObject({
  /** Strategy name from the Byzantine registry (src/byzantine). */
  strategy: z.string().regex(/^[a-z][a-z0-9-]*$/, { error: 'must be a strategy name in kebab-case, e.g. silent or equivocate' }),
  /** Fraction of stake held by Byzantine nodes, 0..1. Give exactly one of fraction, count, ids. */
  fraction: num({ min: 0, max: 1, maxExclusive: true }).optional(),
  count: int(0, MAX_NODES).optional(),
  ids: z.array(int(0, MAX_NODES - 1)).max(MAX_NODES).optional(),
  from: duration.prefault('0'),
  until: duration.optional(),
  /** Strategy-specific options. */
  options: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).default({}),
});

const CheckSchema = z.string().superRefine((expr, ctx) => {
  const parsed = parseCheck(expr);
  if (!parsed.ok) ctx.addIssue({ code: 'custom', message: `check "${expr}": ${parsed.error}` });
});

const SweepValueSchema = z.union([z.number(), z.string(), z.boolean()], { error: 'sweep values must be numbers, strings or booleans' });

const LimitsSchema = z.strictObject({
  maxEvents: int(1, Number.MAX_SAFE_INTEGER).default(2_000_000_000),
  /** Simulated-time limit; absent = duration. */
  maxSimTime: positiveDuration.optional(),
  maxPendingEvents: int(1, MAX_PENDING_LIMIT).default(MAX_PENDING_LIMIT),
  /** Messages a node's CPU queue holds before the run ends with a labelled failure. */
  nodeQueueCapacity: int(1, 100_000_000).default(1_000_000),
});

const MeasurementSchema = z.strictObject({
  /** Transactions submitted before this are left out of sustained TPS and latency. */
  warmup: duration.prefault('0'),
  /** Honest work undecided for longer than this at the end counts against liveness. */
  livenessBound: positiveDuration.prefault('30s'),
  /** Width of a throughput-over-time bucket. */
  throughputBucket: positiveDuration.prefault('1s'),
});

export const ScenarioShape = z.strictObject({
  name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,79}$/, { error: 'must be 1-80 characters of letters, digits, . _ - (used in file names)' }),
  description: z.string().max(10_000).default(''),
  seeds: SeedsSchema.prefault(1),
  duration: positiveDuration,
  nodes: NodesSchema,
  protocol: ProtocolSchema.prefault({ name: 'snowman' }),
  parameters: ParametersSchema.prefault({}),
  network: NetworkSchema.prefault({}),
  /** A node's request management: adaptive timeout and benchlist (src/scenario/networking.ts). */
  networking: NetworkingSchema.prefault({}),
  cpu: CpuSchema.prefault({}),
  workload: WorkloadSchema,
  blocks: BlocksSchema.prefault({}),
  faults: z.array(FaultSchema).max(MAX_FAULTS).default([]),
  byzantine: ByzantineSchema.optional(),
  checks: z.array(CheckSchema).max(MAX_CHECKS).default([]),
  /** Field path -> values; the run grid is their cross product, first axis outermost. */
  sweep: z.record(z.string(), z.array(SweepValueSchema).min(1, { error: 'must list at least one value' }).max(MAX_SWEEP_VALUES)).default({}),
  limits: LimitsSchema.prefault({}),
  measurement: MeasurementSchema.prefault({}),
  /** The threshold gate (`avsim check`): strategies x Byzantine fractions x seeds and each cell's expected outcome (src/gate/spec.ts). */
  gate: gateSectionSchema.optional(),
});

/** Cross-field rules run only once every field has a valid shape (else they would compare nonsense such as k = -2). */
export const ScenarioSchema = ScenarioShape.superRefine(crossFieldRules, { when: (payload) => payload.issues.length === 0 });

/** A validated scenario: every default filled in, every duration in integer microseconds. */
export type Scenario = z.output<typeof ScenarioShape>;
/** What a scenario file may contain (before defaults). */
export type ScenarioInput = z.input<typeof ScenarioShape>;
export type NodeSet = z.output<typeof NodeSetSchema>;
export type Fault = Scenario['faults'][number];
export type WorkloadPhase = Scenario['workload']['phases'][number];
export type Latency = Scenario['network']['latency'];
export type SnowmanParameters = Scenario['parameters'];
export type Byzantine = NonNullable<Scenario['byzantine']>;
