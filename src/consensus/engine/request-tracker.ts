/**
 * Requests this node has sent and still expects an answer to, each with its
 * timeout (the part of AvalancheGo's timeout manager one engine uses): a
 * request is registered when sent, with the node's current adaptive timeout
 * (utils/timer/adaptive_timeout_manager.go); settled when answered (its
 * latency feeds the timeout's average) or given up (its timer is cancelled);
 * and expires when its timer fires first (the whole wait feeds the average,
 * once per peer that failed to answer). Gets are not measured
 * (chain_router.go RegisterRequest: `shouldMeasureLatency` is false for
 * Put, "an adversary can cause us to issue a Get request to them and not
 * respond, causing a timeout, skewing latency measurements").
 */
import type { Host, Micros, NodeId, TimerHandle } from '../host.js';
import type { AdaptiveTimeoutManager } from '../networking/adaptive-timeout.js';
import type { RequestId } from './messages.js';
import { setTimer, type TimerKind } from './timer-tags.js';

export class RequestTracker<M> {
  /** Timer of each open request. */
  private readonly timers = new Map<RequestId, TimerHandle>();
  /** When each open request was sent. */
  private readonly sentAt = new Map<RequestId, Micros>();
  /** The peer each open request went to, when there is one (a query to a sample has none: its poll knows who). */
  private readonly peers = new Map<RequestId, NodeId>();

  constructor(
    private readonly host: Host<M>,
    /** The timer kind its timeouts fire as. */
    private readonly kind: TimerKind,
    /** The node's adaptive timeout (replaced when the node restarts). */
    private readonly timeouts: () => AdaptiveTimeoutManager,
    /** Whether answers and timeouts feed the adaptive timeout (false for gets). */
    private readonly measureLatency = true,
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

  /** A request sent to `peer`, or to a sample (no peer). Returns its timeout (the deadline the request carries). */
  register(requestId: RequestId, peer?: NodeId): Micros {
    const timeout = this.timeouts().timeoutDuration();
    this.timers.set(requestId, setTimer(this.host, timeout, this.kind, requestId));
    this.sentAt.set(requestId, this.host.now());
    if (peer !== undefined) this.peers.set(requestId, peer);
    return timeout;
  }

  /** One peer answered the open request: its latency feeds the adaptive timeout. */
  responded(requestId: RequestId): void {
    const sent = this.sentAt.get(requestId);
    if (sent === undefined || !this.measureLatency) return;
    const now = this.host.now();
    this.timeouts().observeLatency(now - sent, now);
  }

  /** Answered (`answered`: measure its latency) or given up: cancels the timeout. False if it was not open. */
  settle(requestId: RequestId, answered = false): boolean {
    const t = this.timers.get(requestId);
    if (t === undefined) return false;
    if (answered) this.responded(requestId);
    this.host.cancelTimer(t);
    this.forget(requestId);
    return true;
  }

  /** Its timeout fired with `failed` peers unanswered: each feeds the whole wait to the average; forgets it. False if settled before. */
  expire(requestId: RequestId, failed = 1): boolean {
    const sent = this.sentAt.get(requestId);
    if (sent !== undefined && this.measureLatency) {
      const now = this.host.now();
      for (let i = 0; i < failed; i++) this.timeouts().observeLatency(now - sent, now);
    }
    return this.forget(requestId);
  }

  private forget(requestId: RequestId): boolean {
    this.peers.delete(requestId);
    this.sentAt.delete(requestId);
    return this.timers.delete(requestId);
  }

  /** A crash: every timeout cancelled, nothing open. */
  clear(): void {
    for (const t of this.timers.values()) this.host.cancelTimer(t);
    this.timers.clear();
    this.sentAt.clear();
    this.peers.clear();
  }
}
