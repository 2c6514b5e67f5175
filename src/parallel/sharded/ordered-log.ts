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
 *
 * The protocol's safety inputs are written by its own record codec
 * (ProtocolAdapter.checkRecords); a shard's log is decoded in the order the
 * shard wrote it, so that codec may send shared parts once.
 *
 * Record layout: u8 op, f64 time, i32 tie (-1 while nodes boot), u32 seq, then
 *   OP_CHECK      u32 node, the protocol's record
 *   OP_SUBMITTED  u53 tx
 *   OP_TX_ACCEPTED u53 tx
 */
import type { Micros, NodeId } from '../../consensus/host.js';
import type { CheckRecordCodec, SafetyCheck } from '../../consensus/protocol.js';
import type { TxId } from '../../consensus/snowman/block.js';
import { ByteReader, ByteWriter } from '../../consensus/wire-bytes.js';
import type { OrderedSink } from '../../runner/collector.js';
import type { LivenessChecker } from '../../metrics/liveness.js';

const OP_CHECK = 0;
const OP_SUBMITTED = 1;
const OP_TX_ACCEPTED = 2;

/** The key of the event being processed (the engine's timeUs, eventTie, eventSeq). */
export interface EventKeySource {
  readonly timeUs: Micros;
  readonly eventTie: number;
  readonly eventSeq: number;
}

/** One window of one shard's checker inputs (transferable). */
export interface WindowLog {
  records: Uint8Array;
}

/** A shard's OrderedSink: records inputs with their event key until the next `take`. */
export class ShardLog<I> implements OrderedSink<I> {
  private readonly w = new ByteWriter(4096);
  private readonly inputs: { write(w: ByteWriter, input: I): void };
  private key: EventKeySource | undefined;

  constructor(records: CheckRecordCodec<I>) {
    this.inputs = records.encoder();
  }

  /** The engine, once built (it is built after the collector that holds this sink). */
  attach(key: EventKeySource): void {
    this.key = key;
  }

  private head(op: number): ByteWriter {
    const k = this.key;
    if (k === undefined) throw new Error('ShardLog: no engine attached');
    const w = this.w;
    w.u8(op);
    w.f64(k.timeUs);
    w.i32(k.eventTie | 0);
    w.u32(k.eventSeq);
    return w;
  }

  check(input: I, node: NodeId): void {
    const w = this.head(OP_CHECK);
    w.u32(node);
    this.inputs.write(w, input);
  }

  submitted(tx: TxId): void {
    this.head(OP_SUBMITTED).u53(tx);
  }

  accepted(tx: TxId): void {
    this.head(OP_TX_ACCEPTED).u53(tx);
  }

  take(): WindowLog {
    const records = this.w.bytes();
    this.w.reset();
    return { records };
  }
}

export interface Checkers<I> {
  safety: SafetyCheck<I>;
  liveness: LivenessChecker;
}

/** Fault window edges for the liveness checker, in time order. */
export interface Edge {
  t: Micros;
  start: boolean;
}

/** One decoded record. */
interface Rec<I> {
  op: number;
  time: Micros;
  tie: number;
  seq: number;
  node: NodeId;
  tx: TxId;
  input: I | undefined;
}

/** Coordinator side: merges the shards' window logs in serial order and feeds the checkers. */
export class OrderedMerger<I> {
  private readonly pending: WindowLog[][];
  private readonly inputs: { read(r: ByteReader): I };
  private edge = 0;
  /** Records fed so far. */
  fed = 0;

  constructor(
    shards: number,
    records: CheckRecordCodec<I>,
    private readonly checkers: Checkers<I>,
    private readonly edges: readonly Edge[],
  ) {
    this.pending = Array.from({ length: shards }, () => []);
    this.inputs = records.decoder();
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

  /** A shard's window as records, decoded in the order the shard wrote them. */
  private decode(log: WindowLog): Rec<I>[] {
    const r = new ByteReader(log.records);
    const out: Rec<I>[] = [];
    while (r.remaining > 0) {
      const op = r.u8('op');
      const time = r.f64('time');
      const tie = r.i32('tie');
      const seq = r.u32('seq');
      let node = -1;
      let tx = 0;
      let input: I | undefined;
      if (op === OP_CHECK) {
        node = r.u32('node');
        input = this.inputs.read(r);
      } else if (op === OP_SUBMITTED || op === OP_TX_ACCEPTED) {
        tx = r.u53('tx');
      } else if (r.error === undefined) {
        throw new Error(`OrderedMerger: unknown record ${op}`);
      }
      if (r.error !== undefined) throw new Error(`OrderedMerger: ${r.error.reason}: ${r.error.detail}`);
      out.push({ op, time, tie, seq, node, tx, input });
    }
    return out;
  }

  private mergeWindow(logs: WindowLog[]): void {
    const recs = logs.map((l) => this.decode(l));
    const pos = recs.map(() => 0);
    for (;;) {
      // The shard whose next record has the smallest key.
      let best = -1;
      for (let s = 0; s < recs.length; s++) {
        const rec = recs[s]![pos[s]!];
        if (rec === undefined) continue;
        if (best < 0 || less(rec, recs[best]![pos[best]!]!)) best = s;
      }
      if (best < 0) return;
      this.feed(recs[best]![pos[best]!]!);
      pos[best]!++;
    }
  }

  private feed(rec: Rec<I>): void {
    const time = rec.time;
    // A serial run tells the liveness checker about a fault edge once every event up to it has run.
    while (this.edge < this.edges.length && this.edges[this.edge]!.t < time) this.feedEdge(this.edges[this.edge++]!);
    this.fed++;
    switch (rec.op) {
      case OP_CHECK:
        this.checkers.safety.check(rec.input!, rec.node, time);
        break;
      case OP_SUBMITTED:
        this.checkers.liveness.submitted(rec.tx, time);
        break;
      case OP_TX_ACCEPTED:
        this.checkers.liveness.accepted(rec.tx, time);
        break;
    }
  }
}

/** (time, tie, seq) of record a < that of record b. Equal keys from two shards would be a layout bug. */
function less<I>(a: Rec<I>, b: Rec<I>): boolean {
  if (a.time !== b.time) return a.time < b.time;
  if (a.tie !== b.tie) return a.tie < b.tie;
  if (a.seq !== b.seq) return a.seq < b.seq;
  throw new Error('OrderedMerger: two shards logged the same event key');
}
