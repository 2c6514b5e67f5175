/**
 * A flat 4-ary min-heap over parallel typed arrays, keyed by (time, tie, seq)
 * with an int32 payload; no allocation per entry, grows by doubling. Two
 * entries comparing equal throw EventOrderError. The ladder queue
 * (event-queue.ts) uses it as its bottom only when the nearest events are too
 * many to sort into its run (many events at one instant); the bench keeps it
 * as a reference row.
 */
import type { Micros } from './time.js';
import { EventOrderError } from './event-order.js';

function equalKeys(t: number, k: number, s: number): never {
  throw new EventOrderError(`event queue: two events with the same key (t=${t}, tie=${k}, seq=${s})`);
}

export class FlatHeap {
  private time: Float64Array;
  private tie: Uint32Array;
  private seq: Uint32Array;
  private payload: Int32Array;
  private n = 0;

  /** Key of the last popped entry. */
  lastTime: Micros = 0;
  lastTie = 0;
  lastSeq = 0;

  constructor(initialCapacity = 256) {
    const cap = Math.max(16, initialCapacity);
    this.time = new Float64Array(cap);
    this.tie = new Uint32Array(cap);
    this.seq = new Uint32Array(cap);
    this.payload = new Int32Array(cap);
  }

  get size(): number {
    return this.n;
  }

  /** Time of the earliest entry; only valid when size > 0. */
  peekTime(): Micros {
    return this.time[0]!;
  }

  push(time: Micros, tie: number, seq: number, payload: number): void {
    if (this.n === this.time.length) this.grow();
    this.siftUp(this.n++, time, tie, seq, payload);
  }

  /** Removes the earliest entry and returns its payload; its key is left in lastTime / lastTie / lastSeq. */
  pop(): number {
    const p = this.payload[0]!;
    this.lastTime = this.time[0]!;
    this.lastTie = this.tie[0]!;
    this.lastSeq = this.seq[0]!;
    const last = --this.n;
    if (last > 0) this.siftDown(this.time[last]!, this.tie[last]!, this.seq[last]!, this.payload[last]!, last);
    return p;
  }

  private grow(): void {
    const cap = this.time.length * 2;
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
          if (ps === s) equalKeys(t, k, s);
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
      let best = first;
      let bt = time[first]!;
      const end = first + 4 < n ? first + 4 : n;
      for (let c = first + 1; c < end; c++) {
        const ct = time[c]!;
        if (ct > bt) continue;
        if (ct === bt) {
          const ck = tie[c]!;
          const bk = tie[best]!;
          if (ck > bk) continue;
          if (ck === bk) {
            const cs = seq[c]!;
            const bs = seq[best]!;
            if (cs > bs) continue;
            if (cs === bs) equalKeys(ct, ck, cs);
          }
        }
        best = c;
        bt = ct;
      }
      // Stop when the moving entry is smaller than the best child.
      if (t < bt) break;
      if (t === bt) {
        const bk = tie[best]!;
        if (k < bk) break;
        if (k === bk) {
          const bs = seq[best]!;
          if (s < bs) break;
          if (s === bs) equalKeys(t, k, s);
        }
      }
      time[i] = bt;
      tie[i] = tie[best]!;
      seq[i] = seq[best]!;
      payload[i] = payload[best]!;
      i = best;
    }
    time[i] = t;
    tie[i] = k;
    seq[i] = s;
    payload[i] = p;
  }
}
