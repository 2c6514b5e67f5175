/**
 * Reading the nodes' histories back: every node's history.jsonl, merged in
 * run-clock order (one system-wide monotonic clock, so the times of
 * different processes compare), with the last statistics line of every
 * incarnation of every node.
 */
import { existsSync, readFileSync } from 'node:fs';
import type { NodeId } from '../../consensus/host.js';
import type { HistoryRecord } from '../node/history.js';
import { historyPath } from './layout.js';

export type Stats = Extract<HistoryRecord, { k: 'stats' }> & {
  inc: number;
  height: number;
  sent: number;
  sentBytes: number;
  received: number;
  codecErrors: number;
  refusedMessages: number;
  frozenArrivals?: number;
  kinds: Record<string, { sent: number; received: number; handleUs: number }>;
  /** The engine's protocol counters (RunMetrics.count), cumulative for the incarnation; absent in older histories. */
  cnt?: Record<string, number>;
  links: { queued: number; fifoHoldUs: number };
  transport: { dropped: Record<string, number>; badFrames: Record<string, number>; disconnects: number };
  emulation: import('../net/emulation-error.js').EmulationErrorData;
  chargedUs: number;
  busyUs: number;
  sig: { verifies: number; verifyUs: number; signs: number; signUs: number; refused: number };
  store: { writes: number; writeUs: number };
  process: { pid: number; cpuUserUs: number; cpuSystemUs: number; rssBytes: number; eventLoopDelayMeanUs?: number };
};

export interface NodeHistory {
  node: NodeId;
  records: HistoryRecord[];
  /** incarnation -> its last stats line. */
  lastStats: Map<number, Stats>;
  /** incarnation -> its first stats line (one second after its boot: start-up is behind it). */
  firstStats: Map<number, Stats>;
  /** Boot records in order (one per incarnation). */
  boots: Array<Extract<HistoryRecord, { k: 'boot' }>>;
  /** Lines that did not parse (a torn last line after kill -9 is possible in principle; counted, never trusted). */
  badLines: number;
}

export function readHistory(runDir: string, node: NodeId): NodeHistory {
  const path = historyPath(runDir, node);
  const h: NodeHistory = { node, records: [], lastStats: new Map(), firstStats: new Map(), boots: [], badLines: 0 };
  if (!existsSync(path)) return h;
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (line === '') continue;
    let r: HistoryRecord;
    try {
      r = JSON.parse(line) as HistoryRecord;
    } catch {
      h.badLines++;
      continue;
    }
    if (typeof r !== 'object' || r === null || typeof r.k !== 'string' || typeof r.t !== 'number') {
      h.badLines++;
      continue;
    }
    h.records.push(r);
    if (r.k === 'boot') h.boots.push(r);
    else if (r.k === 'stats') {
      const st = r as Stats;
      if (!h.firstStats.has(st.inc)) h.firstStats.set(st.inc, st);
      h.lastStats.set(st.inc, st);
    }
  }
  return h;
}

/** Every record of every node in time order (ties: node id, then each node's own order). */
export function mergedRecords(histories: readonly NodeHistory[]): HistoryRecord[] {
  const all: Array<{ r: HistoryRecord; i: number }> = [];
  for (const h of histories) h.records.forEach((r, i) => all.push({ r, i }));
  all.sort((a, b) => a.r.t - b.r.t || a.r.n - b.r.n || a.i - b.i);
  return all.map((x) => x.r);
}
