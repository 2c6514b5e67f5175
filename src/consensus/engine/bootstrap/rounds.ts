/**
 * The protocol-neutral part of bootstrapping (AvalancheGo
 * snow/engine/common/bootstrapper.go, shared there by the Snowman and the
 * Avalanche DAG bootstrappers; the frontier polls of
 * snow/consensus/snowman/bootstrapper), sans-I/O. What differs between a
 * chain and a DAG — how an Ancestors answer is kept, what is still missing,
 * and the order fetched containers are executed in — is the `FetchStore`.
 *
 * 1. Wait until connected beacons hold at least (3W + 3) / 4 of the beacons'
 *    stake W (chains/manager.go `tracker.NewStartup`).
 * 2. Minority poll: GetAcceptedFrontier to min(K, W) beacons sampled by stake
 *    (`bootstrapper.Sample`); the union of the ids they answer is the
 *    candidate frontier.
 * 3. Majority poll: GetAccepted(candidates) to every beacon; a candidate is
 *    accepted when beacons holding at least W/2 + 1 stake say so. Both polls
 *    keep at most 50 requests outstanding; a failed request counts as an
 *    empty answer. No accepted candidate: start over.
 * 4. Fetch: for every accepted container the store lacks, GetAncestors to a
 *    connected peer (at most `maxOutstandingAncestors` at once, when set);
 *    an answer's first container must be the one asked for (else, or empty,
 *    or failed: ask again elsewhere); the store keeps what it can use and
 *    names the containers still missing, which are fetched next.
 * 5. Execute: once nothing is missing, the store executes what it holds.
 * 6. Repeat from 2 while a round executes fewer than half the containers of
 *    the round before (the first round compares with "infinitely many", so a
 *    round that executed anything is followed by another); then finish.
 *
 * Beacons are every validator but this node. Peer choice for GetAncestors is
 * the port's (AvalancheGo's peer tracker prefers high-bandwidth peers).
 */
import type { NodeId } from '../../host.js';
import { uniformInt, type ValidatorSet } from '../sampler.js';
import type { AncestorsLimits } from './ancestors.js';
import { BroadcastPoll } from './broadcast-poll.js';

/** bootstrapper.go maxOutstandingBroadcastRequests. */
export const MAX_OUTSTANDING_BROADCAST_REQUESTS = 50;

/** A container id (block or vertex). */
export type ContainerId = number;
type RequestId = number;

export interface Container {
  readonly id: ContainerId;
}

/** The network side of bootstrapping, common to every protocol. */
export interface RoundsPort {
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
  sendGetAcceptedFrontier(to: NodeId, requestId: RequestId): void;
  sendGetAccepted(to: NodeId, requestId: RequestId, ids: readonly ContainerId[]): void;
  sendGetAncestors(to: NodeId, requestId: RequestId, id: ContainerId): void;
}

/** Where fetched containers wait for execution (a chain by height, a DAG by id). */
export interface FetchStore<C extends Container> {
  /** Needs no fetch: accepted already (as far as the store tells), or held. */
  has(id: ContainerId): boolean;
  /**
   * An answer whose first container is the one asked for: keeps what it can
   * use; `resolved(id)` for each container no longer missing (the first one
   * always), `need(id)` for each one still to fetch. Returns how many it
   * kept.
   */
  process(first: C, rest: readonly C[], resolved: (id: ContainerId) => void, need: (id: ContainerId) => void): number;
  /** Executes (accepts) what it holds, in order, and forgets it; returns how many it executed. */
  execute(): number;
}

export type BootstrapPhase = 'waiting-for-peers' | 'frontier' | 'accepted' | 'fetching' | 'done';

export interface BootstrapStats {
  readonly rounds: number;
  readonly fetched: number;
  readonly executed: number;
  readonly ancestorsRequests: number;
  readonly failedAncestors: number;
}

