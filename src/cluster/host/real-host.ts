/**
 * The real Host (src/consensus/host.ts) a node engine runs on in a node
 * process: real monotonic time (RunClock), real event-loop timers, the
 * node's own seeded consensus stream (same key as in the simulator, so its
 * draws are reproducible in distribution), CPU charged as real busy work, and
 * sends handed to the transport.
 */
import type { AcceptedStore } from '../../consensus/engine/accepted-chain.js';
import type { Host, HostedNode, Micros, NodeId, TimerHandle } from '../../consensus/host.js';
import { createStream, type RandomStream } from '../../sim/rng.js';
import { busyWork } from './busy-work.js';
import type { RunClock } from './clock.js';

export interface RealHostOptions<M> {
  id: NodeId;
  seed: number;
  clock: RunClock;
  /** Where sends go (the node's transport). */
  send: (to: NodeId, msg: M) => void;
  /** Whether the transport has an established connection to `peer` (the node itself always counts as connected). */
  connected: (peer: NodeId) => boolean;
  /** Changes whenever a connection is established or lost (Host.connectivityVersion); absent: not offered. */
  connectivityVersion?: () => number;
  /** Whether chargeCpu does the work (false: only counted, for tests that must not spin). */
  payCpu?: boolean;
  /** The node's store of accepted blocks (SnowmanHost.acceptedStore): the engine keeps only the newest in memory. */
  acceptedStore?: AcceptedStore;
}

export class RealHost<M> implements Host<M> {
  readonly id: NodeId;
  private readonly clock: RunClock;
  private readonly rng: RandomStream;
  private readonly sendFn: (to: NodeId, msg: M) => void;
  private readonly payCpu: boolean;
  private readonly connectedFn: (peer: NodeId) => boolean;
  private readonly versionFn: (() => number) | undefined;
  private node: HostedNode<M, unknown> | undefined;
  private nextHandle = 1;
  private readonly timers = new Map<TimerHandle, { readonly timeout: NodeJS.Timeout } | { readonly immediate: NodeJS.Immediate }>();
  private stopped = false;
  /** CPU charged through this host, µs (modelled costs paid as busy work). */
  chargedUs = 0;
  readonly acceptedStore: AcceptedStore | undefined;

  constructor(opts: RealHostOptions<M>) {
    this.id = opts.id;
    this.clock = opts.clock;
    this.rng = createStream(opts.seed, opts.id, 'consensus');
    this.sendFn = opts.send;
    this.payCpu = opts.payCpu ?? true;
    this.connectedFn = opts.connected;
    this.versionFn = opts.connectivityVersion;
    this.acceptedStore = opts.acceptedStore;
  }

  /** Host.connectivityVersion: the transport's connect/disconnect count; -1 (recompute every time) without one. */
  connectivityVersion(): number {
    return this.versionFn?.() ?? -1;
  }

  /** The node whose onTimer this host calls (set once, right after the node is built). */
  attach(node: HostedNode<M, unknown>): void {
    this.node = node;
  }

  now(): Micros {
    return this.clock.nowUs();
  }

  send(to: NodeId, msg: M): void {
    if (!this.stopped) this.sendFn(to, msg);
  }

  isConnected(peer: NodeId): boolean {
    return peer === this.id || (!this.stopped && this.connectedFn(peer));
  }

  setTimer(delay: Micros, tag: number): TimerHandle {
    const handle = this.nextHandle++;
    if (this.stopped) return handle;
    const fire = (): void => {
      if (!this.timers.delete(handle) || this.stopped) return;
      this.node?.onTimer(tag);
    };
    // Zero-delay timers (AvalancheGo's asynchronous loopback) run on the next
    // turn of the loop; others at millisecond resolution, which the emulation
    // error of the transport makes visible.
    this.timers.set(handle, delay <= 0 ? { immediate: setImmediate(fire) } : { timeout: setTimeout(fire, delay / 1000) });
    return handle;
  }

  cancelTimer(handle: TimerHandle): void {
    const t = this.timers.get(handle);
    if (t === undefined) return;
    this.timers.delete(handle);
    if ('timeout' in t) clearTimeout(t.timeout);
    else clearImmediate(t.immediate);
  }

  random(): number {
    return this.rng.next();
  }

  chargeCpu(cost: Micros): void {
    if (!(cost > 0)) return;
    this.chargedUs += cost;
    if (this.payCpu) busyWork(cost);
  }

  pendingTimers(): number {
    return this.timers.size;
  }

  /** Cancels every timer; later sends and timers are ignored (process shutdown). */
  stop(): void {
    this.stopped = true;
    for (const h of this.timers.keys()) this.cancelTimer(h);
  }
}
