/**
 * Test-only deterministic fake world for engine tests (not the simulator):
 * one event queue ordered by (time, sequence), per-pair constant latencies,
 * per-node seeded random streams, timers, crash/restart. Slots without a
 * node are "scripted peers": messages sent to them are recorded in `outbox`
 * and tests inject their answers with `inject`.
 */
import seedrandom from 'seedrandom';
import type { Host, HostedNode, Micros, NodeId, TimerHandle } from '../host.js';

type Event =
  | { readonly kind: 'msg'; readonly time: Micros; readonly seq: number; readonly from: NodeId; readonly to: NodeId; readonly msg: unknown }
  | { readonly kind: 'timer'; readonly time: Micros; readonly seq: number; readonly to: NodeId; readonly tag: number; readonly handle: TimerHandle }
  | { readonly kind: 'call'; readonly time: Micros; readonly seq: number; readonly fn: () => void };

function before(a: Event, b: Event): boolean {
  return a.time < b.time || (a.time === b.time && a.seq < b.seq);
}

/** Minimal binary heap on (time, seq). */
class EventHeap {
  private readonly a: Event[] = [];
  get size(): number {
    return this.a.length;
  }
  push(e: Event): void {
    const a = this.a;
    a.push(e);
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!before(a[i]!, a[p]!)) break;
      [a[i], a[p]] = [a[p]!, a[i]!];
      i = p;
    }
  }
  peek(): Event | undefined {
    return this.a[0];
  }
  pop(): Event | undefined {
    const a = this.a;
    const top = a[0];
    const last = a.pop();
    if (a.length > 0 && last !== undefined) {
      a[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && before(a[l]!, a[m]!)) m = l;
        if (r < a.length && before(a[r]!, a[m]!)) m = r;
        if (m === i) break;
        [a[i], a[m]] = [a[m]!, a[i]!];
        i = m;
      }
    }
    return top;
  }
}

export interface Sent<M> {
  readonly time: Micros;
  readonly from: NodeId;
  readonly to: NodeId;
  readonly msg: M;
}

export class FakeNetwork<M, C> {
  now: Micros = 0;
  private seq = 0;
  private nextHandle = 1;
  private readonly heap = new EventHeap();
  private readonly cancelled = new Set<TimerHandle>();
  readonly nodes: (HostedNode<M, C> | undefined)[] = [];
  readonly hosts: Host<M>[] = [];
  readonly alive: boolean[] = [];
  readonly cpuUs: number[] = [];
  /** Messages addressed to scripted peers. */
  readonly outbox: Sent<M>[] = [];
  messagesDelivered = 0;

  constructor(
    readonly n: number,
    seed: number,
    /** One-way latency from a to b. */
    private readonly latency: (from: NodeId, to: NodeId) => Micros,
  ) {
    for (let id = 0; id < n; id++) {
      const rng = seedrandom.alea(`fake/${seed}/${id}`);
      this.alive.push(true);
      this.cpuUs.push(0);
      this.hosts.push({
        id,
        now: () => this.now,
        send: (to, msg) => this.send(id, to, msg),
        setTimer: (delay, tag) => {
          if (!Number.isSafeInteger(delay) || delay < 0) throw new RangeError(`bad timer delay ${delay}`);
          const handle = this.nextHandle++;
          this.heap.push({ kind: 'timer', time: this.now + delay, seq: this.seq++, to: id, tag, handle });
          return handle;
        },
        cancelTimer: (h) => {
          this.cancelled.add(h);
        },
        random: () => rng(),
        chargeCpu: (cost) => {
          this.cpuUs[id]! += cost;
        },
        // A crashed node (scripted peers too: crash(id) marks them) is unreachable.
        isConnected: (peer) => this.alive[peer] === true,
        connectivityVersion: () => this.connectivityChanges,
      });
      this.nodes.push(undefined);
    }
  }

  attach(id: NodeId, node: HostedNode<M, C>): void {
    this.nodes[id] = node;
  }

  startAll(): void {
    for (const n of this.nodes) n?.onStart();
  }

  private send(from: NodeId, to: NodeId, msg: M): void {
    if (to < 0 || to >= this.n) throw new RangeError(`send to unknown node ${to}`);
    if (this.nodes[to] === undefined) {
      this.outbox.push({ time: this.now, from, to, msg });
      return;
    }
    this.heap.push({ kind: 'msg', time: this.now + this.latency(from, to), seq: this.seq++, from, to, msg });
  }

  /** A scripted peer sends `msg` to `to`, arriving after `delay`. */
  inject(from: NodeId, to: NodeId, msg: M, delay: Micros = 0): void {
    this.heap.push({ kind: 'msg', time: this.now + delay, seq: this.seq++, from, to, msg });
  }

  /** Run `fn` at absolute time `at` (client submissions, crashes). */
  at(at: Micros, fn: () => void): void {
    this.heap.push({ kind: 'call', time: Math.max(at, this.now), seq: this.seq++, fn });
  }

  /** Host.connectivityVersion: bumped by every crash and restart. */
  connectivityChanges = 0;

  crash(id: NodeId): void {
    this.connectivityChanges++;
    this.alive[id] = false;
    this.nodes[id]?.onCrash();
  }

  restart(id: NodeId): void {
    this.connectivityChanges++;
    this.alive[id] = true;
    this.nodes[id]?.onRestart();
  }

  /** Process events up to and including time `until`; limited to `maxEvents`. */
  runUntil(until: Micros, maxEvents = 5_000_000): void {
    let processed = 0;
    for (;;) {
      const e = this.heap.peek();
      if (e === undefined || e.time > until) break;
      this.heap.pop();
      if (e.time < this.now) throw new Error('time went backwards');
      this.now = e.time;
      if (++processed > maxEvents) throw new Error(`event limit ${maxEvents} reached at ${this.now}`);
      if (e.kind === 'call') {
        e.fn();
      } else if (e.kind === 'timer') {
        if (this.cancelled.delete(e.handle)) continue;
        if (this.alive[e.to]) this.nodes[e.to]?.onTimer(e.tag);
      } else if (this.alive[e.to]) {
        this.messagesDelivered++;
        this.nodes[e.to]?.onMessage(e.from, e.msg as M);
      }
    }
    this.now = Math.max(this.now, until);
  }
}
