/**
 * Bootstrapping inside an Avalanche DAG node (AvalancheGo v1.9
 * snow/engine/avalanche/bootstrap/bootstrapper.go and getter/getter.go),
 * sans-I/O, on the code the Snowman node bootstraps with: the rounds of
 * engine/bootstrap/rounds.ts (startup gate, GetAcceptedFrontier to a
 * sample, GetAccepted to every beacon, GetAncestors bookkeeping, repeat
 * while rounds shrink by half) and the requests of
 * engine/bootstrap/requests.ts (adaptive timeout, benchlist, early failure),
 * over a store of fetched vertices:
 *
 * - an Ancestors answer is the requested vertex, then ancestors breadth
 *   first; after the first, a vertex is kept only while it is a parent of
 *   one kept before (AvalancheGo's `eligibleVertices`: reading stops at the
 *   first that is not); every parent neither accepted nor held is fetched;
 *   at most 10 GetAncestors are outstanding (maxOutstandingGetAncestorsRequests);
 * - once nothing is missing, the held vertices are accepted parents first
 *   (AvalancheGo's vertex and transaction job queues), their transactions
 *   with them; then consensus starts from the new accepted frontier (the
 *   requests still open stay registered until answered or timed out).
 *
 * The serving side every node has at all times: GetAcceptedFrontier answers
 * the accepted frontier, GetAccepted the asked vertices this node has
 * accepted, GetAncestors the vertex and its ancestors that it holds or can
 * serve (its processing vertices and the window of recently accepted ones),
 * breadth first, at most `ancestors.maxContainersSent` and `maxBytes`.
 */
import type { Micros, NodeId, TimerHandle } from '../../host.js';
import { boundedAncestors, type AncestorsLimits } from '../../engine/bootstrap/ancestors.js';
import { BootstrapRequests, type BootstrapNet, type BootstrapOp } from '../../engine/bootstrap/requests.js';
import { BootstrapRounds, type BootstrapStats, type FetchStore } from '../../engine/bootstrap/rounds.js';
import type { ValidatorSet } from '../../engine/sampler.js';
import type { VertexId } from '../vertex.js';
import type { DagMessage, RequestId, Vertex } from './messages.js';

/** snow/engine/avalanche/bootstrap maxOutstandingGetAncestorsRequests. */
export const DAG_MAX_OUTSTANDING_ANCESTORS = 10;

/** What a finished DAG bootstrap reports. */
export interface DagBootstrapOutcome extends BootstrapStats {
  /** Restart to done. */
  readonly durationUs: Micros;
  /** Vertices this node had accepted before and after. */
  readonly fromAccepted: number;
  readonly toAccepted: number;
}

/** What the bootstrapping needs of its node. */
export interface DagBootstrapNode {
  readonly net: BootstrapNet<DagMessage>;
  readonly validators: ValidatorSet;
  readonly sampleK: number;
  readonly limits: AncestorsLimits;
  readonly tickIntervalUs: Micros;
  setTickTimer(delay: Micros): TimerHandle;
  nextRequestId(): RequestId;
  send(to: NodeId, msg: DagMessage): void;
  isAccepted(id: VertexId): boolean;
  acceptedFrontier(): readonly VertexId[];
  acceptedCount(): number;
  /** A vertex held or servable (processing, waiting, or recently accepted). */
  vertex(id: VertexId): Vertex | undefined;
  /** Whether a Byzantine behaviour lets `to` have `v`. */
  serve(to: NodeId, v: Vertex): boolean;
  /** Accept a fetched vertex whose parents are accepted. */
  accept(v: Vertex): void;
}

/** Fetched vertices by id until they are executed (AvalancheGo's VtxBlocked / TxBlocked queues). */
class VertexStore implements FetchStore<Vertex> {
  private readonly held = new Map<VertexId, Vertex>();

  constructor(private readonly node: DagBootstrapNode) {}

  has(id: VertexId): boolean {
    return this.held.has(id) || this.node.isAccepted(id);
  }

  process(first: Vertex, rest: readonly Vertex[], resolved: (id: VertexId) => void, need: (id: VertexId) => void): number {
    const got: Vertex[] = [first];
    const eligible = new Set<VertexId>(first.parents);
    for (const v of rest) {
      if (!eligible.has(v.id)) break; // not an ancestor of what came before: the rest is not read
      eligible.delete(v.id);
      for (const p of v.parents) eligible.add(p);
      got.push(v);
    }
    let kept = 0;
    for (const v of got) {
      resolved(v.id);
      if (this.has(v.id)) continue;
      this.held.set(v.id, v);
      kept++;
    }
    for (const v of got) for (const p of v.parents) if (!this.has(p)) need(p);
    return kept;
  }

  /** Accepts the held vertices parents first (by height, then id; a vertex whose parents are not accepted waits for the next pass). */
  execute(): number {
    let todo = [...this.held.values()].toSorted((a, b) => a.height - b.height || a.id - b.id);
    this.held.clear();
    let executed = 0;
    for (;;) {
      const waiting: Vertex[] = [];
      for (const v of todo) {
        if (this.node.isAccepted(v.id)) continue;
        if (v.parents.every((p) => this.node.isAccepted(p))) {
          this.node.accept(v);
          executed++;
        } else {
          waiting.push(v);
        }
      }
      if (waiting.length === 0 || waiting.length === todo.length) return executed;
      todo = waiting;
    }
  }
}

export class DagBootstrapping {
  private rounds: BootstrapRounds<Vertex> | undefined;
  private readonly requests: BootstrapRequests<DagMessage>;
  private startedAt: Micros = 0;
  private fromAccepted = 0;
  private tickTimer: TimerHandle | undefined;

