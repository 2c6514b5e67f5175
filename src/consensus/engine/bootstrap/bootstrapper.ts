/**
 * Snowman bootstrapping (AvalancheGo snow/engine/snowman/bootstrap/
 * bootstrapper.go, storage.go, interval/, and the frontier polls of
 * snow/consensus/snowman/bootstrapper), sans-I/O: the node feeds it the
 * answers and failures of its requests, and it calls the port to send
 * requests and to accept blocks.
 *
 * 1. Wait until connected beacons hold at least (3W + 3) / 4 of the beacons'
 *    stake W (chains/manager.go `tracker.NewStartup`).
 * 2. Minority poll: GetAcceptedFrontier to min(K, W) beacons sampled by stake
 *    (`bootstrapper.Sample`); the union of their last accepted blocks is the
 *    candidate frontier.
 * 3. Majority poll: GetAccepted(candidates) to every beacon; a candidate is
 *    accepted when beacons holding at least W/2 + 1 stake say so. Both polls
 *    keep at most 50 requests outstanding; a failed request counts as an
 *    empty answer. No accepted candidate: start over.
 * 4. Fetch: for every accepted block not yet held, GetAncestors to a
 *    connected peer; an answer is the requested block and its ancestors,
 *    newest first. Blocks are kept by height above the last accepted block
 *    (the interval tree), following parent links only; the parent of the
 *    lowest one, if above the last accepted height and not held, is fetched
 *    next. An empty, wrong or failed answer re-fetches from another peer.
 * 5. Execute: once nothing is missing, accept the held blocks in height order.
 * 6. Repeat from 2 while a round executes fewer than half the blocks of the
 *    round before (the first round compares with "infinitely many", so a
 *    round that executed anything is followed by another); then finish.
 *
 * While bootstrapping a node answers no queries and ignores chits and puts
 * (the bootstrapper's no-op handlers); it serves Get, GetAncestors and the
 * frontier requests as always. That is the caller's part.
 *
 * Beacons are every validator but this node. Peer choice for GetAncestors is
 * the port's (AvalancheGo's peer tracker prefers high-bandwidth peers).
 */
import type { NodeId } from '../../host.js';
import type { Block, BlockId } from '../../snowman/block.js';
import type { RequestId } from '../messages.js';
import { uniformInt, type ValidatorSet } from '../sampler.js';
import type { AncestorsLimits } from './ancestors.js';
import { BroadcastPoll } from './broadcast-poll.js';

/** bootstrapper.go maxOutstandingBroadcastRequests. */
export const MAX_OUTSTANDING_BROADCAST_REQUESTS = 50;

export interface BootstrapPort {
  readonly self: NodeId;
  readonly validators: ValidatorSet;
  /** K: how many beacons the minority poll samples (capped at their stake). */
  readonly sampleK: number;
  readonly limits: AncestorsLimits;
  random(): number;
  nextRequestId(): RequestId;
  isConnected(peer: NodeId): boolean;
  /** A connected peer to fetch from, or undefined when none is. */
  selectPeer(): NodeId | undefined;
  lastAccepted(): Block;
  sendGetAcceptedFrontier(to: NodeId, requestId: RequestId): void;
  sendGetAccepted(to: NodeId, requestId: RequestId, ids: readonly BlockId[]): void;
  sendGetAncestors(to: NodeId, requestId: RequestId, id: BlockId): void;
  /** Accept a fetched block (its parent is the last accepted block). */
  accept(block: Block): void;
}

export type BootstrapPhase = 'waiting-for-peers' | 'frontier' | 'accepted' | 'fetching' | 'done';

export interface BootstrapStats {
  readonly rounds: number;
  readonly fetched: number;
  readonly executed: number;
  readonly ancestorsRequests: number;
  readonly failedAncestors: number;
}

export class Bootstrapper {
  private phase: BootstrapPhase = 'waiting-for-peers';
  /** Request id of this round's frontier and accepted polls (AvalancheGo reuses one per round). */
  private roundRequestId: RequestId = 0;
  private minority: BroadcastPoll | undefined;
  private majority: BroadcastPoll | undefined;
  private candidates: BlockId[] = [];
  /** Fetched blocks by height, above the last accepted height (the interval tree). */
  private readonly held = new Map<number, Block>();
  private readonly missing = new Set<BlockId>();
  /** Outstanding GetAncestors: request id -> (peer, wanted block). */
  private readonly outstanding = new Map<RequestId, { readonly peer: NodeId; readonly id: BlockId }>();
  /** Missing blocks waiting for a connected peer. */
  private readonly unsent = new Set<BlockId>();
  private previouslyExecuted = Number.POSITIVE_INFINITY;
  private stats = { rounds: 0, fetched: 0, executed: 0, ancestorsRequests: 0, failedAncestors: 0 };
  private readonly beacons: NodeId[];
  private readonly beaconWeight: number;

