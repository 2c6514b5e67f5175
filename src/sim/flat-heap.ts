/**
 * The message hot path's priority queue: a flat 4-ary min-heap over parallel
 * typed arrays. No object is allocated per event; an event is four numbers.
 *
 * Total order (DESIGN.md, determinism contract):
 *   (time µs, kind, destination node, source node, per-source sequence)
 * `kind`, `dst` and `src` are packed into one uint32 "tie" key
 * (kind << 28 | dst << 14 | src), so a comparison is at most three number
 * comparisons: time, tie, seq. The payload is an int32 the caller uses as an
 * index into its own pooled records.
 *
 * Invariants checked at run time:
 *  - two events never compare equal (a comparison that finds equal keys
 *    throws, and every pop must be strictly greater than the previous pop,
 *    which catches equal keys that never met inside the heap);
 *  - time never goes backwards (a push below the last popped key throws).
 */
import type { Micros } from './time.js';

/** Largest node id usable in a tie key (14 bits), reserved for run-level sources. */
export const RUN_SOURCE_ID = 0x3fff;
/** Node ids must be below RUN_SOURCE_ID. */
export const MAX_NODES = RUN_SOURCE_ID;
/** Event kinds occupy 4 bits. */
export const MAX_KIND = 15;
const MAX_SEQ = 0xffff_ffff;

export function packTie(kind: number, dst: number, src: number): number {
  return ((kind << 28) | (dst << 14) | src) >>> 0;
}
export function tieKind(tie: number): number {
  return tie >>> 28;
}
export function tieDst(tie: number): number {
  return (tie >>> 14) & 0x3fff;
}
export function tieSrc(tie: number): number {
  return tie & 0x3fff;
}

/** Thrown when the event order contract is broken; always a bug in the caller. */
export class EventOrderError extends Error {
  override name = 'EventOrderError';
}

export class EventQueueFullError extends Error {
  override name = 'EventQueueFullError';
}

export interface EventQueueOptions {
  /** Initial capacity (slots); grows by doubling. */
  initialCapacity?: number;
  /** Hard cap on pending events; `push` beyond it throws EventQueueFullError (check `isFull()` first). */
  maxPending: number;
}

export class EventQueue {
  private time: Float64Array;
  private tie: Uint32Array;
  private seq: Uint32Array;
  private payload: Int32Array;
  private n = 0;
  private readonly maxPending: number;

  /** Key of the last popped event (the "now" of the queue). */
  lastTime: Micros = -1;
  lastTie = 0;
  lastSeq = 0;

  constructor(opts: EventQueueOptions) {
    if (!Number.isSafeInteger(opts.maxPending) || opts.maxPending < 1) {
      throw new RangeError(`maxPending: must be a positive integer, got ${opts.maxPending}`);
    }
    this.maxPending = opts.maxPending;
    const cap = Math.max(16, Math.min(opts.initialCapacity ?? 1024, opts.maxPending));
    this.time = new Float64Array(cap);
    this.tie = new Uint32Array(cap);
    this.seq = new Uint32Array(cap);
    this.payload = new Int32Array(cap);
  }

  get size(): number {
    return this.n;
  }

  isFull(): boolean {
    return this.n >= this.maxPending;
  }

  /** Time of the earliest event; only valid when size > 0. */
  peekTime(): Micros {
    return this.time[0]!;
  }

  push(time: Micros, tie: number, seq: number, payload: number): void {
    if (this.n >= this.maxPending) {
      throw new EventQueueFullError(`event queue: more than ${this.maxPending} pending events`);
    }
    if (seq > MAX_SEQ) throw new EventOrderError(`event queue: sequence number ${seq} overflows uint32`);
    // Scheduling into the past (or at the very key just popped) would make time run backwards.
    if (time < this.lastTime || (time === this.lastTime && cmpTail(tie, seq, this.lastTie, this.lastSeq) <= 0)) {
      throw new EventOrderError(
        `event queue: push of (t=${time}, tie=${tie}, seq=${seq}) is not after the last popped event (t=${this.lastTime}, tie=${this.lastTie}, seq=${this.lastSeq})`,
      );
    }
    if (this.n === this.time.length) this.grow();
    this.siftUp(this.n++, time, tie, seq, payload);
  }

