/**
 * The router's view of a DAG node's queries (AvalancheGo chain_router.go
 * timedRequests, one entry per validator asked), over the request tracker,
 * adaptive timeout and benchlist the Snowman node uses
 * (engine/request-tracker.ts, networking/): a query's timeout is the node's
 * current adaptive timeout, and goes with it as the request's deadline; an
 * answer is a benchlist response and a latency sample (unless from the node
 * itself); the timeout fails every validator still unanswered (a benchlist
 * failure each, the whole wait fed to the average once per validator). An
 * entry outlives its poll: a poll that finished early still takes its late
 * answers and its timeout still fails the silent validators. `handled`: the
 * failure was delivered at once (unreachable or benched, engine/sender.ts),
 * so the answer only counts as a response and is not passed on.
 */
import type { Host, Micros, NodeId } from '../../host.js';
import { RequestTracker } from '../../engine/request-tracker.js';
import type { AdaptiveTimeoutManager } from '../../networking/adaptive-timeout.js';
import type { Benchlist } from '../../networking/benchlist.js';
import type { RequestId } from './messages.js';

interface RouterEntry {
  readonly peer: NodeId;
  handled: boolean;
}

export class DagQueryRouter<M> {
  private readonly tracker: RequestTracker<M>;
  private readonly routed = new Map<RequestId, RouterEntry[]>();

  constructor(
    private readonly host: Host<M>,
    timerKind: number,
    timeouts: () => AdaptiveTimeoutManager,
    private readonly benchlist: () => Benchlist,
  ) {
    this.tracker = new RequestTracker(host, timerKind, timeouts);
  }

  /** A query about to be sent: its timer is set; returns its timeout (the deadline it carries). */
  open(requestId: RequestId): Micros {
    this.routed.set(requestId, []);
    return this.tracker.register(requestId);
  }

  /** `peer` was sent query `requestId`; `failedAtOnce`: its failure is being delivered now. */
  sent(requestId: RequestId, peer: NodeId, failedAtOnce: boolean): void {
    this.routed.get(requestId)?.push({ peer, handled: failedAtOnce });
  }

  /**
   * Chits from `from`: 'unknown' when no entry expects them (never asked,
   * answered already, or timed out: dropped), 'handled' when the failure was
   * delivered already, 'deliver' otherwise.
   */
  answered(requestId: RequestId, from: NodeId): 'unknown' | 'handled' | 'deliver' {
    const entries = this.routed.get(requestId);
    const i = entries === undefined ? -1 : entries.findIndex((e) => e.peer === from);
    if (entries === undefined || i < 0) return 'unknown';
    const { handled } = entries[i]!;
    entries.splice(i, 1);
    this.benchlist().registerResponse(from, this.host.now());
    if (from !== this.host.id) this.tracker.responded(requestId);
    if (entries.length === 0) {
      this.routed.delete(requestId);
      this.tracker.settle(requestId);
    }
    return handled ? 'handled' : 'deliver';
  }

  /** The query's timer fired: every validator still unanswered failed; returns those whose failure is not delivered yet. */
  timedOut(requestId: RequestId): NodeId[] {
    const now = this.host.now();
    const failed = (this.routed.get(requestId) ?? []).filter((e) => e.peer !== this.host.id);
    this.routed.delete(requestId);
    this.tracker.expire(requestId, failed.length);
    for (const e of failed) this.benchlist().registerFailure(e.peer, now);
    return failed.filter((e) => !e.handled).map((e) => e.peer);
  }

  /** Whether a query still has validators to hear from. */
  isOpen(requestId: RequestId): boolean {
    return this.routed.has(requestId);
  }

  clear(): void {
    this.tracker.clear();
    this.routed.clear();
  }
}
