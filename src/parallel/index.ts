/** Public API of src/parallel: sweeps on a Piscina pool, sharding across machines, merging shards. */
export { runSweep, MAX_WORKERS } from './sweep-runner.js';
export type { RunSweepOptions, SweepProgress, SweepResult, SweepFailure } from './sweep-runner.js';
export { runSweepCommand } from './sweep-command.js';
export { mergeShards } from './merge.js';
export type { MergeResult } from './merge.js';
export { parseShard, selectShard, validateShard, MAX_SHARDS } from './shard.js';
export type { ShardSpec } from './shard.js';
export { buildScenarioTasks, reproCommand, shellQuote, MAX_SEEDS } from './scenario-tasks.js';
export type { ScenarioTaskPayload, SweepPointInput } from './scenario-tasks.js';
export { tasksHash, validateTasks, canonicalJson, MAX_TASKS } from './task.js';
export type { SweepTask, JsonValue, PointValues } from './task.js';
export { readIndex, INDEX_FILE, RUNS_DIR, FAILURES_DIR, INDEX_FORMAT } from './sweep-index.js';
export type { SweepIndex, SweepIndexEntry, TaskStatus } from './sweep-index.js';
export type { FailureRecord, FailureKind } from './failure.js';
export { createProgressBar } from './progress.js';
export { trapInterrupts, sweepExitCode } from './interrupt.js';
export type { InterruptTrap, StopSignal } from './interrupt.js';
