/**
 * Requests this node has sent and still expects an answer to, each with its
 * timeout (the part of AvalancheGo's timeout manager one engine uses): a
 * request is registered when sent, settled when answered or given up (its
 * timer is cancelled), and expires when its timer fires first. Adaptive
 * timeouts and benching of slow peers belong here.
 */
import type { Host, Micros, NodeId, TimerHandle } from '../host.js';
import type { RequestId } from './messages.js';
import { setTimer, type TimerKind } from './timer-tags.js';

export class RequestTracker<M> {
  /** Timer of each open request. */
  private readonly timers = new Map<RequestId, TimerHandle>();
  /** The peer each open request went to, when there is one (a query to a sample has none: its poll knows who). */
  private readonly peers = new Map<RequestId, NodeId>();

  constructor(
    private readonly host: Host<M>,
    /** The timer kind its timeouts fire as. */
    private readonly kind: TimerKind,
    private readonly timeoutUs: Micros,
  ) {}

  get size(): number {
    return this.timers.size;
  }

  has(requestId: RequestId): boolean {
    return this.timers.has(requestId);
  }

  /** The peer a request went to, while it is open. */
  peerOf(requestId: RequestId): NodeId | undefined {
    return this.peers.get(requestId);
  }

  /** A request sent to `peer`, or to a sample (no peer). */
  register(requestId: RequestId, peer?: NodeId): void {
    this.timers.set(requestId, setTimer(this.host, this.timeoutUs, this.kind, requestId));
    if (peer !== undefined) this.peers.set(requestId, peer);
  }

  /** Answered or given up: cancels the timeout. False if it was not open. */
  settle(requestId: RequestId): boolean {
    const t = this.timers.get(requestId);
    if (t === undefined) return false;
    this.host.cancelTimer(t);
    this.timers.delete(requestId);
    this.peers.delete(requestId);
    return true;
  }

  /** Its timeout fired: forgets it. False if it was settled before. */
  expire(requestId: RequestId): boolean {
    this.peers.delete(requestId);
    return this.timers.delete(requestId);
  }

  /** A crash: every timeout cancelled, nothing open. */
  clear(): void {
    for (const t of this.timers.values()) this.host.cancelTimer(t);
    this.timers.clear();
    this.peers.clear();
  }
}