export class BootstrapRounds<C extends Container> {
  private phase: BootstrapPhase = 'waiting-for-peers';
  /** Request id of this round's frontier and accepted polls (AvalancheGo reuses one per round). */
  private roundRequestId: RequestId = 0;
  private minority: BroadcastPoll | undefined;
  private majority: BroadcastPoll | undefined;
  private candidates: ContainerId[] = [];
  private readonly missing = new Set<ContainerId>();
  /** Outstanding GetAncestors: request id -> (peer, wanted container). */
  private readonly outstanding = new Map<RequestId, { readonly peer: NodeId; readonly id: ContainerId }>();
  /** Missing containers waiting for a connected peer. */
  private readonly unsent = new Set<ContainerId>();
  /** Missing containers waiting for a free GetAncestors slot (only with maxOutstandingAncestors). */
  private readonly queued = new Set<ContainerId>();
  private previouslyExecuted = Number.POSITIVE_INFINITY;
  private stats = { rounds: 0, fetched: 0, executed: 0, ancestorsRequests: 0, failedAncestors: 0 };
  private readonly beacons: NodeId[];
  private readonly beaconWeight: number;

  constructor(
    private readonly port: RoundsPort,
    private readonly store: FetchStore<C>,
    /** GetAncestors outstanding at once, at most (AvalancheGo's DAG bootstrapper: 10); undefined: no limit. */
    private readonly maxOutstandingAncestors?: number,
  ) {
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

  onAcceptedFrontier(from: NodeId, requestId: RequestId, ids: readonly ContainerId[]): void {
    if (this.phase !== 'frontier' || requestId !== this.roundRequestId || this.minority === undefined) return;
    if (!this.minority.record(from, ids)) return;
    this.advancePolls();
  }

  onGetAcceptedFrontierFailed(from: NodeId, requestId: RequestId): void {
    this.onAcceptedFrontier(from, requestId, []);
  }

  onAccepted(from: NodeId, requestId: RequestId, ids: readonly ContainerId[]): void {
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

  onAncestors(from: NodeId, requestId: RequestId, containers: readonly C[]): void {
    const req = this.outstanding.get(requestId);
    if (req === undefined || req.peer !== from) return; // not a request we made
    this.outstanding.delete(requestId);
    const received = containers.slice(0, this.port.limits.maxContainersReceived);
    const first = received[0];
    if (first === undefined || first.id !== req.id) {
      // Empty (the peer lacks it) or not what was asked: ask again, elsewhere.
      this.stats.failedAncestors++;
      this.fetch(req.id);
      this.drainQueued();
      return;
    }
    this.stats.fetched += this.store.process(
      first,
      received.slice(1),
      (id) => this.resolve(id),
      (id) => {
        this.missing.add(id);
        this.fetch(id);
      },
    );
    this.drainQueued();
    this.tryExecute();
  }

  onGetAncestorsFailed(from: NodeId, requestId: RequestId): void {
    const req = this.outstanding.get(requestId);
    if (req === undefined || req.peer !== from) return;
    this.outstanding.delete(requestId);
    this.stats.failedAncestors++;
    this.fetch(req.id);
    this.drainQueued();
  }

  private resolve(id: ContainerId): void {
    this.missing.delete(id);
    this.queued.delete(id);
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

  private startSyncing(accepted: readonly ContainerId[]): void {
    this.phase = 'fetching';
    for (const id of accepted) {
      if (this.store.has(id)) continue;
      this.missing.add(id);
    }
    for (const id of this.missing) this.fetch(id);
    this.tryExecute();
  }

  private fetch(id: ContainerId): void {
    for (const r of this.outstanding.values()) if (r.id === id) return; // already asked
    if (this.maxOutstandingAncestors !== undefined && this.outstanding.size >= this.maxOutstandingAncestors) {
      this.queued.add(id);
      return;
    }
    this.queued.delete(id);
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

  /** Fills free GetAncestors slots from the queue, oldest first. */
  private drainQueued(): void {
    if (this.phase !== 'fetching') return;
    for (const id of Array.from(this.queued)) {
      if (this.maxOutstandingAncestors !== undefined && this.outstanding.size >= this.maxOutstandingAncestors) return;
      if (this.missing.has(id)) this.fetch(id);
      else this.queued.delete(id);
    }
  }

  /** tryStartExecuting. */
  private tryExecute(): void {
    if (this.phase !== 'fetching' || this.missing.size > 0) return;
    const executed = this.store.execute();
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
    this.queued.clear();
    this.missing.clear();
  }
}
