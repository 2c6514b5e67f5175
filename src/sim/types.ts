/**
 * Public types of the simulation engine (src/sim/simulation.ts).
 */
import type { Micros } from './time.js';
import type { Grudge, NetworkConfig, NodeId } from './network.js';
import type { TraceSink } from './trace.js';

/** What the engine needs to know about a message type M. Pure functions of the message. */
export interface MessageModel<M> {
  /** Bytes on the wire (drives bandwidth). */
  sizeBytes(m: M): number;
  /** Receiver CPU time to process it, integer µs (e.g. per-transaction verification of a block). */
  cpuCost(m: M): Micros;
  /** Small integer naming the message type; folded into the trace hash. */
  typeTag(m: M): number;
  /** For the event trace only. */
  describe(m: M): Record<string, unknown>;
}

/**
 * Pull-based client workload for one node: asked at start and after each
 * request is handed over, so a long run never pre-schedules its requests.
 * `at` must not be earlier than the previous request's time.
 */
export interface ClientSource<C> {
  next(): { at: Micros; request: C } | undefined;
}

/** Faults, applied at their scheduled time before any other event of that instant. */
export type Fault =
  /** The node stops: receives and processes nothing, its timers are discarded, client requests to it are dropped. */
  | { kind: 'crash'; node: NodeId }
  /** A crashed node comes back (onRestart). No effect on a running node. */
  | { kind: 'restart'; node: NodeId }
  /** The node freezes: nothing is processed; arrivals queue, due timers and requests run at the end. */
  | { kind: 'pause'; node: NodeId; durationUs: Micros }
  /** Adds a grudge (who drops whose messages) until the next heal. */
  | { kind: 'partition'; grudge: Grudge }
  /** Removes every grudge. */
  | { kind: 'heal' }
  /** Loss probability for every message (no `nodes`) or for messages from/to `nodes`. */
  | { kind: 'set-loss'; probability: number; nodes?: readonly NodeId[] }
  | { kind: 'set-duplication'; probability: number }
  /** Added latency for every message (no `nodes`) or for messages from/to `nodes`; 0 removes it. */
  | { kind: 'add-delay'; extraUs: Micros; nodes?: readonly NodeId[] }
  /** Clogging: change one node's bandwidth. */
  | { kind: 'set-bandwidth'; node: NodeId; uploadBitsPerSec: number; downloadBitsPerSec: number };

export interface SimLimits {
  /** The run stops with limit 'max-events' after this many processed events. */
  maxEvents: number;
  /** The run stops with limit 'max-pending-events' when more events would be pending. */
  maxPendingEvents: number;
  /** The run stops with limit 'node-queue-capacity' when a node's CPU queue would exceed this. */
  nodeQueueCapacity: number;
  /**
   * Optional liveness bound: if the clock would pass it, the run stops with
   * limit 'max-sim-time'. For runs that end themselves with `stop()` before
   * `durationUs`; reaching `durationUs` itself is a normal completion.
   */
  maxSimTimeUs?: Micros;
}

/**
 * One shard of a sharded run (src/parallel/sharded): this engine holds only
 * the nodes it owns; messages to other shards' nodes leave through the outbox
 * after their sender-side work, and arrive through `deliverRemote`.
 */
export interface ShardConfig {
  /** Shard of every node (length nodeCount). */
  ownerOf: Uint8Array;
  /** This shard's index. */
  self: number;
  /** Number of shards (every ownerOf value is below it). */
  shards: number;
}

export interface SimConfig {
  seed: number;
  nodeCount: number;
  /** Planned simulated duration: reaching it ends the run as completed. */
  durationUs: Micros;
  network: NetworkConfig;
  limits: SimLimits;
  trace?: TraceSink;
  /** Absent: a whole run in one engine. */
  shard?: ShardConfig;
}

/** Messages one shard sends to another in one window, in send order (parallel arrays). */
export interface OutboxBatch<M> {
  time: number[];
  tie: number[];
  seq: number[];
  sizeBytes: number[];
  msg: M[];
}

/**
 * Every way a run can stop on a limit: the one list (the summary schema, the shard status board and the engine read it).
 * 'max-wall' is never hit by the engine itself (it reads no clock): the runner ends a run with it between windows.
 */
export const LIMIT_KINDS = ['max-events', 'max-sim-time', 'max-pending-events', 'node-queue-capacity', 'max-wall'] as const;
export type LimitKind = (typeof LIMIT_KINDS)[number];

export type RunOutcome =
  | { kind: 'completed'; endedBy: 'duration' | 'drained' | 'stopped' }
  | {
      kind: 'limit';
      limit: LimitKind;
      detail: string;
      /** Sharded runs: the shard whose limit stopped this one, when it was another shard's (absent: this engine hit it). */
      peerShard?: number;
    };

/** What runUntil returns: the final outcome, or 'running' if it stopped at the window's end. */
export type RunStatus = RunOutcome | { kind: 'running'; timeUs: Micros };

/** Per-node counters, indexed by node id. */
export interface NodeStats {
  messagesSent: Float64Array;
  bytesSent: Float64Array;
  /** Messages accepted at the receiver's downlink (not dropped as crashed). */
  messagesReceived: Float64Array;
  bytesReceived: Float64Array;
  /** Messages whose handler ran after CPU service. */
  processed: Float64Array;
  cpuBusyUs: Float64Array;
  /** Sum over processed messages of (service start − ready); mean = sum / processed. */
  queueDelayUsSum: Float64Array;
  maxQueueLength: Int32Array;
  timersFired: Float64Array;
  clientRequests: Float64Array;
  clientDropped: Float64Array;
}

export interface NetworkCounters {
  droppedLoss: number;
  droppedPartition: number;
  /** Arrivals at a crashed node. */
  droppedCrashed: number;
  duplicated: number;
}

export interface RunResult {
  outcome: RunOutcome;
  endTimeUs: Micros;
  events: number;
  /** 16 hex characters; independent of the shard layout. */
  traceHash: string;
  nodes: NodeStats;
  network: NetworkCounters;
  pendingEvents: number;
}
