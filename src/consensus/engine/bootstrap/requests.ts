/**
 * A bootstrapping node's open requests (GetAcceptedFrontier, GetAccepted,
 * GetAncestors), shared by the Snowman and the DAG node: each carries the
 * node's adaptive timeout as its deadline and has a timer of its own. As in
 * AvalancheGo's sender.go, GetAncestors fails at once to a peer that is not
 * connected or benched (the failure delivered once), while
 * GetAcceptedFrontier and GetAccepted have no early failure: they are sent
 * to connected peers and fail when their timeout fires. Either way the
 * request keeps its router entry (chain_router.go) until the peer answers
 * or the timeout fires: the timeout is a benchlist failure and a latency
 * sample, an answer a benchlist response and a latency sample, and an
 * answer to a request whose failure was delivered already goes no further.
 * After bootstrapping (`finish`) the open requests stay registered the same
 * way: answers and timeouts reach the benchlist and the latency average only.
 */
import type { Host, Micros, NodeId, TimerHandle } from '../../host.js';
import type { AdaptiveTimeoutManager } from '../../networking/adaptive-timeout.js';
import type { Benchlist } from '../../networking/benchlist.js';
import type { ValidatorSet } from '../sampler.js';

export type BootstrapOp = 'frontier' | 'accepted' | 'ancestors';
type RequestId = number;

/** What the requests need of their node. */
export interface BootstrapNet<M> {
  readonly host: Host<M>;
  readonly id: NodeId;
  readonly validators: ValidatorSet;
  random(): number;
  /** The node's adaptive timeout and benchlist (replaced when it restarts). */
  timeouts(): AdaptiveTimeoutManager;
  benchlist(): Benchlist;
  /** Connected and not benched. */
  reachable(peer: NodeId): boolean;
  /** Sends if connected, no early failure. */
  sendIfConnected(to: NodeId, msg: M): void;
  /** Sends; runs `failed` from the loopback at once when the peer is unreachable or benched; false then. */
  request(to: NodeId, msg: M, failed: () => void): boolean;
  /** A timer for the open request `key`. */
  setTimeoutTimer(delay: Micros, key: number): TimerHandle;
}

interface Open {
  readonly peer: NodeId;
  readonly requestId: RequestId;
  readonly op: BootstrapOp;
  readonly timer: TimerHandle;
  readonly sentAt: Micros;
  /** Its failure was delivered already (an early failure): the answer or timeout only settles the entry. */
  handled: boolean;
}

export class BootstrapRequests<M> {
  /** Open requests by timer key (a local sequence number). */
  private readonly open = new Map<number, Open>();
  private nextKey = 1;

  constructor(
    private readonly net: BootstrapNet<M>,
    /** A request failed (early or by timeout): tell the bootstrapper. */
    private readonly onFailed: (op: BootstrapOp, peer: NodeId, requestId: RequestId) => void,
  ) {}

  /** Sends request `op` built with its deadline. */
  send(to: NodeId, requestId: RequestId, op: BootstrapOp, build: (deadlineUs: Micros) => M): void {
    const net = this.net;
    const key = this.nextKey++;
    const timeout = net.timeouts().timeoutDuration();
    const o: Open = { peer: to, requestId, op, timer: net.setTimeoutTimer(timeout, key), sentAt: net.host.now(), handled: false };
    this.open.set(key, o);
    if (op !== 'ancestors') {
      net.sendIfConnected(to, build(timeout));
      return;
    }
    net.request(to, build(timeout), () => {
      if (this.open.get(key) !== o || o.handled) return;
      o.handled = true;
      this.onFailed(o.op, o.peer, o.requestId);
    });
  }

  /** The timer of request `key` fired. */
  onTimeout(key: number): void {
    const o = this.open.get(key);
    if (o === undefined) return;
    this.open.delete(key);
    const now = this.net.host.now();
    this.net.timeouts().observeLatency(now - o.sentAt, now);
    this.net.benchlist().registerFailure(o.peer, now);
    if (!o.handled) this.onFailed(o.op, o.peer, o.requestId);
  }

  /**
   * An answer from `from`: 'unknown' when it answers no open request
   * (dropped), 'handled' when its failure was delivered already (it only
   * settles the entry), 'deliver' when the bootstrapper should take it.
   */
  settle(from: NodeId, requestId: RequestId, op: BootstrapOp): 'unknown' | 'handled' | 'deliver' {
    let key: number | undefined;
    for (const [k, o] of this.open) {
      if (o.peer === from && o.requestId === requestId && o.op === op) {
        key = k;
        break;
      }
    }
    if (key === undefined) return 'unknown';
    const o = this.open.get(key)!;
    this.open.delete(key);
    const net = this.net;
    net.host.cancelTimer(o.timer);
    const now = net.host.now();
    net.timeouts().observeLatency(now - o.sentAt, now);
    net.benchlist().registerResponse(from, now);
    return o.handled ? 'handled' : 'deliver';
  }

  /** A connected, unbenched validator other than this node, uniformly (AvalancheGo's peer tracker picks by bandwidth). */
  selectPeer(): NodeId | undefined {
    const net = this.net;
    const v = net.validators;
    for (let i = 0; i < 8; i++) {
      const p = v.uniformPeers(() => net.random(), 1, net.id)[0];
      if (p !== undefined && net.reachable(p)) return p;
    }
    for (let p = 0; p < v.size; p++) if (p !== net.id && v.stakeOf(p) > 0 && net.reachable(p)) return p;
    return undefined;
  }

  /** Bootstrapping is over: open requests stay until answered or timed out, their failures no longer delivered. */
  finish(): void {
    for (const o of this.open.values()) o.handled = true;
  }

  /** A crash: every request forgotten, its timer cancelled. */
  clear(): void {
    for (const o of this.open.values()) this.net.host.cancelTimer(o.timer);
    this.open.clear();
  }
}
