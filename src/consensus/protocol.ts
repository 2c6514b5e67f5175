/**
 * The protocol seam: everything the rest of avsim needs to know about one
 * consensus protocol, bundled in one adapter and chosen by the scenario's
 * `protocol.name` from the registry (protocols.ts), the way Byzantine
 * strategies are chosen by `byzantine.strategy`.
 *
 * The simulator runner, the sharded runner, the real node daemon and the
 * summary go through this interface only: they never name a protocol's
 * message, node or block type. Adding a protocol is one folder under
 * src/consensus (its state machines, its node engine and its adapter) plus
 * one line in protocols.ts.
 *
 * What an adapter provides:
 * - the scenario's `protocol:` section (a zod object tagged by `name`);
 * - per run (`prepare`): the node factory (Byzantine behaviours included),
 *   the message model (wire sizes, receive CPU costs, type tags, the trace's
 *   description of a message) and the client request for a transaction id;
 * - the wire codec (versioned; the real transport's bytes and the shards'
 *   exchange);
 * - its safety checker, and the encoding of that checker's inputs for the
 *   ordered log of a sharded run (the checker depends on input order, so a
 *   sharded run merges the shards' inputs back into serial order first).
 *
 * Metrics that every protocol shares (transactions submitted and accepted,
 * polls, decided units for height and per-node latency) flow through
 * RunMetrics, which the run's collector implements.
 */
import type { z } from 'zod';
import type { SafetySummary } from '../metrics/summary.js';
import type { Scenario } from '../scenario/schema.js';
import type { Host, HostedNode, Micros, NodeId } from './host.js';
import type { TxId } from './snowman/block.js';
import type { ByteReader, ByteWriter } from './wire-bytes.js';
import type { WireBatchCodec, WireCodec } from './wire.js';

/**
 * What the simulation engine needs of a message type: pure functions of the
 * message. (The same shape as src/sim's MessageModel, declared here so that
 * src/consensus never imports src/sim.)
 */
export interface ProtocolMessageModel<M> {
  /** Bytes on the wire (drives bandwidth). */
  sizeBytes(m: M): number;
  /** Receiver CPU time to take the message in, integer µs. */
  cpuCost(m: M): Micros;
  /** Small integer naming the message type; folded into the trace hash (stable). */
  typeTag(m: M): number;
  /** The message as the event trace shows it (ids and counts, never whole payloads). */
  describe(m: M): Record<string, unknown>;
}

/**
 * What every protocol's nodes report to the run's metrics; the collector
 * implements it and counts honest nodes only. `I` is the protocol's safety
 * checker input.
 */
export interface RunMetrics<I> {
  /** A client submitted `tx` to `node`. */
  txSubmitted(tx: TxId, node: NodeId, time: Micros): void;
  /** `tx` was accepted on the node it was submitted to (client-observed finality). */
  txAccepted(tx: TxId, node: NodeId, time: Micros): void;
  // The three optional members below are for protocols with conflicts or metrics of their own;
  // a consumer that only serves Snowman may leave them out.
  /**
   * `tx` was rejected on the node it was submitted to (a double spend that
   * lost). It is decided: the liveness checker stops waiting for it; it is
   * not counted in TPS or latency.
   */
  txRejected?(tx: TxId, node: NodeId, time: Micros): void;
  /** One of `node`'s polls finished; successful when it moved the preferred instance. */
  pollFinished(node: NodeId, successful: boolean, time: Micros): void;
  /** A unit of consensus (block, vertex) built at `builtAt` was accepted on `node` at `height`. */
  unitAccepted(node: NodeId, height: number, builtAt: Micros, time: Micros): void;
  /** An input of the protocol's safety checker, in event order. */
  check(input: I, node: NodeId, time: Micros): void;
  /** Adds `delta` to the protocol's counter `name` (summed over honest nodes; RunSummary.protocolMetrics.counters). */
  count?(name: string, delta: number, node: NodeId): void;
  /**
   * One sample of the protocol's distribution `name`, in the unit its name
   * carries (e.g. `txNodeFinalityMs`, `conflictSetSize`); summarised as
   * quantiles in RunSummary.protocolMetrics.distributions (honest nodes only).
   */
  observe?(name: string, value: number, node: NodeId): void;
  /**
   * `node` began bootstrapping at `startedAt` (a restart, or a start from a
   * stored chain) and finished at `time`: RunSummary.nodeRecovery, with the
   * node's first successful poll and first acceptance after it.
   */
  nodeBootstrapped?(node: NodeId, startedAt: Micros, time: Micros): void;
}