  constructor(private readonly port: BootstrapPort) {
    const v = port.validators;
    this.beacons = [];
    let w = 0;
    for (let n = 0; n < v.size; n++) {
      if (n === port.self || v.stakeOf(n) === 0) continue;
      this.beacons.push(n);
      w += v.stakeOf(n);
    }
    this.beaconWeight = w;
  }

  status(): BootstrapPhase {
    return this.phase;
  }

  done(): boolean {
    return this.phase === 'done';
  }

  statistics(): BootstrapStats {
    return { ...this.stats };
  }

  /** Begins (or waits for enough connected stake). */
  start(): void {
    this.tryStart();
  }

  /** A peer became reachable. */
  onConnected(): void {
    if (this.phase === 'waiting-for-peers') this.tryStart();
    else if (this.phase === 'fetching' && this.unsent.size > 0) {
      for (const id of Array.from(this.unsent)) this.fetch(id); // a copy: fetch removes what it sends
    }
  }

  onAcceptedFrontier(from: NodeId, requestId: RequestId, acceptedId: BlockId | undefined): void {
    if (this.phase !== 'frontier' || requestId !== this.roundRequestId || this.minority === undefined) return;
    if (!this.minority.record(from, acceptedId === undefined ? [] : [acceptedId])) return;
    this.advancePolls();
  }

  onGetAcceptedFrontierFailed(from: NodeId, requestId: RequestId): void {
    this.onAcceptedFrontier(from, requestId, undefined);
  }

  onAccepted(from: NodeId, requestId: RequestId, ids: readonly BlockId[]): void {
    if (this.phase !== 'accepted' || requestId !== this.roundRequestId || this.majority === undefined) return;
    if (!this.majority.record(from, ids)) return;
    this.advancePolls();
  }

  onGetAcceptedFailed(from: NodeId, requestId: RequestId): void {
    this.onAccepted(from, requestId, []);
  }

  /** Whether `requestId` is an outstanding GetAncestors of this bootstrapper (to `from`). */
  expectsAncestors(from: NodeId, requestId: RequestId): boolean {
    return this.outstanding.get(requestId)?.peer === from;
  }

  onAncestors(from: NodeId, requestId: RequestId, blocks: readonly Block[]): void {
    const req = this.outstanding.get(requestId);
    if (req === undefined || req.peer !== from) return; // not a request we made
    this.outstanding.delete(requestId);
    const received = blocks.slice(0, this.port.limits.maxContainersReceived);
    const first = received[0];
    if (first === undefined || first.id !== req.id) {
      // Empty (the peer lacks it) or not what was asked: ask again, elsewhere.
      this.stats.failedAncestors++;
      this.fetch(req.id);
      return;
    }
    const byId = new Map<BlockId, Block>();
    for (let i = 1; i < received.length; i++) byId.set(received[i]!.id, received[i]!);
    this.process(first, byId);
    this.tryExecute();
  }

  onGetAncestorsFailed(from: NodeId, requestId: RequestId): void {
    const req = this.outstanding.get(requestId);
    if (req === undefined || req.peer !== from) return;
    this.outstanding.delete(requestId);
    this.stats.failedAncestors++;
    this.fetch(req.id);
  }

  private tryStart(): void {
    if (this.phase !== 'waiting-for-peers') return;
    let connected = 0;
    for (const b of this.beacons) if (this.port.isConnected(b)) connected += this.port.validators.stakeOf(b);
    // An integer threshold as AvalancheGo's: (3W + 3) / 4 with integer division.
    if (connected < Math.floor((3 * this.beaconWeight + 3) / 4)) return;
    this.startRound();
  }

  private startRound(): void {
    this.stats.rounds++;
    this.candidates = [];
    if (this.beacons.length === 0) {
      // No beacons (a one-validator network): nothing to learn.
      this.finish();
      return;
    }
    const sampled = this.sampleBeacons();
    this.minority = new BroadcastPoll(sampled, MAX_OUTSTANDING_BROADCAST_REQUESTS);
    this.majority = undefined;
    this.roundRequestId = this.port.nextRequestId();
    this.phase = 'frontier';
    this.advancePolls();
  }

