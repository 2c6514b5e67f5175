/**
 * The message hot path's priority queue: a ladder queue (Tang, Goh & Thng,
 * "Ladder queue: an O(1) priority queue structure for large-scale discrete
 * event simulation", ACM TOMACS 2005) over flat typed arrays, with a small
 * 4-ary heap (flat-heap.ts) as its bottom. No object is allocated per event.
 *
 *  - Top: an unsorted list of far-future events (time >= topStart).
 *  - Rungs: bucket arrays; rung 0 spans the Top's range when it is opened,
 *    and a bucket with more than SPLIT_THRESHOLD events is opened as a finer
 *    rung. Buckets are unsorted linked lists through the record arrays.
 *  - Bottom: a 4-ary heap holding the events of the current (finest) bucket
 *    and anything pushed below the current bucket; every event in it is
 *    earlier than every event elsewhere, so its minimum is the global minimum.
 * Push and pop cost O(1) amortised for the usual simulation distributions, and
 * O(log n) at worst (many events at one instant all land in the bottom heap).
 *
 * Total order: (time, tie, seq) with tie = kind << 28 | dst << 14 | src
 * (event-order.ts). Checked at run time: two events never compare equal (the
 * bottom heap throws when it meets equal keys, and every pop must be strictly
 * after the previous pop, which also catches equal keys that never met), and
 * time never goes backwards (a push at or before the last popped key throws).
 */
import type { Micros } from './time.js';
import { FlatHeap } from './flat-heap.js';
import { EventOrderError, MAX_SEQ, cmpTail } from './event-order.js';

export { EventOrderError, packTie, RUN_SOURCE_ID, MAX_NODES } from './event-order.js';

export class EventQueueFullError extends Error {
  override name = 'EventQueueFullError';
}

export interface EventQueueOptions {
  /** Initial record capacity; grows by doubling. */
  initialCapacity?: number;
  /** Hard cap on pending events; `push` beyond it throws EventQueueFullError (check `isFull()` first). */
  maxPending: number;
}

const MAX_RUNGS = 8;
/** A bucket with more events than this becomes a finer rung instead of going to the bottom heap. */
const SPLIT_THRESHOLD = 32;
const MAX_BUCKETS = 1 << 20;
const TOP_EVENTS_PER_BUCKET = 16;

export class EventQueue {
  // Event records, indexed by record id; `next` links buckets, the top list and the free list.
  private rTime: Float64Array;
  private rTie: Uint32Array;
  private rSeq: Uint32Array;
  private rPayload: Int32Array;
  private rNext: Int32Array;
  private freeHead = -1;
  private n = 0;
  private readonly maxPending: number;

  // Top.
  private topHead = -1;
  private topCount = 0;
  private topMin = Infinity;
  private topMax = -Infinity;
  private topStart = 0;

  // Rungs: 0 is the coarsest; nRungs - 1 the finest.
  private nRungs = 0;
  private readonly rungStart = new Float64Array(MAX_RUNGS);
  private readonly rungWidth = new Float64Array(MAX_RUNGS);
  private readonly rungBuckets = new Int32Array(MAX_RUNGS);
  private readonly rungCur = new Int32Array(MAX_RUNGS);
  private readonly heads: Int32Array[] = [];
  private readonly counts: Int32Array[] = [];

  private readonly bottom = new FlatHeap(256);

  /** Key of the last popped event (the "now" of the queue); -1 before the first pop. */
  lastTime: Micros = -1;
  lastTie = 0;
  lastSeq = 0;

  constructor(opts: EventQueueOptions) {
    if (!Number.isSafeInteger(opts.maxPending) || opts.maxPending < 1) {
      throw new RangeError(`maxPending: must be a positive integer, got ${opts.maxPending}`);
    }
    this.maxPending = opts.maxPending;
    const cap = Math.max(16, Math.min(opts.initialCapacity ?? 1024, opts.maxPending));
    this.rTime = new Float64Array(cap);
    this.rTie = new Uint32Array(cap);
    this.rSeq = new Uint32Array(cap);
    this.rPayload = new Int32Array(cap);
    this.rNext = new Int32Array(cap);
    this.linkFree(0, cap);
    for (let r = 0; r < MAX_RUNGS; r++) {
      this.heads.push(new Int32Array(0));
      this.counts.push(new Int32Array(0));
    }
  }

