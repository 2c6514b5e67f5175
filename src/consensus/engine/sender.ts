/**
 * Outgoing messages of a node (Snowman and the Avalanche DAG engine) (AvalancheGo common.Sender,
 * snow/networking/sender): to peers through the host; to itself through a
 * zero-delay timer, like AvalancheGo's asynchronous loopback. A request to a
 * peer that is not connected, or benched, fails at once: its failure is
 * handed back to the node through the same loopback queue (AvalancheGo's
 * HandleInternal of QueryFailed / GetFailed / …), instead of waiting for the
 * timeout. A benched peer still gets the request (as AvalancheGo sends it);
 * the failure is delivered once, and the request stays registered until the
 * peer answers (a benchlist response, the answer not passed on) or its
 * timeout fires (a benchlist failure): chain_router.go keeps the entries of
 * early internal failures. GetAcceptedFrontier and GetAccepted have no early
 * failure in AvalancheGo (sender.go ignores what could not be sent): they go
 * through `sendIfConnected` and wait for their timeout.
 */
import type { Host, NodeId, TimerHandle } from '../host.js';
import type { Benchlist } from '../networking/benchlist.js';
import type { Message } from './messages.js';
import { TimerKind } from './timer-tags.js';

/** A message to this node, or a failure to hand back. */
type Loopback<M> = M | (() => void);

export class Sender<M = Message> {
  private readonly loopback: Loopback<M>[] = [];
  private loopbackTimer: TimerHandle | undefined;
  /** Requests failed at once because the peer was unreachable or benched (AvalancheGo's failedDueToBench and unsent). */
  failedFast = 0;

  constructor(
    private readonly host: Host<M>,
    /** Hands a self-message to the node (only while it is alive). */
    private readonly deliverSelf: (msg: M) => boolean,
    /** The node's benchlist (replaced when the node restarts). */
    private readonly benchlist: () => Benchlist,
    /** The host timer tag of the loopback timer (the node's timer tag space; Snowman's by default). */
    private readonly loopbackTag: number = TimerKind.Loopback,
  ) {}

  send(to: NodeId, msg: M): void {
    if (to !== this.host.id) {
      this.host.send(to, msg);
      return;
    }
    this.enqueue(msg);
  }

  /**
   * Sends request `msg` to `to`; when `to` is unreachable or benched, runs
   * `failed` from the loopback queue instead of waiting for the timeout.
   * Returns false when the request failed at once.
   */
  request(to: NodeId, msg: M, failed: () => void): boolean {
    if (to === this.host.id) {
      this.enqueue(msg);
      return true;
    }
    const reachable = this.host.isConnected(to);
    if (reachable) this.host.send(to, msg);
    if (reachable && !this.isBenched(to)) return true;
    this.failedFast++;
    this.enqueue(failed);
    return false;
  }

  /**
   * Sends request `msg` to `to` if it is connected, with no early failure
   * (AvalancheGo SendGetAcceptedFrontier / SendGetAccepted: a request that
   * could not be sent fails only when its timeout fires). A benched peer
   * gets it as any other.
   */
  sendIfConnected(to: NodeId, msg: M): void {
    if (to === this.host.id) this.enqueue(msg);
    else if (this.host.isConnected(to)) this.host.send(to, msg);
  }

  /** Whether requests to `peer` fail at once because it is benched (bench durations that ran out applied first). */
  isBenched(peer: NodeId): boolean {
    const b = this.benchlist();
    if (b.benched().length === 0) return false;
    b.expire(this.host.now());
    return b.isBenched(peer);
  }

  private enqueue(item: Loopback<M>): void {
    this.loopback.push(item);
    if (this.loopbackTimer === undefined) this.loopbackTimer = this.host.setTimer(0, this.loopbackTag);
  }

  /** The loopback timer fired: deliver what was queued before it (new items wait for the next timer). */
  drainLoopback(): void {
    this.loopbackTimer = undefined;
    const batch = this.loopback.splice(0, this.loopback.length);
    for (const m of batch) {
      if (typeof m === 'function') (m as () => void)();
      else if (!this.deliverSelf(m as M)) return;
    }
  }

  clear(): void {
    if (this.loopbackTimer !== undefined) this.host.cancelTimer(this.loopbackTimer);
    this.loopbackTimer = undefined;
    this.loopback.length = 0;
  }
}
