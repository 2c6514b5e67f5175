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

interface Open {
  /** The peer asked (-1 for a query to a sample: its poll knows who). */
  readonly peer: NodeId;
  readonly timer: TimerHandle;
}

export class RequestTracker<M> {
  private readonly open = new Map<RequestId, Open>();

  constructor(
    private readonly host: Host<M>,
    /** The timer kind its timeouts fire as. */
    private readonly kind: TimerKind,
    private readonly timeoutUs: Micros,
  ) {}

  get size(): number {
    return this.open.size;
  }

  has(requestId: RequestId): boolean {
    return this.open.has(requestId);
  }

  /** The peer a request went to, while it is open. */
  peerOf(requestId: RequestId): NodeId | undefined {
    return this.open.get(requestId)?.peer;
  }

  register(requestId: RequestId, peer: NodeId): void {
    this.open.set(requestId, { peer, timer: setTimer(this.host, this.timeoutUs, this.kind, requestId) });
  }

  /** Answered or given up: cancels the timeout. False if it was not open. */
  settle(requestId: RequestId): boolean {
    const r = this.open.get(requestId);
    if (r === undefined) return false;
    this.host.cancelTimer(r.timer);
    this.open.delete(requestId);
    return true;
  }

  /** Its timeout fired: forgets it. False if it was settled before. */
  expire(requestId: RequestId): boolean {
    return this.open.delete(requestId);
  }

  /** A crash: every timeout cancelled, nothing open. */
  clear(): void {
    for (const r of this.open.values()) this.host.cancelTimer(r.timer);
    this.open.clear();
  }
}
