/**
 * Piscina worker: runs one shard of a sharded run (compiled to
 * dist/src/parallel/sharded/shard-worker.js; see run-sharded.ts).
 *
 * Window loop, with T the window start and L the lookahead:
 *  1. process every local event with time < T + L;
 *  2. post each other shard its batch of messages (they arrive >= T + L);
 *  3. post the window's checker log to the coordinator;
 *  4. publish this shard's status and wait at the barrier;
 *  5. take in the batches the other shards posted to this one;
 *  6. from the statuses everyone read: stop (duration reached, a limit in
 *     some shard, or every shard idle with nothing in flight) or T += L.
 */
import { receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import { performance } from 'node:perf_hooks';
import { protocolOrThrow } from '../../consensus/protocols.js';
import type { CollectorSnapshot } from '../../runner/collector.js';
import { prepareRun, wallLimitHit } from '../../runner/run-scenario.js';
import { heapUsedAfterGc } from '../../runner/retained-heap.js';
import type { Scenario } from '../../scenario/schema.js';
import type { TraceLanes } from '../../sim/hash.js';
import type { Micros } from '../../sim/time.js';
import type { NetworkCounters, NodeStats, RunOutcome } from '../../sim/types.js';
import { LIMIT_KINDS } from '../../sim/types.js';
import { AbortedError, Barrier, ST_DONE, ST_LIMIT, ST_RUNNING } from './barrier.js';
import { BatchEncoder, decodeBatch } from './codec.js';
import { ShardLog, type WindowLog } from './ordered-log.js';

export interface ShardTask {
  scenario: Scenario;
  seed: number;
  repro: string;
  shard: number;
  shards: number;
  ownerOf: Uint8Array;
  lookaheadUs: Micros;
  board: SharedArrayBuffer;
  /** peers[s]: the port to shard s (undefined for this shard). */
  peers: (MessagePort | undefined)[];
  /** To the coordinator: one LogMessage per window. */
  log: MessagePort;
  /** `--max-wall` in seconds: shard 0 checks it after each window and ends the run; the others follow through the board. */
  maxWallSeconds?: number;
}

export interface LogMessage {
  shard: number;
  window: number;
  log: WindowLog;
  simUs: Micros;
  events: number;
}

export interface ShardResult {
  shard: number;
  outcome: RunOutcome;
  endTimeUs: Micros;
  lastEventUs: Micros;
  events: number;
  lanes: TraceLanes;
  nodes: NodeStats;
  network: NetworkCounters;
  pendingEvents: number;
  collector: CollectorSnapshot;
  windows: number;
  /** Messages sent to other shards. */
  crossShardMessages: number;
  /** Wall time spent in runUntil (the rest is exchange and barrier waits), s. */
  computeSeconds: number;
  heapDeltaBytes: number;
}

/** A shard that stopped because another shard failed or the barrier stalled: no result, only why. */
export interface ShardAborted {
  shard: number;
  aborted: string;
}

export type ShardReply = ShardResult | ShardAborted;

export function isAborted(r: ShardReply): r is ShardAborted {
  return 'aborted' in r;
}

export default function runShard(task: ShardTask): ShardReply {
  const heapBefore = heapUsedAfterGc();
  const wallStart = performance.now();
  const wallLimit =
    task.shard === 0 && task.maxWallSeconds !== undefined
      ? { seconds: task.maxWallSeconds, elapsedSeconds: () => (performance.now() - wallStart) / 1000 }
      : undefined;
  const { shard: self, shards, lookaheadUs: L } = task;
  const barrier = new Barrier(task.board, shards);
  const protocol = protocolOrThrow(task.scenario.protocol.name);
  const log = new ShardLog(protocol.checkRecords);
  try {
    const { sim, collector } = prepareRun(
      task.scenario,
      { seed: task.seed, repro: task.repro },
      { shard: { ownerOf: task.ownerOf, self, shards }, ordered: log },
    );
    log.attach(sim);
    const encoders = task.peers.map(() => new BatchEncoder(protocol.codec.encoder()));
    const decoder = protocol.codec.decoder();
    const deliver = (time: number, tie: number, seq: number, size: number, msg: Parameters<typeof sim.deliverRemote>[4]): void =>
      sim.deliverRemote(time, tie, seq, size, msg);
    let windows = 0;
    let crossShard = 0;
    let compute = 0;
    for (let t = 0; ; t += L) {
      const c0 = performance.now();
      let status = sim.runUntil(t + L - 1);
      compute += performance.now() - c0;
      const wall = status.kind === 'running' ? wallLimitHit(wallLimit, sim.timeUs, task.scenario.duration) : undefined;
      if (wall !== undefined) status = sim.end(wall, sim.timeUs);
      let sent = 0;
      for (let peer = 0; peer < shards; peer++) {
        const port = task.peers[peer];
        if (port === undefined) continue;
        const batch = sim.takeOutbox(peer);
        if (batch.msg.length === 0) continue;
        sent += batch.msg.length;
        const buf = encoders[peer]!.encode(batch);
        port.postMessage(buf, [buf.buffer as ArrayBuffer]);
      }
      crossShard += sent;
      const wl = log.take();
      const msg: LogMessage = { shard: self, window: windows, log: wl, simUs: sim.timeUs, events: sim.eventCount };
      task.log.postMessage(msg, [wl.records.buffer as ArrayBuffer]);
      windows++;
      const statuses = barrier.arrive(self, {
        status: status.kind === 'running' ? ST_RUNNING : status.kind === 'limit' ? ST_LIMIT : ST_DONE,
        limitCode: status.kind === 'limit' ? LIMIT_KINDS.indexOf(status.limit) : 0,
        sent,
        idle: sim.pendingEvents === 0,
        lastEventUs: sim.lastEventTimeUs,
      });
      for (let peer = 0; peer < shards; peer++) {
        const port = task.peers[peer];
        if (port === undefined) continue;
        for (let m = receiveMessageOnPort(port); m !== undefined; m = receiveMessageOnPort(port)) {
          decodeBatch(m.message as Uint8Array, decoder, deliver);
        }
      }
      const limited = statuses.findIndex((s) => s.status === ST_LIMIT);
      if (limited >= 0) {
        if (status.kind === 'running') {
          const limit = LIMIT_KINDS[statuses[limited]!.limitCode] ?? 'max-events';
          sim.end({ kind: 'limit', limit, detail: `shard ${limited} hit limits (${limit})`, peerShard: limited }, sim.timeUs);
        }
        break;
      }
      if (statuses.every((s) => s.status === ST_DONE)) break;
      if (statuses.every((s) => s.idle && s.sent === 0)) {
        // Nothing queued anywhere and nothing in flight: the serial run would have drained here.
        sim.end({ kind: 'completed', endedBy: 'drained' }, Math.max(...statuses.map((s) => s.lastEventUs)));
        break;
      }
    }
    // Retained by this shard's engine and nodes (still referenced: sim is used below).
    const heapAfter = heapUsedAfterGc();
    const r = sim.result();
    return {
      shard: self,
      outcome: r.outcome,
      endTimeUs: r.endTimeUs,
      lastEventUs: sim.lastEventTimeUs,
      events: r.events,
      lanes: sim.traceLanes(),
      nodes: r.nodes,
      network: r.network,
      pendingEvents: r.pendingEvents,
      collector: collector.snapshot(),
      windows,
      crossShardMessages: crossShard,
      computeSeconds: compute / 1000,
      heapDeltaBytes: Math.max(0, heapAfter - heapBefore),
    };
  } catch (e) {
    barrier.abort();
    // Not this shard's failure: the one that failed reports its own error.
    if (e instanceof AbortedError) return { shard: self, aborted: e.message };
    throw e;
  } finally {
    for (const p of task.peers) p?.close();
    task.log.close();
  }
}