  constructor(
    private readonly node: DagBootstrapNode,
    /** Called once the bootstrapper is done: consensus may start. */
    private readonly onDone: (outcome: DagBootstrapOutcome) => void,
  ) {
    this.requests = new BootstrapRequests(node.net, (op, peer, requestId) => this.failed(op, peer, requestId));
  }

  get active(): boolean {
    return this.rounds !== undefined;
  }

  start(): void {
    const n = this.node;
    this.startedAt = n.net.host.now();
    this.fromAccepted = n.acceptedCount();
    this.rounds = new BootstrapRounds<Vertex>(
      {
        self: n.net.id,
        validators: n.validators,
        sampleK: n.sampleK,
        limits: n.limits,
        random: () => n.net.random(),
        nextRequestId: () => n.nextRequestId(),
        isConnected: (peer) => n.net.host.isConnected(peer),
        selectPeer: () => this.requests.selectPeer(),
        sendGetAcceptedFrontier: (to, requestId) => this.requests.send(to, requestId, 'frontier', (deadlineUs) => ({ kind: 'get-accepted-frontier', requestId, deadlineUs })),
        sendGetAccepted: (to, requestId, ids) =>
          this.requests.send(to, requestId, 'accepted', (deadlineUs) => ({ kind: 'get-accepted', requestId, vertexIds: ids, deadlineUs })),
        sendGetAncestors: (to, requestId, id) =>
          this.requests.send(to, requestId, 'ancestors', (deadlineUs) => ({ kind: 'get-ancestors', requestId, vertexId: id, deadlineUs })),
      },
      new VertexStore(n),
      DAG_MAX_OUTSTANDING_ANCESTORS,
    );
    this.armTick();
    this.rounds.start();
    this.checkDone();
  }

  /** Periodic while bootstrapping: waits for enough connected beacons, retries vertices that had no peer. */
  onTick(): void {
    this.armTick();
    this.rounds?.onConnected();
    this.checkDone();
  }

  onTimeout(key: number): void {
    this.requests.onTimeout(key);
  }

  /** Serves a bootstrapping request from a peer (always, bootstrapping or not). */
  serve(from: NodeId, msg: DagMessage): void {
    const n = this.node;
    switch (msg.kind) {
      case 'get-accepted-frontier':
        n.send(from, { kind: 'accepted-frontier', requestId: msg.requestId, vertexIds: n.acceptedFrontier() });
        return;
      case 'get-accepted':
        n.send(from, { kind: 'accepted', requestId: msg.requestId, vertexIds: msg.vertexIds.filter((id) => n.isAccepted(id)) });
        return;
      case 'get-ancestors': {
        const vertices = boundedAncestors(msg.vertexId, (id) => n.vertex(id), (v) => v.parents, n.limits);
        if (vertices.length > 0 && !n.serve(from, vertices[0]!)) return;
        n.send(from, { kind: 'ancestors', requestId: msg.requestId, vertices });
        return;
      }
      default:
        return;
    }
  }

  /** An answer to a bootstrapping request; false when it answers nothing this node asked `from` (dropped). */
  onResponse(from: NodeId, msg: DagMessage): boolean {
    const rounds = this.rounds;
    if (msg.kind !== 'accepted-frontier' && msg.kind !== 'accepted' && msg.kind !== 'ancestors') return false;
    const op: BootstrapOp = msg.kind === 'accepted-frontier' ? 'frontier' : msg.kind === 'accepted' ? 'accepted' : 'ancestors';
    const settled = this.requests.settle(from, msg.requestId, op);
    if (settled === 'unknown') return false;
    // Its failure went to the bootstrapper already, or bootstrapping is over (the request stays registered until then).
    if (settled === 'handled' || rounds === undefined) return true;
    if (msg.kind === 'accepted-frontier') rounds.onAcceptedFrontier(from, msg.requestId, msg.vertexIds);
    else if (msg.kind === 'accepted') rounds.onAccepted(from, msg.requestId, msg.vertexIds);
    else rounds.onAncestors(from, msg.requestId, msg.vertices);
    this.checkDone();
    return true;
  }

  private failed(op: BootstrapOp, peer: NodeId, requestId: RequestId): void {
    const rounds = this.rounds;
    if (rounds === undefined) return;
    if (op === 'frontier') rounds.onGetAcceptedFrontierFailed(peer, requestId);
    else if (op === 'accepted') rounds.onGetAcceptedFailed(peer, requestId);
    else rounds.onGetAncestorsFailed(peer, requestId);
    this.checkDone();
  }

  private armTick(): void {
    this.tickTimer = this.node.setTickTimer(this.node.tickIntervalUs);
  }

  private checkDone(): void {
    const rounds = this.rounds;
    if (rounds === undefined || !rounds.done()) return;
    const now = this.node.net.host.now();
    this.finish();
    this.onDone({ ...rounds.statistics(), durationUs: now - this.startedAt, fromAccepted: this.fromAccepted, toAccepted: this.node.acceptedCount() });
  }

  /** Done: the rounds and the tick go; open requests stay registered until answered or timed out (as the Snowman node's). */
  private finish(): void {
    if (this.tickTimer !== undefined) this.node.net.host.cancelTimer(this.tickTimer);
    this.tickTimer = undefined;
    this.requests.finish();
    this.rounds = undefined;
  }

  /** A crash: everything cancelled. */
  clear(): void {
    if (this.tickTimer !== undefined) this.node.net.host.cancelTimer(this.tickTimer);
    this.tickTimer = undefined;
    this.requests.clear();
    this.rounds = undefined;
  }
}
