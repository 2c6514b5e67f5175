/**
 * The message hot path's priority queue: a ladder queue (Tang, Goh & Thng,
 * "Ladder queue: an O(1) priority queue structure for large-scale discrete
 * event simulation", ACM TOMACS 2005) over flat typed arrays. No object is
 * allocated per event.
 *
 *  - Records: one interleaved buffer, 24 bytes per event (time f64, tie u32,
 *    seq u32, payload i32), so touching an event costs one cache line rather
 *    than one per field; list links live in a separate dense array.
 *  - Top: an unsorted list of far-future events (time >= topStart).
 *  - Rungs: bucket arrays; rung 0 spans the Top's range when it is opened,
 *    and a bucket with more than RUN_MAX events is opened as a finer rung.
 *    Buckets are unsorted linked lists. Bucket widths are powers of two, so
 *    the bucket of a time is an exact multiplication (no division, no
 *    rounding at bucket edges).
 *  - Bottom: the events of the current (finest) bucket and anything pushed
 *    below it; every event in it is earlier than every event elsewhere. A
 *    refilled bucket of up to RUN_MAX events is sorted once (insertion sort
 *    when small, else a counting sort on the time, then an insertion sort
 *    inside each slot shared by several events) into a "sorted run" that pops
 *    in O(1). Measured in the hold model, this sort is where most of the
 *    queue's time goes; a heap bottom cost more. The rare push below the
 *    current bucket is inserted into the run. A bigger bottom (many events at
 *    one instant) lives in a 4-ary heap (flat-heap.ts) instead.
 * Push and pop cost O(1) amortised for the usual simulation distributions, and
 * O(log n) at worst (many events at one instant all land in the bottom heap).
 *
 * Total order: (time, tie, seq) with tie = kind << 28 | dst << 14 | src
 * (event-order.ts). Checked at run time: two events never compare equal (the
 * sort and the bottom heap throw when they meet equal keys, and every pop must
 * be strictly after the previous pop, which also catches equal keys that never
 * met), and time never goes backwards (a push at or before the last popped key
 * throws).
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
const MAX_BUCKETS = 1 << 20;
const TOP_EVENTS_PER_BUCKET = 16;
/** A refilled bucket up to this size is sorted by insertion alone. */
const SMALL_BUCKET = 16;
/**
 * A refilled bucket up to this size is sorted (counting sort on the time, then
 * an insertion pass) into the sorted run; a bigger one is opened as a finer
 * rung, or, when it cannot be split (one instant, or no rung left), goes to
 * the bottom heap.
 */
const RUN_MAX = 2048;
/** Capacity of the sorted run; a push that would overflow it moves the run into the bottom heap. */
const RUN_CAP = 2 * RUN_MAX;
/**
 * A run of at least RUN_SPAWN events whose inserts since it was filled have
 * moved more than SPAWN_MOVES times its length in entries is spread over a
 * finer rung (spawnFromRun) before the next push into it: spreading costs
 * about one move per event, so it pays once inserts cost several. A run that
 * takes few pushes (the hold model's) is never spread; spreading every run
 * of 128 events regardless cost the hold model 12 %.
 */
const RUN_SPAWN = 64;
const SPAWN_MOVES = 8;
/** Target events per bucket of a rung spawned from the run (measured on a 1,000-node run's recorded pushes and pops: 1 to 4 alike, 16 slower). */
const SPAWN_EVENTS_PER_BUCKET = 4;
/** Target events per bucket of a finer rung opened by a split. */
const CHILD_EVENTS_PER_BUCKET = RUN_MAX / 4;

/** Record layout, in 4-byte words: time (f64) at 0-1, tie 2, seq 3, payload 4, 5 unused. */
const REC_WORDS = 6;
const W_TIE = 2;
const W_SEQ = 3;
const W_PAYLOAD = 4;

function equalKeys(t: number, k: number, s: number): never {
  throw new EventOrderError(`event queue: two events with the same key (t=${t}, tie=${k}, seq=${s})`);
}

/** Smallest power of two >= x (x >= 1). */
function pow2AtLeast(x: number): number {
  let w = 2 ** Math.max(0, Math.ceil(Math.log2(x)));
  while (w < x) w *= 2; // log2 may round down
  return w;
}

