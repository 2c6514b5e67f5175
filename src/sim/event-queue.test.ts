import { describe, expect, it } from 'vitest';
import { EventOrderError, EventQueue, EventQueueFullError, packTie } from './event-queue.js';
import { tieDst, tieKind, tieSrc } from './event-order.js';
import { createStream } from './rng.js';

interface Key {
  t: number;
  kind: number;
  dst: number;
  src: number;
  seq: number;
}

function cmp(a: Key, b: Key): number {
  return a.t - b.t || a.kind - b.kind || a.dst - b.dst || a.src - b.src || a.seq - b.seq;
}

describe('EventQueue (ladder queue over a 4-ary heap)', () => {
  it('packs and unpacks the tie key', () => {
    const tie = packTie(4, 16382, 16383);
    expect([tieKind(tie), tieDst(tie), tieSrc(tie)]).toEqual([4, 16382, 16383]);
    expect(packTie(15, 0, 0)).toBe(0xf000_0000); // stays unsigned
  });

  it('pops in (time, kind, dst, src, seq) order, matching a sorted reference, across growth and refills', () => {
    const rng = createStream(3, 0, 'workload');
    const q = new EventQueue({ maxPending: 100_000, initialCapacity: 16 });
    const keys: Key[] = [];
    let seq = 0;
    // Many equal times so ties are broken by kind, dst, src and seq.
    for (let i = 0; i < 20_000; i++) {
      const k = { t: rng.int(500), kind: rng.int(5), dst: rng.int(4), src: rng.int(4), seq: seq++ };
      keys.push(k);
      q.push(k.t, packTie(k.kind, k.dst, k.src), k.seq, i);
    }
    const popped: Key[] = [];
    while (q.size > 0) popped.push(keys[q.pop()]!);
    keys.sort(cmp);
    expect(popped).toEqual(keys);
  });

  it('interleaved hold operations stay ordered (wide spread of increments)', () => {
    const rng = createStream(4, 0, 'workload');
    const q = new EventQueue({ maxPending: 10_000 });
    let seq = 0;
    for (let i = 0; i < 5_000; i++) q.push(rng.int(1_000_000), packTie(1, rng.int(100), rng.int(100)), seq++, i);
    let lastT = -1;
    for (let i = 0; i < 50_000; i++) {
      const p = q.pop();
      expect(q.lastTime).toBeGreaterThanOrEqual(lastT);
      lastT = q.lastTime;
      // Mix of tiny (CPU), medium (network) and huge (timer) increments.
      const inc = [1, 2, 50, 120_000, 30_000_000][rng.int(5)]! + rng.int(10);
      q.push(q.lastTime + inc, packTie(2, rng.int(100), rng.int(100)), seq++, p);
    }
    expect(q.size).toBe(5_000);
  });

  it('ties at the same time go by kind, then destination, then source, then sequence', () => {
    const q = new EventQueue({ maxPending: 16 });
    q.push(10, packTie(2, 0, 0), 0, 0);
    q.push(10, packTie(1, 5, 0), 0, 1);
    q.push(10, packTie(1, 3, 7), 0, 2);
    q.push(10, packTie(1, 3, 2), 9, 3);
    q.push(10, packTie(1, 3, 2), 4, 4);
    q.push(9, packTie(4, 9, 9), 0, 5);
    const order = Array.from({ length: 6 }, () => q.pop());
    expect(order).toEqual([5, 4, 3, 2, 1, 0]);
  });

  it('throws when two events have the same key', () => {
    const q = new EventQueue({ maxPending: 16 });
    q.push(5, packTie(1, 2, 3), 7, 0);
    q.push(5, packTie(1, 2, 3), 7, 1);
    expect(() => {
      q.pop();
      q.pop();
    }).toThrow(EventOrderError);
  });

  it('throws when an equal key is pushed after its twin was popped', () => {
    const q = new EventQueue({ maxPending: 16 });
    q.push(5, packTie(1, 2, 3), 7, 0);
    q.pop();
    expect(() => q.push(5, packTie(1, 2, 3), 7, 1)).toThrow(/not after the last popped event/);
  });

  it('refuses to schedule into the past (time never goes backwards)', () => {
    const q = new EventQueue({ maxPending: 16 });
    q.push(100, packTie(1, 0, 0), 0, 0);
    q.pop();
    expect(() => q.push(99, packTie(0, 0, 0), 1, 1)).toThrow(EventOrderError);
    expect(() => q.push(100, packTie(0, 0, 0), 1, 1)).toThrow(EventOrderError); // same time, smaller kind
    q.push(100, packTie(1, 0, 0), 1, 1); // same time and tie, larger seq: fine
    expect(q.pop()).toBe(1);
  });

  it('enforces maxPending', () => {
    const q = new EventQueue({ maxPending: 3 });
    for (let i = 0; i < 3; i++) q.push(i, 0, i, i);
    expect(q.isFull()).toBe(true);
    expect(() => q.push(9, 0, 9, 9)).toThrow(EventQueueFullError);
  });
});