/** The safety checker of a protocol: fed in serial event order, summarised at the end. */
export interface SafetyCheck<I> {
  check(input: I, node: NodeId, time: Micros): void;
  summary(): SafetySummary;
}

export interface SafetyCheckOptions {
  readonly nodeCount: number;
  readonly byzantine: ReadonlySet<NodeId>;
  /** The one command that re-runs the case (violations carry it). */
  readonly repro: string;
}

/**
 * Checker inputs as bytes, for the ordered log of a sharded run. Encoders
 * and decoders may keep state (a block's transactions sent once), so a log
 * is decoded in the order each shard wrote it.
 */
export interface CheckRecordCodec<I> {
  encoder(): { write(w: ByteWriter, input: I): void };
  /** Throws on malformed input: both ends are this process's own code. */
  decoder(): { read(r: ByteReader): I };
}

/** What a protocol is given to build one run: the scenario and what the runner drew for it. */
export interface ProtocolRunInput {
  readonly scenario: Scenario;
  readonly seed: number;
  /** Stake units per node. */
  readonly stake: Uint32Array;
  /** The Byzantine nodes, sorted (their behaviours come from the scenario's `byzantine` section). */
  readonly byzantine: readonly NodeId[];
  /** Node `node`'s own seeded stream for its Byzantine strategy (never its consensus stream). */
  byzantineStream(node: NodeId): SeededStream;
}

/** A seeded random stream (src/sim/rng.ts RandomStream, redeclared to keep the boundary clean). */
export interface SeededStream {
  /** Uniform double in [0, 1). */
  next(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
}

/** Per-node hooks the runner passes to the node factory. */
export interface NodeHooks<I> {
  readonly metrics: RunMetrics<I>;
  /** A second observer of the node, in the protocol's own observer type (tests and tools that look inside a run). */
  readonly observer?: unknown;
}

/** One run of a protocol, built from a scenario. */
export interface ProtocolRun<M, C, I> {
  readonly messageModel: ProtocolMessageModel<M>;
  /** The node of `host.id` (honest, or Byzantine with the scenario's strategy). */
  createNode(host: Host<M>, hooks: NodeHooks<I>): HostedNode<M, C>;
  /** What a client submits to `node` for transaction `tx` (ids are run-unique, see txIdOf). */
  clientRequest(tx: TxId, node: NodeId): C;
  /**
   * Double spends (protocols whose transactions have inputs): a `fraction`
   * of the transactions clients submit get a conflicting twin, submitted at
   * the same instant to another honest node. The runner picks which and where
   * (runner/workload.ts) and asks for the twin's request here; `twin` is a
   * run-unique id (twinTxIdOf).
   */
  readonly doubleSpends?: {
    readonly fraction: number;
    twinRequest(tx: TxId, twin: TxId, node: NodeId): C;
  };
}

export interface ProtocolAdapter<M, C, I, S extends z.ZodObject = z.ZodObject> {
  /** `protocol.name` in scenario files. */
  readonly name: string;
  /** One line for listings and errors. */
  readonly description: string;
  /** The scenario's `protocol:` section for this protocol: a strict zod object whose `name` is the literal `name`. */
  readonly section: S;
  readonly codec: WireCodec<M> & WireBatchCodec<M>;
  readonly checkRecords: CheckRecordCodec<I>;
  /** Throws a one-line error naming the scenario field when the scenario cannot be built. */
  prepare(input: ProtocolRunInput): ProtocolRun<M, C, I>;
  /**
   * Cross-field rules of this protocol's scenario (its section against the
   * shared `parameters`, `nodes`, ...), run with the scenario's own rules:
   * each problem names the field path and the rule it broke.
   */
  rules?(scenario: Scenario): ReadonlyArray<{ readonly path: ReadonlyArray<string | number>; readonly message: string }>;
  createSafetyCheck(opts: SafetyCheckOptions): SafetyCheck<I>;
}

/** Any protocol, as the registry and the protocol-neutral runners hold it. */
export type AnyProtocol = ProtocolAdapter<unknown, unknown, unknown>;
