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
    const rng = createStream(3, 0, 'swarm');
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
    const rng = createStream(4, 0, 'swarm');
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