  get size(): number {
    return this.n;
  }

  isFull(): boolean {
    return this.n >= this.maxPending;
  }

  /** Time of the earliest event; only valid when size > 0. */
  peekTime(): Micros {
    if (this.bottom.size === 0) this.refill();
    return this.bottom.peekTime();
  }

  push(time: Micros, tie: number, seq: number, payload: number): void {
    if (this.n >= this.maxPending) {
      throw new EventQueueFullError(`event queue: more than ${this.maxPending} pending events`);
    }
    if (seq > MAX_SEQ) throw new EventOrderError(`event queue: sequence number ${seq} overflows uint32`);
    // Scheduling at or before the key just popped would make time run backwards.
    if (time < this.lastTime || (time === this.lastTime && cmpTail(tie, seq, this.lastTie, this.lastSeq) <= 0)) {
      throw new EventOrderError(
        `event queue: push of (t=${time}, tie=${tie}, seq=${seq}) is not after the last popped event (t=${this.lastTime}, tie=${this.lastTie}, seq=${this.lastSeq})`,
      );
    }
    if (this.freeHead < 0) this.grow();
    const rec = this.freeHead;
    this.freeHead = this.rNext[rec]!;
    this.rTime[rec] = time;
    this.rTie[rec] = tie;
    this.rSeq[rec] = seq;
    this.rPayload[rec] = payload;
    this.n++;

    if (time >= this.topStart) {
      this.rNext[rec] = this.topHead;
      this.topHead = rec;
      this.topCount++;
      if (time < this.topMin) this.topMin = time;
      if (time > this.topMax) this.topMax = time;
      return;
    }
    for (let r = 0; r < this.nRungs; r++) {
      const start = this.rungStart[r]!;
      const w = this.rungWidth[r]!;
      if (time >= start + this.rungCur[r]! * w) {
        const b = Math.floor((time - start) / w);
        const heads = this.heads[r]!;
        this.rNext[rec] = heads[b]!;
        heads[b] = rec;
        this.counts[r]![b]!++;
        return;
      }
    }
    this.bottom.push(time, tie, seq, rec);
  }

  /**
   * Removes the earliest event and returns its payload; its key is left in
   * lastTime / lastTie / lastSeq. Throws on an empty queue.
   */
  pop(): number {
    if (this.n === 0) throw new EventOrderError('event queue: pop on empty queue');
    const bottom = this.bottom;
    if (bottom.size === 0) this.refill();
    const rec = bottom.pop();
    const t = bottom.lastTime;
    const k = bottom.lastTie;
    const s = bottom.lastSeq;
    if (t < this.lastTime || (t === this.lastTime && cmpTail(k, s, this.lastTie, this.lastSeq) <= 0)) {
      throw new EventOrderError(
        `event queue: popped (t=${t}, tie=${k}, seq=${s}) does not follow (t=${this.lastTime}, tie=${this.lastTie}, seq=${this.lastSeq}): equal keys or time went backwards`,
      );
    }
    this.lastTime = t;
    this.lastTie = k;
    this.lastSeq = s;
    const p = this.rPayload[rec]!;
    this.rNext[rec] = this.freeHead;
    this.freeHead = rec;
    this.n--;
    return p;
  }

