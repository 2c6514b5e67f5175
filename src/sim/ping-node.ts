/**
 * A tiny ping/pong HostedNode used by the engine's tests and benchmark.
 * Messages are small integers (PING / PONG), so the workload itself
 * allocates nothing and the engine's own cost is what gets measured.
 */
import type { Host, HostedNode } from '../consensus/host.js';
import type { MessageModel } from './types.js';

export const PING = 1;
export const PONG = 2;
export type PingMsg = typeof PING | typeof PONG;

export interface PingModelOptions {
  pingBytes: number;
  pongBytes: number;
  /** Receiver CPU cost per message, µs. */
  cpuCostUs: number;
}

export function pingModel(o: PingModelOptions): MessageModel<PingMsg> {
  return {
    sizeBytes: (m) => (m === PING ? o.pingBytes : o.pongBytes),
    cpuCost: () => o.cpuCostUs,
    typeTag: (m) => m,
    describe: (m) => ({ type: m === PING ? 'ping' : 'pong' }),
  };
}

export interface PingNodeOptions {
  nodeCount: number;
  /** Pings each node starts with; every pong received triggers a new ping. */
  pingsInFlight: number;
  /** If > 0, a timer with this period sends one extra ping. */
  timerPeriodUs?: number;
}

/** Counters a test can read; `received` logs (time, from, msg) when `log` is set. */
export class PingNode implements HostedNode<PingMsg, number> {
  pings = 0;
  pongs = 0;
  timers = 0;
  clients = 0;
  crashes = 0;
  restarts = 0;
  readonly log: Array<{ t: number; from: number; msg: PingMsg }> | undefined;

  constructor(private readonly host: Host<PingMsg>, private readonly o: PingNodeOptions, log = false) {
    this.log = log ? [] : undefined;
  }

  private peer(): number {
    // Uniform over the other nodes, from this node's own consensus stream.
    const r = Math.floor(this.host.random() * (this.o.nodeCount - 1));
    return r >= this.host.id ? r + 1 : r;
  }

  private kick(): void {
    for (let i = 0; i < this.o.pingsInFlight; i++) this.host.send(this.peer(), PING);
    const period = this.o.timerPeriodUs ?? 0;
    if (period > 0) this.host.setTimer(period, 1);
  }

  onStart(): void {
    this.kick();
  }

  onMessage(from: number, msg: PingMsg): void {
    this.log?.push({ t: this.host.now(), from, msg });
    if (msg === PING) {
      this.pings++;
      this.host.send(from, PONG);
    } else {
      this.pongs++;
      this.host.send(this.peer(), PING);
    }
  }

  onTimer(tag: number): void {
    this.timers++;
    this.host.send(this.peer(), PING);
    const period = this.o.timerPeriodUs ?? 0;
    if (period > 0) this.host.setTimer(period, tag);
  }

  onClient(): void {
    this.clients++;
    this.host.send(this.peer(), PING);
  }

  onCrash(): void {
    this.crashes++;
  }

  onRestart(): void {
    this.restarts++;
    this.kick();
  }
}
