/**
 * Optional event trace: one record per processed event, handed to a sink.
 * Records are built only when a sink is attached (and wants the event), so an
 * untraced run allocates nothing for tracing.
 */
import type { Micros } from './time.js';

export type TraceEventKind = 'fault' | 'arrive' | 'client' | 'process' | 'timer';

/** What became of the event. */
export type TraceOutcome =
  | 'ok'               // handled
  | 'dropped-crashed'  // destination crashed: message / request dropped
  | 'stale'            // scheduled before a crash (old epoch): discarded
  | 'cancelled'        // timer cancelled before it fired
  | 'deferred'         // node paused or CPU interrupted: rescheduled later
  | 'ignored';         // fault with no effect (e.g. restart of a running node)

export interface TraceRecord {
  timeUs: Micros;
  kind: TraceEventKind;
  /** Destination node, or -1 for a run-level event. */
  node: number;
  /** Sender of the message (for arrive and process alike), the node itself for timers, or -1 for a run-level source (faults, clients). */
  from: number;
  seq: number;
  outcome: TraceOutcome;
  /** Message type tag (arrive/process) or timer tag. */
  tag?: number;
  /** MessageModel.describe(m) for messages, the fault itself for faults. */
  detail?: unknown;
}

export interface TraceSink {
  /** Filter asked before a record is built; omit to receive everything. */
  wants?(node: number, timeUs: Micros): boolean;
  record(r: TraceRecord): void;
  close?(): void;
}