describe('EventQueue against a sorted reference (randomised)', () => {
  interface Ev {
    t: number;
    tie: number;
    seq: number;
    id: number;
  }
  const cmpEv = (a: Ev, b: Ev): number => a.t - b.t || a.tie - b.tie || a.seq - b.seq;

  /**
   * Drives the queue and a plain sorted-array reference with the same pushes
   * and pops, and checks every pop (payload, key, peekTime) against it.
   */
  function drive(seed: number, steps: (push: (t: number, tie: number) => void, pop: () => void, now: () => Ev) => void): { pops: number; heapPushes: number } {
    const q = new EventQueue({ maxPending: 1_000_000, initialCapacity: 16 });
    // Reference: kept sorted descending, so the minimum is at the end.
    const ref: Ev[] = [];
    let seq = 0;
    let id = 0;
    let last: Ev = { t: -1, tie: 0, seq: 0, id: -1 };
    let pops = 0;
    const push = (t: number, tie: number): void => {
      const e = { t, tie, seq: seq++, id: id++ };
      q.push(e.t, e.tie, e.seq, e.id);
      // Binary search for the insertion point in the descending array.
      let lo = 0;
      let hi = ref.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (cmpEv(ref[mid]!, e) > 0) lo = mid + 1;
        else hi = mid;
      }
      ref.splice(lo, 0, e);
    };
    const pop = (): void => {
      const want = ref.pop()!;
      const peek = q.peekTime();
      const got = q.pop();
      if (got !== want.id || peek !== want.t || q.lastTime !== want.t || q.lastTie !== want.tie || q.lastSeq !== want.seq) {
        throw new Error(
          `seed ${seed}, pop ${pops}: got id ${got} (t=${q.lastTime}, tie=${q.lastTie}, seq=${q.lastSeq}, peek ${peek}), want id ${want.id} (t=${want.t}, tie=${want.tie}, seq=${want.seq})`,
        );
      }
      last = want;
      pops++;
    };
    steps(push, pop, () => last);
    while (ref.length > 0) pop();
    expect(q.size).toBe(0);
    return { pops, heapPushes: q.heapPushes };
  }

  it('hold model with a mix of increments, many ties and pushes below the current bucket', () => {
    for (const seed of [1, 2, 3]) {
      const rng = createStream(seed, 0, 'workload');
      const { pops } = drive(seed, (push, pop, now) => {
        for (let i = 0; i < 3_000; i++) push(rng.int(2_000), packTie(rng.int(3), rng.int(4), rng.int(4)));
        for (let i = 0; i < 20_000; i++) {
          pop();
          const e = now();
          const r = rng.int(100);
          if (r < 5) {
            // Same instant, same tie: only the larger seq orders it after the last pop.
            push(e.t, e.tie);
          } else if (r < 30) {
            // Just after now: below the current bucket, into the sorted run.
            push(e.t + 1 + rng.int(3), packTie(rng.int(3), rng.int(4), rng.int(4)));
          } else if (r < 90) {
            push(e.t + 1 + rng.int(5_000), packTie(rng.int(3), rng.int(4), rng.int(4)));
          } else {
            push(e.t + 1 + rng.int(50_000_000), packTie(rng.int(3), rng.int(4), rng.int(4)));
          }
          if (rng.int(10) === 0) push(e.t + 1 + rng.int(100), packTie(rng.int(3), rng.int(4), rng.int(4)));
        }
      });
      expect(pops).toBeGreaterThan(20_000);
    }
  });

  it('a wide first bucket: pushes below it are spread over finer rungs, not kept in the bottom heap', () => {
    // The simulator's pattern: a few far-future events make the first Top's buckets seconds wide; then every
    // handled event schedules one just after now (CPU service) or a few ms on (a message), inside that bucket.
    // Before the bottom-to-rung spawn, the run overflowed and every later event went through the heap.
    const rng = createStream(5, 0, 'workload');
    const { pops, heapPushes } = drive(5, (push, pop, now) => {
      for (let i = 0; i < 1_000; i++) push(rng.int(1_000), packTie(rng.int(5), rng.int(1_000), rng.int(1_000)));
      for (let i = 0; i < 20; i++) push(rng.int(256_000_000), packTie(4, i, i));
      for (let i = 0; i < 60_000; i++) {
        pop();
        const e = now();
        const r = rng.int(100);
        const dt = r < 50 ? 20 + rng.int(20) : r < 95 ? 6_000 + rng.int(300_000) : 100_000;
        push(e.t + dt, packTie(rng.int(5), rng.int(1_000), rng.int(1_000)));
        // The pending set grows (as a run's does while its nodes start polling): the bottom would outgrow the run.
        if (rng.int(4) === 0) push(e.t + 6_000 + rng.int(300_000), packTie(rng.int(5), rng.int(1_000), rng.int(1_000)));
      }
    });
    expect(pops).toBeGreaterThan(70_000);
    expect(heapPushes).toBe(0);
  });

  it('dense clusters (bucket splits), one-instant bursts (bottom heap) and a run that overflows', () => {
    const rng = createStream(9, 0, 'workload');
    const { heapPushes } = drive(9, (push, pop, now) => {
      // 5,000 events in 100 µs plus 5,000 spread over 10 s: the first bucket is too big and splits.
      for (let i = 0; i < 5_000; i++) push(rng.int(100), packTie(rng.int(16), rng.int(64), rng.int(64)));
      for (let i = 0; i < 5_000; i++) push(rng.int(10_000_000), packTie(rng.int(16), rng.int(64), rng.int(64)));
      for (let i = 0; i < 2_000; i++) pop();
      // A burst of 3,000 events at one instant: a bucket that cannot split goes to the heap.
      const t0 = now().t + 7;
      for (let i = 0; i < 3_000; i++) push(t0, packTie(1 + rng.int(15), i >> 6, i & 63));
      for (let i = 0; i < 1_000; i++) {
        pop();
        // Keep pushing at the current instant while the heap drains.
        const e = now();
        push(e.t, e.tie);
      }
      for (let i = 0; i < 2_500; i++) pop();
      // Thousands of pushes just after now, below the current bucket: the run fills and moves to the heap.
      const t1 = now().t;
      for (let i = 0; i < 6_000; i++) push(t1 + 1 + rng.int(20), packTie(rng.int(16), rng.int(64), rng.int(64)));
      for (let i = 0; i < 3_000; i++) pop();
    });
    // The one-instant burst cannot be spread: it went through the heap.
    expect(heapPushes).toBeGreaterThanOrEqual(3_000);
  });
});
