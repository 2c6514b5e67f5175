/** Public surface of the simulation engine. */
export { Simulation, MAX_PENDING_LIMIT, MAX_SHARDS, type NodeFactory } from './simulation.js';
export type { TraceLanes } from './hash.js';
export type {
  ClientSource,
  Fault,
  LimitKind,
  MessageModel,
  NetworkCounters,
  NodeStats,
  OutboxBatch,
  RunOutcome,
  RunResult,
  RunStatus,
  ShardConfig,
  SimConfig,
  SimLimits,
} from './types.js';
export {
  type BandwidthProfile,
  type Grudge,
  type NetworkConfig,
  transmissionUs,
} from './network.js';
export {
  type LatencyProfile,
  type RegionJitter,
  LatencySampler,
  minLatencyUs,
  simblock2019Profile,
  SIMBLOCK_LATENCY_2019_MS,
  SIMBLOCK_REGION_DISTRIBUTION_2019,
  SIMBLOCK_REGIONS_2019,
} from './latency.js';
export { EventQueue, EventOrderError, RUN_SOURCE_ID, MAX_NODES } from './event-queue.js';
export type { TraceRecord, TraceSink, TraceEventKind, TraceOutcome } from './trace.js';
export { JsonLinesTraceFile, type TraceFileOptions } from './trace-file.js';
