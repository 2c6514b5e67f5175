/**
 * Outgoing messages of a Snowman node (AvalancheGo common.Sender): to peers
 * through the host; to itself through a zero-delay timer, like AvalancheGo's
 * asynchronous loopback. Where message expiry or benched peers would be
 * checked before sending.
 */
import type { Host, NodeId, TimerHandle } from '../host.js';
import type { Message } from './messages.js';
import { setTimer, TimerKind } from './timer-tags.js';

export class Sender {
  private readonly loopback: Message[] = [];
  private loopbackTimer: TimerHandle | undefined;

  constructor(
    private readonly host: Host<Message>,
    /** Hands a self-message to the node (only while it is alive). */
    private readonly deliverSelf: (msg: Message) => boolean,
  ) {}

  send(to: NodeId, msg: Message): void {
    if (to !== this.host.id) {
      this.host.send(to, msg);
      return;
    }
    this.loopback.push(msg);
    if (this.loopbackTimer === undefined) this.loopbackTimer = setTimer(this.host, 0, TimerKind.Loopback, 0);
  }

  /** The loopback timer fired: deliver what was queued before it (new self-messages wait for the next timer). */
  drainLoopback(): void {
    this.loopbackTimer = undefined;
    const batch = this.loopback.splice(0, this.loopback.length);
    for (const m of batch) if (!this.deliverSelf(m)) return;
  }

  clear(): void {
    if (this.loopbackTimer !== undefined) this.host.cancelTimer(this.loopbackTimer);
    this.loopbackTimer = undefined;
    this.loopback.length = 0;
  }
}
