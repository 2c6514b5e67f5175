/**
 * CPU model: each node is one FIFO service queue. A message becomes ready
 * when its last byte has come through the downlink; its service starts at
 * max(ready, CPU free, end of pause) and lasts its cost (from the
 * MessageModel); the node's handler runs when the service completes.
 * `charge` adds local work (block building, signing) and delays what follows.
 *
 * Measured per node: busy time (utilisation = busy / elapsed), the sum of
 * queueing delays (service start − ready), messages processed, and the
 * longest queue seen. Queues are linked lists through the slot pool, so a
 * node's queue costs nothing until it holds messages.
 *
 * Timers and client requests do not wait in this queue (they preempt, like an
 * interrupt); work they charge still delays the message in service.
 */
import type { Micros } from './time.js';
import type { SlotPool } from './pool.js';

export class CpuModel {
  readonly busyUs: Float64Array;
  readonly queueDelayUsSum: Float64Array;
  readonly processed: Float64Array;
  readonly maxQueueLength: Int32Array;
  /** When the CPU has finished all work started or charged so far. */
  readonly freeAt: Float64Array;
  /** Time to add to the completion of the message in service (charges and pauses during it). */
  readonly deferUs: Float64Array;
  readonly pausedUntil: Float64Array;
  /** 1 while a message is in service (its completion event is pending). */
  readonly inService: Uint8Array;
  private readonly head: Int32Array;
  private readonly tail: Int32Array;
  readonly length: Int32Array;

  constructor(nodeCount: number, private readonly pool: SlotPool) {
    this.busyUs = new Float64Array(nodeCount);
    this.queueDelayUsSum = new Float64Array(nodeCount);
    this.processed = new Float64Array(nodeCount);
    this.maxQueueLength = new Int32Array(nodeCount);
    this.freeAt = new Float64Array(nodeCount);
    this.deferUs = new Float64Array(nodeCount);
    this.pausedUntil = new Float64Array(nodeCount);
    this.inService = new Uint8Array(nodeCount);
    this.head = new Int32Array(nodeCount).fill(-1);
    this.tail = new Int32Array(nodeCount).fill(-1);
    this.length = new Int32Array(nodeCount);
  }

  /** Appends a ready message (readyAt must not decrease per node: downlink order guarantees it). */
  enqueue(n: number, slot: number, readyAt: Micros, costUs: Micros): void {
    const pool = this.pool;
    pool.readyAt[slot] = readyAt;
    pool.costUs[slot] = costUs;
    pool.next[slot] = -1;
    const t = this.tail[n]!;
    if (t < 0) this.head[n] = slot;
    else pool.next[t] = slot;
    this.tail[n] = slot;
    const len = ++this.length[n]!;
    if (len > this.maxQueueLength[n]!) this.maxQueueLength[n] = len;
  }

  /**
   * If idle and a message is queued, starts it: returns the slot taken from the
   * queue and leaves its completion time in `startedEnd`; returns -1 otherwise.
   */
  startNext(n: number): number {
    if (this.inService[n] === 1) return -1;
    const slot = this.head[n]!;
    if (slot < 0) return -1;
    const pool = this.pool;
    const nx = pool.next[slot]!;
    this.head[n] = nx;
    if (nx < 0) this.tail[n] = -1;
    this.length[n]!--;
    const ready = pool.readyAt[slot]!;
    const free = this.freeAt[n]!;
    const paused = this.pausedUntil[n]!;
    let start = ready > free ? ready : free;
    if (paused > start) start = paused;
    const cost = pool.costUs[slot]!;
    const end = start + cost;
    this.queueDelayUsSum[n]! += start - ready;
    this.busyUs[n]! += cost;
    this.freeAt[n] = end;
    this.inService[n] = 1;
    this.startedEnd = end;
    return slot;
  }

  /** Completion time of the message last started by startNext. */
  startedEnd: Micros = 0;

  /** The in-service message completed (its handler is about to run). */
  complete(n: number): void {
    this.inService[n] = 0;
    this.processed[n]!++;
  }

  /** Local work charged at `now`. */
  charge(n: number, now: Micros, us: Micros): void {
    this.busyUs[n]! += us;
    if (this.inService[n] === 1) {
      // The message in service is interrupted by this work: it completes later.
      this.deferUs[n]! += us;
      this.freeAt[n]! += us;
    } else {
      const free = this.freeAt[n]!;
      this.freeAt[n] = (free > now ? free : now) + us;
    }
  }

  /** Freezes the node from `now` to `until` (SIGSTOP): work in progress resumes after. */
  pause(n: number, now: Micros, until: Micros): void {
    const from = this.pausedUntil[n]! > now ? this.pausedUntil[n]! : now;
    const ext = until - from;
    if (ext <= 0) return;
    this.pausedUntil[n] = until;
    if (this.inService[n] === 1) this.deferUs[n]! += ext;
    if (this.freeAt[n]! > now) this.freeAt[n]! += ext;
  }

  /** Takes the pending deferral of the message in service (0 if none). */
  takeDefer(n: number): Micros {
    const d = this.deferUs[n]!;
    this.deferUs[n] = 0;
    return d;
  }

  /** Crash: empties the queue, calling `drop` on each queued slot; the CPU is idle from `now`. */
  reset(n: number, now: Micros, drop: (slot: number) => void): void {
    let s = this.head[n]!;
    while (s >= 0) {
      const nx = this.pool.next[s]!;
      drop(s);
      s = nx;
    }
    this.head[n] = -1;
    this.tail[n] = -1;
    this.length[n] = 0;
    this.inService[n] = 0;
    this.deferUs[n] = 0;
    this.pausedUntil[n] = 0;
    this.freeAt[n] = now;
  }
}
