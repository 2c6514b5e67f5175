/**
 * The receiving side of the bandwidth model: a message is handed to the node
 * when its last byte has come through the downlink (Network.downlink, at the
 * scenario's download bandwidth). Messages stay in arrival order; one that
 * is not yet through holds the ones behind it, as a serial link does.
 */
import type { Message } from '../../consensus/engine/messages.js';
import type { Micros, NodeId } from '../../consensus/host.js';
import type { Attachments } from '../crypto/attachments.js';
import type { RunClock } from '../host/clock.js';

interface Held {
  readonly readyAt: Micros;
  readonly from: NodeId;
  readonly msg: Message;
  readonly att: Attachments;
  readonly receivedAt: Micros;
}

/**
 * When a message reached this node, for the handler's deadline
 * (AvalancheGo snow/networking/handler: a request is dropped when it is
 * handled after its arrival + deadline). AvalancheGo stamps the arrival on a
 * network goroutine that a busy handler does not hold up; this process reads
 * and handles on one thread, so a busy node reads its socket late and `now`
 * would hide the wait. The arrival is therefore the emulated delivery time
 * (the sender's intended arrival, one system-wide monotonic clock for every
 * node process, src/cluster/host/clock.ts), never before the frame was sent
 * (a late or frozen sender) nor after it was read; the downlink's
 * transmission (`ready - now`) comes on top, as in the simulator, whose
 * deadline counts from the end of the download.
 */
export function handlerReceivedAt(now: Micros, ready: Micros, sentAt: Micros, intendedArrival: Micros): Micros {
  const arrival = Math.min(now, Math.max(sentAt, intendedArrival));
  return ready - (now - arrival);
}

/** A message through within this much of now is delivered at once (timer resolution is 1 ms). */
const SLACK_US = 500;

export class ReceiveQueue {
  private readonly held: Held[] = [];
  private head = 0;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly clock: RunClock,
    /** `receivedAt`: when the message reached the node (its handler deadline counts from there). */
    private readonly deliver: (from: NodeId, msg: Message, att: Attachments, receivedAt: Micros) => void,
  ) {}

  push(readyAt: Micros, from: NodeId, msg: Message, att: Attachments, receivedAt: Micros = readyAt): void {
    if (this.stopped) return;
    if (this.head === this.held.length && readyAt <= this.clock.nowUs() + SLACK_US) {
      this.deliver(from, msg, att, receivedAt);
      return;
    }
    this.held.push({ readyAt, from, msg, att, receivedAt });
    this.arm();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.held.length = 0;
    this.head = 0;
  }

  private arm(): void {
    if (this.timer !== undefined || this.stopped) return;
    const next = this.held[this.head];
    if (next === undefined) return;
    this.timer = setTimeout(() => this.drain(), this.clock.msUntil(next.readyAt));
  }

  private drain(): void {
    this.timer = undefined;
    const limit = this.clock.nowUs() + SLACK_US;
    while (!this.stopped && this.head < this.held.length && this.held[this.head]!.readyAt <= limit) {
      const h = this.held[this.head++]!;
      this.deliver(h.from, h.msg, h.att, h.receivedAt);
    }
    if (this.head === this.held.length) {
      this.held.length = 0;
      this.head = 0;
    }
    this.arm();
  }
}