  /** min(K, W) stake units' owners among the beacons, distinct, in node order. */
  private sampleBeacons(): NodeId[] {
    const v = this.port.validators;
    const want = Math.min(this.port.sampleK, this.beaconWeight);
    const picked = new Set<NodeId>();
    // Draw stake units of the beacons without replacement by drawing from the
    // whole set and skipping this node's own units.
    const units = new Set<number>();
    while (units.size < want) {
      const unit = uniformInt(() => this.port.random(), v.totalStake);
      const owner = v.ownerOfUnit(unit);
      if (owner === this.port.self || units.has(unit)) continue;
      units.add(unit);
      picked.add(owner);
    }
    return [...picked].toSorted((a, b) => a - b);
  }

  /** Sends what the polls may send; moves on when a poll is complete (sendBootstrappingMessagesOrFinish). */
  private advancePolls(): void {
    if (this.phase === 'frontier') {
      const minority = this.minority!;
      for (const peer of minority.nextToSend()) this.port.sendGetAcceptedFrontier(peer, this.roundRequestId);
      if (!minority.finished()) return;
      this.candidates = minority.union();
      this.majority = new BroadcastPoll(this.beacons, MAX_OUTSTANDING_BROADCAST_REQUESTS);
      this.phase = 'accepted';
    }
    if (this.phase === 'accepted') {
      const majority = this.majority!;
      for (const peer of majority.nextToSend()) this.port.sendGetAccepted(peer, this.roundRequestId, this.candidates);
      if (!majority.finished()) return;
      const required = Math.floor(this.beaconWeight / 2) + 1;
      const accepted = majority.weighted((n) => this.port.validators.stakeOf(n)).filter(([, w]) => w >= required).map(([id]) => id);
      if (accepted.length === 0) {
        this.phase = 'waiting-for-peers';
        this.startRound();
        return;
      }
      this.startSyncing(accepted);
    }
  }

  private startSyncing(accepted: readonly BlockId[]): void {
    this.phase = 'fetching';
    const la = this.port.lastAccepted();
    for (const id of accepted) {
      if (id === la.id || this.heldById(id) !== undefined) continue;
      this.missing.add(id);
    }
    for (const id of this.missing) this.fetch(id);
    this.tryExecute();
  }

  private heldById(id: BlockId): Block | undefined {
    for (const b of this.held.values()) if (b.id === id) return b;
    return undefined;
  }

  private fetch(id: BlockId): void {
    for (const r of this.outstanding.values()) if (r.id === id) return; // already asked
    const peer = this.port.selectPeer();
    if (peer === undefined) {
      this.unsent.add(id);
      return;
    }
    this.unsent.delete(id);
    const requestId = this.port.nextRequestId();
    this.outstanding.set(requestId, { peer, id });
    this.stats.ancestorsRequests++;
    this.port.sendGetAncestors(peer, requestId, id);
  }

  /** storage.go process: keeps blk and the ancestors that chain from it; fetches the next missing parent. */
  private process(first: Block, ancestors: ReadonlyMap<BlockId, Block>): void {
    const lastHeight = this.port.lastAccepted().height;
    let blk = first;
    for (;;) {
      this.missing.delete(blk.id);
      if (blk.height <= lastHeight || this.held.has(blk.height)) return;
      this.held.set(blk.height, blk);
      this.stats.fetched++;
      const below = blk.height - 1;
      if (below === lastHeight || this.held.has(below)) return;
      const parent = ancestors.get(blk.parent);
      if (parent === undefined || parent.height !== below) {
        this.missing.add(blk.parent);
        this.fetch(blk.parent);
        return;
      }
      blk = parent;
    }
  }

  /** tryStartExecuting. */
  private tryExecute(): void {
    if (this.phase !== 'fetching' || this.missing.size > 0) return;
    let executed = 0;
    let la = this.port.lastAccepted();
    const heights = [...this.held.keys()].toSorted((a, b) => a - b);
    for (const h of heights) {
      const b = this.held.get(h)!;
      this.held.delete(h);
      if (h <= la.height) continue;
      // Only a block on the accepted block's chain can be accepted; anything else was not fetched by parent links.
      if (h !== la.height + 1 || b.parent !== la.id) break;
      this.port.accept(b);
      executed++;
      la = b;
    }
    this.held.clear();
    this.stats.executed += executed;
    const previous = this.previouslyExecuted;
    this.previouslyExecuted = executed;
    if (executed > 0 && executed < previous / 2) {
      this.phase = 'waiting-for-peers';
      this.outstanding.clear();
      this.startRound();
      return;
    }
    this.finish();
  }

  private finish(): void {
    this.phase = 'done';
    this.outstanding.clear();
    this.unsent.clear();
    this.missing.clear();
  }
}
