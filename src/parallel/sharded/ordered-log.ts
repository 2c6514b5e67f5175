/**
 * The safety and liveness checkers depend on the order of their inputs (the
 * first acceptance at a height becomes canonical; liveness sweeps pending
 * transactions in submission order; examples are the first ones seen). A
 * serial run feeds them in event order (time, kind, destination, source,
 * sequence). In a sharded run each shard logs its inputs with the key of the
 * event that produced them (ShardLog), and the coordinator merges the shards'
 * logs window by window on that key (OrderedMerger) before feeding one pair
 * of checkers. Keys of different shards never tie (an event has one
 * destination node, owned by one shard), and within one event a shard's
 * records keep their order, so the merged stream is exactly the serial one.
 */
import type { BlockId, TxId } from '../../consensus/snowman/block.js';
import type { Micros, NodeId } from '../../consensus/host.js';
import type { OrderedSink } from '../../runner/collector.js';
import type { LivenessChecker } from '../../metrics/liveness.js';
import type { SafetyChecker } from '../../metrics/safety.js';

const OP_ACCEPT = 0;
const OP_SUBMITTED = 1;
const OP_TX_ACCEPTED = 2;
/** Numbers per record: op, time, tie, seq, a, b, c. */
const REC = 7;

/** The key of the event being processed (the engine's timeUs, eventTie, eventSeq). */
export interface EventKeySource {
  readonly timeUs: Micros;
  readonly eventTie: number;
  readonly eventSeq: number;
}

/** One window of one shard's checker inputs (structured-clone friendly). */
export interface WindowLog {
  records: Float64Array;
  /** Bodies of blocks first logged in this window: id, txCount, ...txs. */
  blockTxs: Float64Array;
}

class Numbers {
  private buf = new Float64Array(256);
  len = 0;
  put(x: number): void {
    if (this.len === this.buf.length) {
      const b = new Float64Array(this.buf.length * 2);
      b.set(this.buf);
      this.buf = b;
    }
    this.buf[this.len++] = x;
  }
  take(): Float64Array {
    const out = this.buf.slice(0, this.len);
    this.len = 0;
    return out;
  }
}

/** A shard's OrderedSink: records inputs with their event key until the next `take`. */
export class ShardLog implements OrderedSink {
  private readonly records = new Numbers();
  private readonly blocks = new Numbers();
  private readonly sentBlocks = new Set<BlockId>();
  private key: EventKeySource | undefined;

  /** The engine, once built (it is built after the collector that holds this sink). */
  attach(key: EventKeySource): void {
    this.key = key;
  }

  private rec(op: number, a: number, b: number, c: number): void {
    const k = this.key;
    if (k === undefined) throw new Error('ShardLog: no engine attached');
    const r = this.records;
    r.put(op);
    r.put(k.timeUs);
    r.put(k.eventTie);
    r.put(k.eventSeq);
    r.put(a);
    r.put(b);
    r.put(c);
  }

  accept(node: NodeId, height: number, block: BlockId, txs: readonly TxId[]): void {
    if (!this.sentBlocks.has(block)) {
      this.sentBlocks.add(block);
      this.blocks.put(block);
      this.blocks.put(txs.length);
      for (const tx of txs) this.blocks.put(tx);
    }
    this.rec(OP_ACCEPT, node, height, block);
  }

  submitted(tx: TxId): void {
    this.rec(OP_SUBMITTED, tx, 0, 0);
  }

  accepted(tx: TxId): void {
    this.rec(OP_TX_ACCEPTED, tx, 0, 0);
  }

  take(): WindowLog {
    return { records: this.records.take(), blockTxs: this.blocks.take() };
  }
}

export interface Checkers {
  safety: SafetyChecker;
  liveness: LivenessChecker;
}

/** Fault window edges for the liveness checker, in time order. */
export interface Edge {
  t: Micros;
  start: boolean;
}

/** Coordinator side: merges the shards' window logs in serial order and feeds the checkers. */
export class OrderedMerger {
  private readonly pending: WindowLog[][];
  private readonly txsOf = new Map<BlockId, readonly TxId[]>();
  private edge = 0;
  /** Records fed so far. */
  fed = 0;

  constructor(
    shards: number,
    private readonly checkers: Checkers,
    private readonly edges: readonly Edge[],
  ) {
    this.pending = Array.from({ length: shards }, () => []);
  }

  /** Shard `shard`'s log of its next window; merges every window all shards have sent. */
  push(shard: number, log: WindowLog): void {
    this.pending[shard]!.push(log);
    while (this.pending.every((q) => q.length > 0)) this.mergeWindow(this.pending.map((q) => q.shift()!));
  }

  /** After the last window: fault edges not yet passed (a serial run tells the checker about them at their time). */
  finish(endUs: Micros): void {
    if (this.pending.some((q) => q.length > 0)) throw new Error('OrderedMerger: a shard sent more windows than the others');
    while (this.edge < this.edges.length && this.edges[this.edge]!.t <= endUs) this.feedEdge(this.edges[this.edge++]!);
  }

  private feedEdge(e: Edge): void {
    if (e.start) this.checkers.liveness.faultStarted(e.t);
    else this.checkers.liveness.faultHealed(e.t);
  }

  private mergeWindow(logs: WindowLog[]): void {
    for (const log of logs) {
      const b = log.blockTxs;
      for (let p = 0; p < b.length; ) {
        const id = b[p++]!;
        const n = b[p++]!;
        if (!this.txsOf.has(id)) this.txsOf.set(id, Array.from(b.subarray(p, p + n)));
        p += n;
      }
    }
    const pos = logs.map(() => 0);
    for (;;) {
      // The shard whose next record has the smallest key.
      let best = -1;
      for (let s = 0; s < logs.length; s++) {
        const r = logs[s]!.records;
        const p = pos[s]!;
        if (p >= r.length) continue;
        if (best < 0 || less(r, p, logs[best]!.records, pos[best]!)) best = s;
      }
      if (best < 0) return;
      const r = logs[best]!.records;
      const p = pos[best]!;
      pos[best] = p + REC;
      this.feed(r, p);
    }
  }

  private feed(r: Float64Array, p: number): void {
    const time = r[p + 1]!;
    // A serial run tells the liveness checker about a fault edge once every event up to it has run.
    while (this.edge < this.edges.length && this.edges[this.edge]!.t < time) this.feedEdge(this.edges[this.edge++]!);
    this.fed++;
    switch (r[p]) {
      case OP_ACCEPT: {
        const block = r[p + 6]!;
        const txs = this.txsOf.get(block);
        if (txs === undefined) throw new Error(`OrderedMerger: transactions of block ${block} never arrived`);
        this.checkers.safety.accept(r[p + 4]!, r[p + 5]!, block, txs, time);
        break;
      }
      case OP_SUBMITTED:
        this.checkers.liveness.submitted(r[p + 4]!, time);
        break;
      case OP_TX_ACCEPTED:
        this.checkers.liveness.accepted(r[p + 4]!, time);
        break;
      default:
        throw new Error(`OrderedMerger: unknown record ${r[p]}`);
    }
  }
}

/** (time, tie, seq) of record a < that of record b. Equal keys from two shards would be a layout bug. */
function less(ra: Float64Array, pa: number, rb: Float64Array, pb: number): boolean {
  for (let k = 1; k <= 3; k++) {
    const x = ra[pa + k]!;
    const y = rb[pb + k]!;
    if (x !== y) return x < y;
  }
  throw new Error('OrderedMerger: two shards logged the same event key');
}

