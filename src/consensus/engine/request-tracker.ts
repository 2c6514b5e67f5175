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

/** An open request. */
interface Open {
  readonly timer: TimerHandle;
  /** When it was sent. */
  readonly sentAt: Micros;
  /** The peer it went to, when there is one (a query to a sample has none: its poll knows who). */
  readonly peer: NodeId | undefined;
}

export class RequestTracker<M> {
  /** Each open request: one Map and one lookup per answer (this runs for every chits message), not three. */
  private readonly open = new Map<RequestId, Open>();

  constructor(
    private readonly host: Host<M>,
    /** The timer kind its timeouts fire as. */
    private readonly kind: TimerKind | number,
    /** The node's adaptive timeout (replaced when the node restarts). */
    private readonly timeouts: () => AdaptiveTimeoutManager,
    /** Whether answers and timeouts feed the adaptive timeout (false for gets). */
    private readonly measureLatency = true,
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

  /**
   * A request sent to `peer`, or to a sample (no peer). Returns its timeout (the deadline the request carries).
   * An id registered again while open (the engines never do) replaces the entry but keeps its peer when none is given.
   */
  register(requestId: RequestId, peer?: NodeId): Micros {
    const timeout = this.timeouts().timeoutDuration();
    const timer = setTimer(this.host, timeout, this.kind as TimerKind, requestId);
    this.open.set(requestId, { timer, sentAt: this.host.now(), peer: peer ?? this.open.get(requestId)?.peer });
    return timeout;
  }

  /** One peer answered the open request: its latency feeds the adaptive timeout. */
  responded(requestId: RequestId): void {
    const o = this.open.get(requestId);
    if (o !== undefined) this.observe(o.sentAt, 1);
  }

  /** Answered (`answered`: measure its latency) or given up: cancels the timeout. False if it was not open. */
  settle(requestId: RequestId, answered = false): boolean {
    const o = this.open.get(requestId);
    if (o === undefined) return false;
    if (answered) this.observe(o.sentAt, 1);
    this.host.cancelTimer(o.timer);
    this.open.delete(requestId);
    return true;
  }

  /** Its timeout fired with `failed` peers unanswered: each feeds the whole wait to the average; forgets it. False if settled before. */
  expire(requestId: RequestId, failed = 1): boolean {
    const o = this.open.get(requestId);
    if (o === undefined) return false;
    this.observe(o.sentAt, failed);
    return this.open.delete(requestId);
  }

  /** `times` latencies of the wait since `sentAt`, unless this tracker does not measure. */
  private observe(sentAt: Micros, times: number): void {
    if (!this.measureLatency) return;
    const now = this.host.now();
    for (let i = 0; i < times; i++) this.timeouts().observeLatency(now - sentAt, now);
  }

  /** A crash: every timeout cancelled, nothing open. */
  clear(): void {
    for (const o of this.open.values()) this.host.cancelTimer(o.timer);
    this.open.clear();
  }
}
