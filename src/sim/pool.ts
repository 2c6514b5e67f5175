/**
 * Pooled event payload records ("slots"): one slot carries a message from
 * send to processing (arrival event, CPU queue, process event), or a timer,
 * a client request or a fault. Fields are parallel typed arrays indexed by
 * slot; freed slots go on a free list, so the hot path allocates nothing.
 */

/** Slot ids stay below 2^25, so (generation, slot) fits a safe integer handle. */
export const MAX_SLOTS = 1 << 25;
const GEN_MASK = 0x0fff_ffff;

export const FLAG_TIMER = 1;
export const FLAG_CANCELLED = 2;

export class SlotPool {
  /** The message / client request / fault object. */
  obj: unknown[] = [];
  /** Sender (messages), owner (timers), source index (clients). */
  from: Int32Array;
  sizeBytes: Float64Array;
  costUs: Float64Array;
  /** Ready time (message waiting for the CPU). */
  readyAt: Float64Array;
  /** Timer tag. */
  tag: Float64Array;
  /** Next slot in a node's CPU queue (-1 = none). */
  next: Int32Array;
  /** Owner node's epoch when the slot was scheduled (crash discards stale slots). */
  epoch: Uint32Array;
  /** Incremented on every release: stale handles never match. */
  gen: Uint32Array;
  flags: Uint8Array;
  private free: Int32Array;
  private freeTop = 0;
  private capacity: number;
  live = 0;

  constructor(initialCapacity = 1024) {
    this.capacity = initialCapacity;
    this.from = new Int32Array(initialCapacity);
    this.sizeBytes = new Float64Array(initialCapacity);
    this.costUs = new Float64Array(initialCapacity);
    this.readyAt = new Float64Array(initialCapacity);
    this.tag = new Float64Array(initialCapacity);
    this.next = new Int32Array(initialCapacity);
    this.epoch = new Uint32Array(initialCapacity);
    this.gen = new Uint32Array(initialCapacity);
    this.flags = new Uint8Array(initialCapacity);
    this.free = new Int32Array(initialCapacity);
    // Hand out low slots first (deterministic, cache-friendly).
    for (let i = 0; i < initialCapacity; i++) this.free[i] = initialCapacity - 1 - i;
    this.freeTop = initialCapacity;
    // Filled, not `length =`: a packed array stays in fast mode.
    for (let i = 0; i < initialCapacity; i++) this.obj.push(undefined);
  }

  get size(): number {
    return this.capacity;
  }

  alloc(): number {
    if (this.freeTop === 0) this.grow();
    const s = this.free[--this.freeTop]!;
    this.flags[s] = 0;
    this.next[s] = -1;
    this.live++;
    return s;
  }

  release(s: number): void {
    this.obj[s] = undefined;
    this.gen[s] = (this.gen[s]! + 1) & GEN_MASK;
    this.flags[s] = 0;
    this.free[this.freeTop++] = s;
    this.live--;
  }

  /** Opaque, never-reused-while-live handle for a slot (>= 1). */
  handleOf(s: number): number {
    return this.gen[s]! * MAX_SLOTS + s + 1;
  }

  /** The slot a handle names if it is still the same allocation, else -1. */
  slotOfHandle(h: number): number {
    if (!Number.isSafeInteger(h) || h < 1) return -1;
    const s = (h - 1) % MAX_SLOTS;
    const g = Math.floor((h - 1) / MAX_SLOTS);
    if (s >= this.capacity || this.gen[s] !== g) return -1;
    return s;
  }

  private grow(): void {
    const old = this.capacity;
    const cap = Math.min(old * 2, MAX_SLOTS);
    if (cap === old) throw new RangeError(`slot pool: more than ${MAX_SLOTS} live event payloads`);
    const grow32 = (a: Int32Array): Int32Array => {
      const b = new Int32Array(cap);
      b.set(a);
      return b;
    };
    const growF = (a: Float64Array): Float64Array => {
      const b = new Float64Array(cap);
      b.set(a);
      return b;
    };
    const growU = (a: Uint32Array): Uint32Array => {
      const b = new Uint32Array(cap);
      b.set(a);
      return b;
    };
    this.from = grow32(this.from);
    this.sizeBytes = growF(this.sizeBytes);
    this.costUs = growF(this.costUs);
    this.readyAt = growF(this.readyAt);
    this.tag = growF(this.tag);
    this.next = grow32(this.next);
    this.epoch = growU(this.epoch);
    this.gen = growU(this.gen);
    const flags = new Uint8Array(cap);
    flags.set(this.flags);
    this.flags = flags;
    const free = new Int32Array(cap);
    // All old slots are live (the free list was empty); new slots are free.
    for (let i = 0; i < cap - old; i++) free[i] = cap - 1 - i;
    this.free = free;
    this.freeTop = cap - old;
    for (let i = old; i < cap; i++) this.obj.push(undefined);
    this.capacity = cap;
  }
}
