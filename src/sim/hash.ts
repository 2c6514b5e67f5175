/**
 * The trace hash: a rolling hash over every processed event, kept as one
 * lane per destination node (plus one lane for run-level events). A node's
 * events are processed in the same order whatever the shard layout, so the
 * lanes, folded in node-id order at the end, give a shard-independent hash.
 * Two independent 32-bit lanes (murmur3-style rounds) give 64 bits, printed
 * as 16 hex characters.
 */
import type { Micros } from './time.js';

const TWO_32 = 0x1_0000_0000;

function roundA(h: number, k: number): number {
  k = Math.imul(k, 0xcc9e2d51);
  k = (k << 15) | (k >>> 17);
  k = Math.imul(k, 0x1b873593);
  h ^= k;
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}

function roundB(h: number, k: number): number {
  k = Math.imul(k, 0x85ebca6b);
  k = (k << 13) | (k >>> 19);
  k = Math.imul(k, 0xc2b2ae35);
  h ^= k;
  h = (h << 17) | (h >>> 15);
  return (Math.imul(h, 9) + 0x7f4a7c15) | 0;
}

function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

function hex(v: number): string {
  return fmix(v).toString(16).padStart(8, '0');
}

/** The raw state of a hasher's lanes (structured-clone friendly). */
export interface TraceLanes {
  a: Int32Array;
  b: Int32Array;
  count: Float64Array;
}

export class TraceHasher {
  private readonly a: Int32Array;
  private readonly b: Int32Array;
  private readonly count: Float64Array;

  /** `lanes` = node count + 1; the last lane is for run-level events. */
  constructor(lanes: number) {
    this.a = new Int32Array(lanes).fill(0x2545f491);
    this.b = new Int32Array(lanes).fill(0x6a09e667);
    this.count = new Float64Array(lanes);
  }

  /** Folds one processed event into its lane. */
  mix(lane: number, time: Micros, tie: number, seq: number, x: number): void {
    const lo = time % TWO_32 | 0;
    const hi = (time / TWO_32) | 0;
    let a = this.a[lane]!;
    let b = this.b[lane]!;
    a = roundA(a, lo);
    b = roundB(b, lo);
    a = roundA(a, hi);
    b = roundB(b, tie);
    a = roundA(a, tie);
    b = roundB(b, seq);
    a = roundA(a, seq);
    b = roundB(b, x);
    a = roundA(a, x);
    b = roundB(b, hi);
    this.a[lane] = a;
    this.b[lane] = b;
    this.count[lane]!++;
  }

  /** A copy of every lane (for merging the lanes of the shards of one run). */
  exportLanes(): TraceLanes {
    return { a: this.a.slice(), b: this.b.slice(), count: this.count.slice() };
  }

  /**
   * Takes every lane that has events in `lanes` (another shard's hasher of the
   * same run). A lane belongs to one shard, so no lane is ever taken twice.
   */
  absorb(lanes: TraceLanes): void {
    if (lanes.a.length !== this.a.length) {
      throw new RangeError(`trace hash: cannot merge ${lanes.a.length} lanes into ${this.a.length}`);
    }
    for (let i = 0; i < this.a.length; i++) {
      const c = lanes.count[i]!;
      if (c === 0) continue;
      if (this.count[i]! !== 0) throw new RangeError(`trace hash: lane ${i} has events in two shards`);
      this.a[i] = lanes.a[i]!;
      this.b[i] = lanes.b[i]!;
      this.count[i] = c;
    }
  }

  /** The 16-hex-character digest over all lanes in id order. */
  digest(): string {
    let h1 = 0x3c6ef372;
    let h2 = 0x510e527f;
    for (let i = 0; i < this.a.length; i++) {
      const c = this.count[i]!;
      if (c === 0) continue; // lanes with no events do not depend on the layout either
      h1 = roundA(h1, i);
      h1 = roundA(h1, this.a[i]!);
      h1 = roundA(h1, this.b[i]!);
      h1 = roundA(h1, c % TWO_32 | 0);
      h2 = roundB(h2, i);
      h2 = roundB(h2, this.b[i]!);
      h2 = roundB(h2, this.a[i]!);
      h2 = roundB(h2, (c / TWO_32) | 0);
    }
    return hex(h1) + hex(h2 ^ h1);
  }
}