export class EventQueue {
  // Event records, indexed by record id, as three views of one buffer:
  // f64[3·rec] = time; u32[6·rec + W_*] = tie, seq, payload (as i32).
  private f64: Float64Array;
  private u32: Uint32Array;
  private i32: Int32Array;
  /**
   * Links of buckets, the top list and the free list, kept apart from the
   * records: walking a list then touches a small dense array, and the record
   * loads of successive steps do not wait on each other.
   */
  private next: Int32Array;
  private cap: number;
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
  /** 1 / width, exact because widths are powers of two. */
  private readonly rungInv = new Float64Array(MAX_RUNGS);
  private readonly rungBuckets = new Int32Array(MAX_RUNGS);
  private readonly rungCur = new Int32Array(MAX_RUNGS);
  /** Per rung, interleaved [head, count] per bucket. */
  private readonly buckets: Int32Array[] = [];

  // Bottom: a sorted run (descending, next to pop at runLen - 1) or, when big, a heap.
  // At most one of the two is non-empty.
  private readonly run = new Int32Array(RUN_CAP);
  private readonly runTime = new Float64Array(RUN_CAP);
  private runLen = 0;
  /** Entries moved by inserts into the run since it was last filled or spread. */
  private runMoves = 0;
  // Scratch for the counting sort.
  private readonly sortRec = new Int32Array(RUN_MAX);
  private readonly sortSlot = new Int32Array(RUN_MAX);
  private readonly sortCount = new Int32Array(RUN_MAX);
  private readonly sortGroups = new Int32Array(RUN_MAX + 1);
  private readonly sortGroupLen = new Int32Array(RUN_MAX + 1);
  private readonly heap = new FlatHeap(256);
  private heapPushCount = 0;

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
    const buf = new ArrayBuffer(cap * REC_WORDS * 4);
    this.f64 = new Float64Array(buf);
    this.u32 = new Uint32Array(buf);
    this.i32 = new Int32Array(buf);
    this.next = new Int32Array(cap);
    this.cap = cap;
    this.linkFree(0, cap);
    for (let r = 0; r < MAX_RUNGS; r++) this.buckets.push(new Int32Array(0));
  }

  get size(): number {
    return this.n;
  }

  /** Events that went through the bottom heap so far (it should hold only many events at one instant): for tests and benches. */
  get heapPushes(): number {
    return this.heapPushCount;
  }

  isFull(): boolean {
    return this.n >= this.maxPending;
  }

  /** Time of the earliest event; only valid when size > 0. */
  peekTime(): Micros {
    if (this.runLen > 0) return this.runTime[this.runLen - 1]!;
    if (this.heap.size === 0) this.refill();
    if (this.runLen > 0) return this.runTime[this.runLen - 1]!;
    return this.heap.peekTime();
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
    const i32 = this.i32;
    const w = rec * REC_WORDS;
    const next = this.next;
    this.freeHead = next[rec]!;
    this.f64[rec * 3] = time;
    const u32 = this.u32;
    u32[w + W_TIE] = tie;
    u32[w + W_SEQ] = seq;
    i32[w + W_PAYLOAD] = payload;
    this.n++;

    if (time >= this.topStart) {
      next[rec] = this.topHead;
      this.topHead = rec;
      this.topCount++;
      if (time < this.topMin) this.topMin = time;
      if (time > this.topMax) this.topMax = time;
      return;
    }
    const nRungs = this.nRungs;
    const rungStart = this.rungStart;
    const rungWidth = this.rungWidth;
    const rungCur = this.rungCur;
    for (let r = 0; r < nRungs; r++) {
      const start = rungStart[r]!;
      if (time >= start + rungCur[r]! * rungWidth[r]!) {
        const b2 = Math.floor((time - start) * this.rungInv[r]!) << 1;
        const bk = this.buckets[r]!;
        next[rec] = bk[b2]!;
        bk[b2] = rec;
        bk[b2 + 1]!++;
        return;
      }
    }
    this.pushBottom(rec, time);
  }

  /**
   * Removes the earliest event and returns its payload; its key is left in
   * lastTime / lastTie / lastSeq. Throws on an empty queue.
   */
  pop(): number {
    let len = this.runLen;
    if (len === 0) {
      if (this.heap.size > 0) return this.popHeap();
      if (this.n === 0) throw new EventOrderError('event queue: pop on empty queue');
      this.refill();
      len = this.runLen;
      if (len === 0) return this.popHeap();
    }
    len--;
    this.runLen = len;
    const rec = this.run[len]!;
    const t = this.runTime[len]!;
    const w = rec * REC_WORDS;
    const i32 = this.i32;
    const u32 = this.u32;
    const k = u32[w + W_TIE]!;
    const s = u32[w + W_SEQ]!;
    if (t <= this.lastTime) this.checkAfterLast(t, k, s);
    this.lastTime = t;
    this.lastTie = k;
    this.lastSeq = s;
    const p = i32[w + W_PAYLOAD]!;
    this.next[rec] = this.freeHead;
    this.freeHead = rec;
    this.n--;
    return p;
  }

  private popHeap(): number {
    const heap = this.heap;
    const rec = heap.pop();
    const t = heap.lastTime;
    const k = heap.lastTie;
    const s = heap.lastSeq;
    if (t <= this.lastTime) this.checkAfterLast(t, k, s);
    this.lastTime = t;
    this.lastTie = k;
    this.lastSeq = s;
    const w = rec * REC_WORDS;
    const p = this.i32[w + W_PAYLOAD]!;
    this.next[rec] = this.freeHead;
    this.freeHead = rec;
    this.n--;
    return p;
  }

  /** The popped key (t <= lastTime) must still be strictly after the last popped key. */
  private checkAfterLast(t: number, k: number, s: number): void {
    if (t < this.lastTime || cmpTail(k, s, this.lastTie, this.lastSeq) <= 0) {
      throw new EventOrderError(
        `event queue: popped (t=${t}, tie=${k}, seq=${s}) does not follow (t=${this.lastTime}, tie=${this.lastTie}, seq=${this.lastSeq}): equal keys or time went backwards`,
      );
    }
  }

  /**
   * An event below the finest rung's current bucket: into the sorted run, or
   * the heap if that is in use. A run whose inserts have grown costly
   * (RUN_SPAWN, SPAWN_MOVES) is first spread, with the new event, over a
   * finer rung (the ladder queue's bottom-to-rung spawn), so the bottom stays
   * small: without it a wide
   * bucket (the first Top's buckets span seconds) kept every push of its
   * span in the bottom, which then overflowed into the heap for good (the
   * whole of a 1,000-node run's events went through a 60,000-entry heap).
   * The heap remains for what cannot be spread: one instant, or no rung left.
   */
  private pushBottom(rec: number, time: number): void {
    if (this.heap.size > 0) {
      this.heapPush(rec);
      return;
    }
    if (this.runLen >= RUN_SPAWN && this.runMoves > SPAWN_MOVES * this.runLen && this.spawnFromRun(rec, time)) return;
    if (this.runLen === RUN_CAP) {
      this.runToHeap();
      this.heapPush(rec);
      return;
    }
    this.runInsert(rec, time);
  }

  private heapPush(rec: number): void {
    this.heapPushCount++;
    const w = rec * REC_WORDS;
    this.heap.push(this.f64[rec * 3]!, this.u32[w + W_TIE]!, this.u32[w + W_SEQ]!, rec);
  }

  private runToHeap(): void {
    for (let i = 0; i < this.runLen; i++) this.heapPush(this.run[i]!);
    this.runLen = 0;
  }

  /** Inserts into the descending run: shifts the later-to-pop... earlier keys toward the end. */
  private runInsert(rec: number, t: number): void {
    const run = this.run;
    const runTime = this.runTime;
    const u32 = this.u32;
    const w = rec * REC_WORDS;
    const k = u32[w + W_TIE]!;
    const s = u32[w + W_SEQ]!;
    let j = this.runLen - 1;
    // Move every entry with a smaller key (nearer the end) one place up.
    while (j >= 0) {
      const jt = runTime[j]!;
      if (jt > t) break;
      if (jt === t) {
        const jw = run[j]! * REC_WORDS;
        const jk = u32[jw + W_TIE]!;
        if (jk > k) break;
        if (jk === k) {
          const js = u32[jw + W_SEQ]!;
          if (js > s) break;
          if (js === s) equalKeys(t, k, s);
        }
      }
      run[j + 1] = run[j]!;
      runTime[j + 1] = jt;
      j--;
    }
    run[j + 1] = rec;
    runTime[j + 1] = t;
    this.runMoves += this.runLen - 1 - j;
    this.runLen++;
  }

  /**
   * Spreads the run and `rec` over a new finest rung ending where the bottom
   * ends (the finest rung's current bucket end E), with about
   * SPAWN_EVENTS_PER_BUCKET events per bucket; false (nothing moved) when no
   * rung is left or the span is one instant. Every event of the bottom is
   * in [its earliest time, E), so the new rung covers them all, and a later
   * push below E goes to it (or, below its current bucket, to the bottom).
   */
  private spawnFromRun(rec: number, time: number): boolean {
    const f = this.nRungs - 1;
    if (f < 0 || this.nRungs >= MAX_RUNGS) return false;
    const end = this.rungStart[f]! + this.rungCur[f]! * this.rungWidth[f]!;
    const runLen = this.runLen;
    const earliest = this.runTime[runLen - 1]!;
    const lo = time < earliest ? time : earliest;
    const span = end - lo;
    if (span <= 1) return false;
    let w = pow2AtLeast(span / Math.ceil((runLen + 1) / SPAWN_EVENTS_PER_BUCKET));
    while (Math.ceil(span / w) > MAX_BUCKETS) w *= 2;
    const nb = Math.ceil(span / w);
    // Link the run and rec into one list for openRung.
    const next = this.next;
    const run = this.run;
    next[rec] = -1;
    let head = rec;
    for (let i = 0; i < runLen; i++) {
      const r = run[i]!;
      next[r] = head;
      head = r;
    }
    this.runLen = 0;
    this.runMoves = 0;
    this.openRung(this.nRungs, end - nb * w, w, nb, head);
    this.nRungs++;
    return true;
  }

  /** Moves the next non-empty bucket (splitting big ones into finer rungs) into the bottom. */
  private refill(): void {
    this.runMoves = 0;
    const next = this.next;
    for (;;) {
      if (this.nRungs === 0) {
        if (this.topCount === 0) throw new EventOrderError('event queue: internal error, no events to refill from');
        this.openTop();
        continue;
      }
      const r = this.nRungs - 1;
      const bk = this.buckets[r]!;
      const nb = this.rungBuckets[r]!;
      let b = this.rungCur[r]!;
      while (b < nb && bk[2 * b + 1] === 0) b++;
      if (b === nb) {
        this.rungCur[r] = nb;
        this.nRungs--;
        continue;
      }
      const c = bk[2 * b + 1]!;
      let rec = bk[2 * b]!;
      bk[2 * b] = -1;
      bk[2 * b + 1] = 0;
      this.rungCur[r] = b + 1;
      const w = this.rungWidth[r]!;
      if (c <= SMALL_BUCKET) {
        // Insertion sort into the (empty) run: a handful of events.
        while (rec >= 0) {
          const nx = next[rec]!;
          this.runInsert(rec, this.f64[rec * 3]!);
          rec = nx;
        }
        return;
      }
      const bucketStart = this.rungStart[r]! + b * w;
      if (c <= RUN_MAX) {
        this.sortIntoRun(rec, c, bucketStart, w);
        return;
      }
      if (w > 1 && this.nRungs < MAX_RUNGS) {
        // Child width: a power of two below w, about CHILD_EVENTS_PER_BUCKET events per bucket.
        const wc = pow2AtLeast((w * CHILD_EVENTS_PER_BUCKET) / Math.min(c, MAX_BUCKETS));
        this.openRung(this.nRungs, bucketStart, wc, w / wc, rec);
        this.nRungs++;
        continue;
      }
      while (rec >= 0) {
        const nx = next[rec]!;
        this.heapPush(rec);
        rec = nx;
      }
      return;
    }
  }

  /**
   * Sorts the c (<= RUN_MAX) events of the list at `rec`, all in
   * [start, start + w), into the empty run: a counting sort on the time into
   * power-of-two slots (as many as events, at most w), then an insertion sort
   * on the full key inside each slot holding several events.
   */
  private sortIntoRun(rec: number, c: number, start: number, w: number): void {
    const next = this.next;
    const f64 = this.f64;
    const u32 = this.u32;
    const sortRec = this.sortRec;
    const sortSlot = this.sortSlot;
    const count = this.sortCount;
    let slots = pow2AtLeast(c);
    if (slots > w) slots = w;
    const inv = slots / w; // exact: both powers of two
    count.fill(0, 0, slots);
    for (let i = 0; rec >= 0; i++) {
      const t = f64[rec * 3]!;
      const sl = Math.floor((t - start) * inv);
      sortRec[i] = rec;
      sortSlot[i] = sl;
      count[sl]!++;
      rec = next[rec]!;
    }
    // Ascending position of each slot's first event; and, without a branch,
    // the list of slots holding two events or more (only they need comparing).
    const groups = this.sortGroups;
    const groupLen = this.sortGroupLen;
    let nGroups = 0;
    let sum = 0;
    for (let sl = 0; sl < slots; sl++) {
      const x = count[sl]!;
      count[sl] = sum;
      sum += x;
      groups[nGroups] = sl;
      groupLen[nGroups] = x;
      nGroups += (1 - x) >>> 31; // 1 when x >= 2
    }
    // The run is descending: ascending position a goes to index c - 1 - a.
    const run = this.run;
    const runTime = this.runTime;
    const top = c - 1;
    for (let i = 0; i < c; i++) {
      const sl = sortSlot[i]!;
      const j = top - count[sl]!++;
      run[j] = sortRec[i]!;
      runTime[j] = f64[sortRec[i]! * 3]!; // a warm line again: read just above
    }
    // Within each shared slot (after placing, count[sl] is the slot's end
    // ascending; run indices lo..hi), an insertion sort on the full key.
    for (let g = 0; g < nGroups; g++) {
      const lo = top - count[groups[g]!]! + 1;
      const hi = lo + groupLen[g]! - 1;
      for (let a = hi - 1; a >= lo; a--) {
        const x = run[a]!;
        const t = runTime[a]!;
        const xw = x * REC_WORDS;
        const k = u32[xw + W_TIE]!;
        const s = u32[xw + W_SEQ]!;
        let j = a + 1;
        while (j <= hi) {
          const jt = runTime[j]!;
          if (jt < t) break;
          if (jt === t) {
            const jw = run[j]! * REC_WORDS;
            const jk = u32[jw + W_TIE]!;
            if (jk < k) break;
            if (jk === k) {
              const js = u32[jw + W_SEQ]!;
              if (js < s) break;
              if (js === s) equalKeys(t, k, s);
            }
          }
          run[j - 1] = run[j]!;
          runTime[j - 1] = jt;
          j++;
        }
        run[j - 1] = x;
        runTime[j - 1] = t;
      }
    }
    this.runLen = c;
  }

  /** Opens rung 0 over the Top's events. */
  private openTop(): void {
    const count = this.topCount;
    // About TOP_EVENTS_PER_BUCKET events per bucket: each refill then sorts a
    // handful of events into the bottom (measured best in the hold model).
    const nbTarget = Math.min(Math.ceil(count / TOP_EVENTS_PER_BUCKET), MAX_BUCKETS);
    const span = this.topMax - this.topMin + 1;
    let w = pow2AtLeast(span / nbTarget);
    while (Math.ceil(span / w) > MAX_BUCKETS) w *= 2;
    const nb = Math.ceil(span / w);
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

  /** Sets up rung r (width w, a power of two) and distributes the list starting at `rec` into its buckets. */
  private openRung(r: number, start: number, w: number, nb: number, rec: number): void {
    if (this.buckets[r]!.length < 2 * nb) {
      this.buckets[r] = new Int32Array(2 * Math.max(nb, this.buckets[r]!.length, 64));
    }
    const bk = this.buckets[r]!;
    for (let i = 0; i < 2 * nb; i += 2) {
      bk[i] = -1;
      bk[i + 1] = 0;
    }
    const inv = 1 / w;
    this.rungStart[r] = start;
    this.rungWidth[r] = w;
    this.rungInv[r] = inv;
    this.rungBuckets[r] = nb;
    this.rungCur[r] = 0;
    const next = this.next;
    const f64 = this.f64;
    while (rec >= 0) {
      const nx = next[rec]!;
      const b2 = Math.floor((f64[rec * 3]! - start) * inv) << 1;
      next[rec] = bk[b2]!;
      bk[b2] = rec;
      bk[b2 + 1]!++;
      rec = nx;
    }
  }

  private linkFree(from: number, to: number): void {
    // Lowest ids first on the free list.
    const next = this.next;
    for (let i = to - 1; i >= from; i--) {
      next[i] = this.freeHead;
      this.freeHead = i;
    }
  }

  private grow(): void {
    const old = this.cap;
    const cap = Math.min(old * 2, this.maxPending);
    const buf = new ArrayBuffer(cap * REC_WORDS * 4);
    const f64 = new Float64Array(buf);
    f64.set(this.f64);
    this.f64 = f64;
    this.u32 = new Uint32Array(buf);
    this.i32 = new Int32Array(buf);
    const next = new Int32Array(cap);
    next.set(this.next);
    this.next = next;
    this.cap = cap;
    this.linkFree(old, cap);
  }
}