  /**
   * Removes the earliest event and returns its payload; its key is left in
   * lastTime / lastTie / lastSeq. Throws on an empty queue.
   */
  pop(): number {
    if (this.n === 0) throw new EventOrderError('event queue: pop on empty queue');
    const t = this.time[0]!;
    const k = this.tie[0]!;
    const s = this.seq[0]!;
    const p = this.payload[0]!;
    if (t < this.lastTime || (t === this.lastTime && cmpTail(k, s, this.lastTie, this.lastSeq) <= 0)) {
      throw new EventOrderError(
        `event queue: popped (t=${t}, tie=${k}, seq=${s}) does not follow (t=${this.lastTime}, tie=${this.lastTie}, seq=${this.lastSeq}): equal keys or time went backwards`,
      );
    }
    this.lastTime = t;
    this.lastTie = k;
    this.lastSeq = s;
    const last = --this.n;
    if (last > 0) {
      this.siftDown(this.time[last]!, this.tie[last]!, this.seq[last]!, this.payload[last]!, last);
    }
    return p;
  }

  private grow(): void {
    const cap = Math.min(this.time.length * 2, this.maxPending);
    const time = new Float64Array(cap);
    const tie = new Uint32Array(cap);
    const seq = new Uint32Array(cap);
    const payload = new Int32Array(cap);
    time.set(this.time);
    tie.set(this.tie);
    seq.set(this.seq);
    payload.set(this.payload);
    this.time = time;
    this.tie = tie;
    this.seq = seq;
    this.payload = payload;
  }

  private siftUp(i: number, t: number, k: number, s: number, p: number): void {
    const time = this.time;
    const tie = this.tie;
    const seq = this.seq;
    const payload = this.payload;
    while (i > 0) {
      const parent = (i - 1) >> 2;
      const pt = time[parent]!;
      if (pt < t) break;
      if (pt === t) {
        const pk = tie[parent]!;
        if (pk < k) break;
        if (pk === k) {
          const ps = seq[parent]!;
          if (ps < s) break;
          if (ps === s) throw new EventOrderError(`event queue: two events with the same key (t=${t}, tie=${k}, seq=${s})`);
        }
      }
      time[i] = pt;
      tie[i] = tie[parent]!;
      seq[i] = seq[parent]!;
      payload[i] = payload[parent]!;
      i = parent;
    }
    time[i] = t;
    tie[i] = k;
    seq[i] = s;
    payload[i] = p;
  }

  /** Places (t, k, s, p) starting from the root of a heap of size n. */
  private siftDown(t: number, k: number, s: number, p: number, n: number): void {
    const time = this.time;
    const tie = this.tie;
    const seq = this.seq;
    const payload = this.payload;
    let i = 0;
    for (;;) {
      const first = (i << 2) + 1;
      if (first >= n) break;
      // Smallest of up to four children.
      let best = first;
      let bt = time[first]!;
      let bk = tie[first]!;
      let bs = seq[first]!;
      const end = first + 4 < n ? first + 4 : n;
      for (let c = first + 1; c < end; c++) {
        const ct = time[c]!;
        if (ct > bt) continue;
        const ck = tie[c]!;
        const cs = seq[c]!;
        if (ct === bt) {
          if (ck > bk) continue;
          if (ck === bk) {
            if (cs > bs) continue;
            if (cs === bs) throw new EventOrderError(`event queue: two events with the same key (t=${ct}, tie=${ck}, seq=${cs})`);
          }
        }
        best = c;
        bt = ct;
        bk = ck;
        bs = cs;
      }
      // Stop when the moving element is not greater than the best child.
      if (t < bt) break;
      if (t === bt) {
        if (k < bk) break;
        if (k === bk) {
          if (s < bs) break;
          if (s === bs) throw new EventOrderError(`event queue: two events with the same key (t=${t}, tie=${k}, seq=${s})`);
        }
      }
      time[i] = bt;
      tie[i] = bk;
      seq[i] = bs;
      payload[i] = payload[best]!;
      i = best;
    }
    time[i] = t;
    tie[i] = k;
    seq[i] = s;
    payload[i] = p;
  }
}

function cmpTail(k1: number, s1: number, k2: number, s2: number): number {
  if (k1 !== k2) return k1 < k2 ? -1 : 1;
  if (s1 !== s2) return s1 < s2 ? -1 : 1;
  return 0;
}