  /** Moves the next non-empty bucket (splitting big ones into finer rungs) into the bottom heap. */
  private refill(): void {
    for (;;) {
      if (this.nRungs === 0) {
        if (this.topCount === 0) throw new EventOrderError('event queue: internal error, no events to refill from');
        this.openTop();
        continue;
      }
      const r = this.nRungs - 1;
      const counts = this.counts[r]!;
      const nb = this.rungBuckets[r]!;
      let b = this.rungCur[r]!;
      while (b < nb && counts[b] === 0) b++;
      if (b === nb) {
        this.rungCur[r] = nb;
        this.nRungs--;
        continue;
      }
      const c = counts[b]!;
      const heads = this.heads[r]!;
      let rec = heads[b]!;
      heads[b] = -1;
      counts[b] = 0;
      this.rungCur[r] = b + 1;
      const w = this.rungWidth[r]!;
      const bucketStart = this.rungStart[r]! + b * w;
      if (c > SPLIT_THRESHOLD && w > 1 && this.nRungs < MAX_RUNGS) {
        const nbChild = c < MAX_BUCKETS ? c : MAX_BUCKETS;
        this.openRung(this.nRungs, bucketStart, Math.ceil(w / nbChild), nbChild, rec);
        this.nRungs++;
        continue;
      }
      const bottom = this.bottom;
      while (rec >= 0) {
        const nx = this.rNext[rec]!;
        bottom.push(this.rTime[rec]!, this.rTie[rec]!, this.rSeq[rec]!, rec);
        rec = nx;
      }
      return;
    }
  }

  /** Opens rung 0 over the Top's events. */
  private openTop(): void {
    const count = this.topCount;
    // About TOP_EVENTS_PER_BUCKET events per bucket: each refill then moves a
    // handful of events into the bottom heap (measured best in the hold model).
    const nb = Math.min(Math.ceil(count / TOP_EVENTS_PER_BUCKET), MAX_BUCKETS);
    const span = this.topMax - this.topMin + 1;
    const w = Math.max(1, Math.ceil(span / nb));
    const start = this.topMin;
    this.openRung(0, start, w, nb, this.topHead);
    this.nRungs = 1;
    // start + nb·w > topMax: every later push at or after topStart goes to a fresh Top.
    this.topStart = start + nb * w;
    this.topHead = -1;
    this.topCount = 0;
    this.topMin = Infinity;
    this.topMax = -Infinity;
  }

  /** Sets up rung r and distributes the list starting at `rec` into its buckets. */
  private openRung(r: number, start: number, w: number, nb: number, rec: number): void {
    if (this.heads[r]!.length < nb) {
      const size = Math.max(nb, this.heads[r]!.length * 2, 64);
      this.heads[r] = new Int32Array(size);
      this.counts[r] = new Int32Array(size);
    }
    const heads = this.heads[r]!;
    const counts = this.counts[r]!;
    heads.fill(-1, 0, nb);
    counts.fill(0, 0, nb);
    this.rungStart[r] = start;
    this.rungWidth[r] = w;
    this.rungBuckets[r] = nb;
    this.rungCur[r] = 0;
    const next = this.rNext;
    const time = this.rTime;
    while (rec >= 0) {
      const nx = next[rec]!;
      const b = Math.floor((time[rec]! - start) / w);
      next[rec] = heads[b]!;
      heads[b] = rec;
      counts[b]!++;
      rec = nx;
    }
  }

  private linkFree(from: number, to: number): void {
    // Lowest ids first on the free list.
    for (let i = to - 1; i >= from; i--) {
      this.rNext[i] = this.freeHead;
      this.freeHead = i;
    }
  }

  private grow(): void {
    const old = this.rTime.length;
    const cap = Math.min(old * 2, this.maxPending);
    const time = new Float64Array(cap);
    const tie = new Uint32Array(cap);
    const seq = new Uint32Array(cap);
    const payload = new Int32Array(cap);
    const next = new Int32Array(cap);
    time.set(this.rTime);
    tie.set(this.rTie);
    seq.set(this.rSeq);
    payload.set(this.rPayload);
    next.set(this.rNext);
    this.rTime = time;
    this.rTie = tie;
    this.rSeq = seq;
    this.rPayload = payload;
    this.rNext = next;
    this.linkFree(old, cap);
  }
}
