/**
 * Latency emulation on the sending side (the kernel here has no netem).
 *
 * Every message is routed through the simulator's own Network model
 * (src/sim/network.ts: serialised uplink at the scenario's bandwidth,
 * partitions, loss, the scenario's latency profile, added delay), with one
 * seeded stream per directed link, so its intended arrival time is the one
 * the simulator would give it. The frame waits in a per-node delay queue and
 * goes to the socket at that time. Each link stays FIFO, as TCP is: a frame
 * never overtakes an earlier one on its link (its intended time is raised to
 * the previous frame's). The receiver compares actual with intended arrival.
 */
import TinyQueue from 'tinyqueue';
import type { Micros, NodeId } from '../../consensus/host.js';
import { createLinkStream, type RandomStream } from '../../sim/rng.js';
import { DROP_LOSS, DROP_PARTITION, type Network } from '../../sim/network.js';
import type { RunClock } from '../host/clock.js';

interface Due {
  readonly at: Micros;
  readonly seq: number;
  readonly to: NodeId;
  readonly frame: Buffer;
}

export type RouteOutcome = 'queued' | 'partition' | 'loss';

export interface LinkStats {
  queued: number;
  duplicated: number;
  droppedPartition: number;
  droppedLoss: number;
  /** µs frames were held back to keep their link FIFO (sum). */
  fifoHoldUs: number;
}

/** Frames due within this much of now go out in the same timer turn. */
const SLACK_US = 200;

export class LinkScheduler {
  readonly stats: LinkStats = { queued: 0, duplicated: 0, droppedPartition: 0, droppedLoss: 0, fifoHoldUs: 0 };
  private readonly rngs: RandomStream[] = [];
  private readonly lastDue: Float64Array;
  private readonly heap = new TinyQueue<Due>([], (a, b) => a.at - b.at || a.seq - b.seq);
  private seq = 0;
  private timer: NodeJS.Timeout | undefined;
  private timerAt = Infinity;
  private stopped = false;

  constructor(
    private readonly self: NodeId,
    private readonly net: Network,
    seed: number,
    private readonly clock: RunClock,
    /** Writes a frame to the peer's socket (dueUs: when it was meant to go). */
    private readonly transmit: (to: NodeId, frame: Buffer, dueUs: Micros) => void,
  ) {
    for (let dst = 0; dst < net.nodeCount; dst++) this.rngs.push(createLinkStream(seed, self, dst));
    this.lastDue = new Float64Array(net.nodeCount);
  }

  /**
   * Routes one message of `sizeBytes` on the wire to `to`; `frameFor` builds
   * its frame given the send and intended arrival times.
   */
  send(to: NodeId, sizeBytes: number, frameFor: (sentAtUs: Micros, intendedUs: Micros) => Buffer): RouteOutcome {
    const now = this.clock.nowUs();
    const rng = this.rngs[to]!;
    const arrival = this.net.route(this.self, to, sizeBytes, now, rng);
    if (arrival === DROP_PARTITION) {
      this.stats.droppedPartition++;
      return 'partition';
    }
    if (arrival === DROP_LOSS) {
      this.stats.droppedLoss++;
      return 'loss';
    }
    this.enqueue(to, now, arrival, frameFor);
    const dup = this.net.duplicate(this.self, to, rng);
    if (dup >= 0) {
      this.stats.duplicated++;
      this.enqueue(to, now, dup, frameFor);
    }
    return 'queued';
  }

  /** Frames waiting for their time. */
  get pending(): number {
    return this.heap.length;
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private enqueue(to: NodeId, now: Micros, arrival: Micros, frameFor: (sentAtUs: Micros, intendedUs: Micros) => Buffer): void {
    const prev = this.lastDue[to]!;
    const at = arrival > prev ? arrival : prev;
    this.stats.fifoHoldUs += at - arrival;
    this.lastDue[to] = at;
    this.stats.queued++;
    this.heap.push({ at, seq: this.seq++, to, frame: frameFor(now, at) });
    this.arm();
  }

  private arm(): void {
    if (this.stopped) return;
    const top = this.heap.peek();
    if (top === undefined || top.at >= this.timerAt) return;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timerAt = top.at;
    this.timer = setTimeout(() => this.flush(), this.clock.msUntil(top.at));
  }

  private flush(): void {
    this.timer = undefined;
    this.timerAt = Infinity;
    if (this.stopped) return;
    const limit = this.clock.nowUs() + SLACK_US;
    for (let top = this.heap.peek(); top !== undefined && top.at <= limit; top = this.heap.peek()) {
      this.heap.pop();
      this.transmit(top.to, top.frame, top.at);
    }
    this.arm();
  }
}
