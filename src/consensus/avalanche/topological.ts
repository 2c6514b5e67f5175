/**
 * Topological: Avalanche consensus over a DAG of vertices (AvalancheGo
 * snow/consensus/avalanche/topological.go as of v1.7, before vertices were
 * also voted on as transactions of their own for the linearisation's stop
 * vertex), sans-I/O, integer ids, pruned.
 *
 * State: the processing vertices, the snowstorm conflict graph of their
 * transactions (conflict-graph.ts), and three frontiers over the processing
 * and accepted vertices: `frontier` (no known child), `preferences` (strongly
 * preferred: every transaction in the vertex and its processing ancestry is
 * preferred), `virtuous` (strongly virtuous, likewise; the engine takes new
 * vertices' parents from it).
 *
 * recordPoll(responses), as AvalancheGo:
 * 1. Fewer than Alpha responder slots voted at all: the conflict graph
 *    records an empty poll (every confidence run breaks) and nothing else.
 * 2. Transitive voting, Kahn's order: each processing vertex reachable from a
 *    voted vertex through processing parents collects the *set* of slots
 *    that voted for it or a descendant (a slot counts once however many
 *    paths lead to it), and gives that set to each of its transactions.
 * 3. A slot that voted for two conflicting transactions counts for neither.
 * 4. Transactions with >= Alpha slots record a successful poll in the
 *    conflict graph; if a preference changed or something was accepted, the
 *    frontiers are recomputed from the old frontier down (`update`), which
 *    also accepts a vertex whose parents are accepted and whose transactions
 *    are all accepted, and rejects one with a rejected parent or a rejected
 *    transaction (so rejection propagates to all descendants). Transactions
 *    of a rejected vertex stay in the conflict graph: virtuous ones become
 *    orphans, which the engine re-issues in new vertices.
 *
 * Pruning (AvalancheGo keeps every vertex; its code has a TODO for this):
 * an accepted vertex leaves the processing map; only its id is kept, in a
 * DecidedIds (memory bounded by owners, not vertices), plus the ids still on
 * a frontier. Rejected vertex ids are kept in a set (they come only from
 * conflicts). So a node's consensus state does not grow with the DAG.
 */
import { ConflictGraph, type TxStatus } from './conflict-graph.js';
import type { DagConsensus, DagDecisions, PollResponses, VertexStatus } from './consensus.js';
import { DagStore } from './store.js';
import { assertValidAvalancheParams, type AvalancheParams } from './params.js';
import type { DagTx, DagVertex, TxId, VertexId } from './vertex.js';
import { VoterBits } from './voter-bits.js';

interface VertexNode<V extends DagVertex> {
  readonly vtx: V;
  // Per-poll scratch, valid when stamp equals the poll number.
  stamp: number;
  /** Edges from touched children not yet pushed (Kahn). */
  inDegree: number;
  /** Voter set (VoterBits index). */
  slot: number;
}

const EMPTY_VOTES: ReadonlyMap<TxId, number> = new Map();

interface DecisionBuffer<V extends DagVertex> {
  acceptedVertices: V[];
  rejectedVertices: V[];
  acceptedTxs: DagTx[];
  acceptedTxConflicts: number[];
  rejectedTxs: DagTx[];
}

const NO_DECISIONS: DagDecisions<never> = Object.freeze({
  acceptedVertices: Object.freeze([]),
  rejectedVertices: Object.freeze([]),
  acceptedTxs: Object.freeze([]),
  acceptedTxConflicts: Object.freeze([]),
  rejectedTxs: Object.freeze([]),
});

export class Topological<V extends DagVertex> implements DagConsensus<V> {
  readonly params: AvalancheParams;
  private readonly cg: ConflictGraph;
  private readonly nodes = new Map<VertexId, VertexNode<V>>();
  private readonly decided: DagStore['decidedVertices'];
  private readonly rejectedIds: Set<VertexId>;
  private frontier = new Set<VertexId>();
  private readonly preferredSet = new Set<VertexId>();
  private readonly virtuousSet = new Set<VertexId>();
  private readonly orphanSet = new Set<TxId>();
  private readonly acceptedEdge = new Set<VertexId>();
  /** Strongly preferred / strongly virtuous, per vertex visited since the last frontier update. */
  private readonly preferenceCache = new Map<VertexId, boolean>();
  private readonly virtuousCache = new Map<VertexId, boolean>();
  private pollNumber = 0;
  /** Bumped whenever the preferred or accepted frontier may have changed (engine caches its chits by it). */
  private frontiers = 0;
  private successful = false;
  private out: DecisionBuffer<V> = emptyDecisions();
  // Reused scratch.
  private readonly bits = new VoterBits();
  private readonly touched: VertexNode<V>[] = [];
  private readonly work: VertexNode<V>[] = [];
  private readonly txSlots = new Map<TxId, number>();
  private readonly conflictSlots: number[] = [];
  private readonly stackIds: VertexId[] = [];
  private readonly stackPhase: number[] = [];

  /**
   * `acceptedFrontier`: the accepted vertices to start from (genesis, or a
   * node's accepted edge after a restart); `store`: what the node remembers
   * of decided vertices and transactions (kept across restarts).
   */
  constructor(
    params: AvalancheParams,
    acceptedFrontier: readonly VertexId[],
    private readonly store: DagStore = new DagStore(),
  ) {
    this.params = assertValidAvalancheParams(params);
    this.cg = new ConflictGraph(params, store);
    this.decided = store.decidedVertices;
    this.rejectedIds = store.rejectedVertices;
    for (const id of acceptedFrontier) {
      this.decided.add(id);
      this.frontier.add(id);
      this.acceptedEdge.add(id);
    }
    this.updateFrontiers();
  }

  numProcessing(): number {
    return this.nodes.size;
  }

  numProcessingTxs(): number {
    return this.cg.numProcessing();
  }

  isVirtuous(tx: DagTx): boolean {
    return this.cg.isVirtuous(tx);
  }

  vertexStatus(id: VertexId): VertexStatus {
    if (this.nodes.has(id)) return 'processing';
    if (this.rejectedIds.has(id)) return 'rejected';
    return this.decided.has(id) ? 'accepted' : 'unknown';
  }

  txStatus(id: TxId): TxStatus {
    return this.cg.status(id);
  }

  vertexIssued(id: VertexId): boolean {
    return this.nodes.has(id) || this.decided.has(id);
  }

  txIssued(id: TxId): boolean {
    return this.cg.issued(id);
  }

  orphans(): ReadonlySet<TxId> {
    return this.orphanSet;
  }

  virtuous(): ReadonlySet<VertexId> {
    return this.virtuousSet;
  }

  preferences(): ReadonlySet<VertexId> {
    return this.preferredSet;
  }

  acceptedFrontier(): ReadonlySet<VertexId> {
    return this.acceptedEdge;
  }

  /** Changes whenever preferences() or acceptedFrontier() may have changed since the last call. */
  frontierVersion(): number {
    return this.frontiers;
  }

  quiesce(): boolean {
    return this.cg.quiesce();
  }

  finalized(): boolean {
    return this.cg.finalized();
  }

  /** Whether the last recordPoll gave some processing transaction at least Alpha votes (poll-success metrics). */
  lastPollSuccessful(): boolean {
    return this.successful;
  }

  /** A processing transaction that its conflict sets prefer (virtuous ones always are). */
  isTxPreferred(id: TxId): boolean {
    return this.cg.preferences().has(id);
  }

  /** Read-only snowball counters of a processing transaction (tests, metrics). */
  txSnowball(id: TxId): { numSuccessfulPolls: number; confidence: number; rogue: boolean } | undefined {
    return this.cg.snowballOf(id);
  }

  /** Entries held in memory (processing state, frontiers, decided-id indexes): bounded as the DAG grows. */
  retainedEntries(): number {
    const t = this.cg.retained();
    return (
      this.nodes.size +
      this.frontier.size +
      this.acceptedEdge.size +
      this.preferenceCache.size +
      t.processing +
      t.inputs +
      t.waiters +
      this.store.heldEntries()
    );
  }

  /** Processing transactions conflicting with `tx` (conflict-set sizes for metrics). */
  conflictsOf(tx: DagTx): TxId[] {
    return this.cg.conflicts(tx);
  }

  add(vtx: V): DagDecisions<V> {
    const id = vtx.id;
    if (this.vertexStatus(id) !== 'unknown') return this.take();
    for (const p of vtx.parents) {
      if (this.vertexStatus(p) === 'unknown') {
        throw new Error(`unknown parent vertex: vertex ${id} names parent ${p}, neither processing nor decided`);
      }
    }
    for (const tx of vtx.txs) if (!this.cg.issued(tx.id)) this.cg.add(tx);
    this.nodes.set(id, { vtx, stamp: 0, inDegree: 0, slot: 0 });
    // Only this vertex (and any uncached ancestor) is updated: statuses of
    // vertices that now hold a newly rogue transaction refresh at the next
    // poll that changes something, as in AvalancheGo (the virtuous frontier
    // is only used optimistically).
    this.update(id);
    this.frontiers++;
    return this.take();
  }

  recordPoll(responses: PollResponses): DagDecisions<V> {
    const poll = ++this.pollNumber;
    this.successful = false;
    let voters = 0;
    for (const r of responses) if (r.length > 0) voters++;
    if (voters < this.params.alpha) {
      // No transaction can get Alpha votes: skip the traversals, fail the poll.
      this.cg.recordPoll(EMPTY_VOTES);
      return this.take();
    }
    this.markReachable(responses, poll);
    const votes = this.pushVotes(poll);
    for (const n of votes.values()) {
      if (n >= this.params.alpha) {
        this.successful = true;
        break;
      }
    }
    if (this.cg.recordPoll(votes)) this.updateFrontiers();
    return this.take();
  }

  /** Kahn set-up: voter sets of voted vertices and in-degrees of their processing ancestors. */
  private markReachable(responses: PollResponses, poll: number): void {
    const { bits, touched } = this;
    bits.reset(responses.length);
    touched.length = 0;
    for (let slot = 0; slot < responses.length; slot++) {
      for (const id of responses[slot]!) {
        // Votes for decided or unknown vertices are dropped.
        const n = this.nodes.get(id);
        if (n === undefined) continue;
        if (n.stamp !== poll) {
          this.touch(n, poll);
          this.markAncestors(n, poll);
        }
        bits.add(n.slot, slot);
      }
    }
  }

  private touch(n: VertexNode<V>, poll: number): void {
    n.stamp = poll;
    n.inDegree = 0;
    n.slot = this.bits.alloc();
    this.touched.push(n);
  }

  /** Counts one in-edge per (touched child, processing parent); traverses each ancestor once. */
  private markAncestors(from: VertexNode<V>, poll: number): void {
    const work = this.work;
    work.length = 0;
    work.push(from);
    while (work.length > 0) {
      const child = work.pop()!;
      for (const pid of child.vtx.parents) {
        const p = this.nodes.get(pid);
        if (p === undefined) continue; // decided: no need to vote
        if (p.stamp !== poll) {
          this.touch(p, poll);
          work.push(p);
        }
        p.inDegree++;
      }
    }
  }

  /** Pushes voter sets from the leaves towards the accepted vertices; returns votes per transaction. */
  private pushVotes(poll: number): Map<TxId, number> {
    const { bits, txSlots, cg } = this;
    txSlots.clear();
    const leaves = this.work;
    leaves.length = 0;
    for (const n of this.touched) if (n.inDegree === 0) leaves.push(n);
    while (leaves.length > 0) {
      const n = leaves.pop()!;
      for (const tx of n.vtx.txs) {
        if (!cg.isProcessing(tx.id)) continue;
        let s = txSlots.get(tx.id);
        if (s === undefined) {
          s = bits.alloc();
          txSlots.set(tx.id, s);
        }
        bits.union(s, n.slot);
      }
      for (const pid of n.vtx.parents) {
        const p = this.nodes.get(pid);
        if (p === undefined || p.stamp !== poll) continue;
        bits.union(p.slot, n.slot);
        if (--p.inDegree === 0) leaves.push(p);
      }
    }
    // A slot that voted for conflicting transactions counts for none of them.
    const votes = new Map<TxId, number>();
    const others = this.conflictSlots;
    for (const [txId, s] of txSlots) {
      others.length = 0;
      cg.forEachConflict(txId, (c) => {
        const cs = txSlots.get(c);
        if (cs !== undefined) others.push(cs);
      });
      const n = bits.sizeWithout(s, others);
      if (n > 0) votes.set(txId, n);
    }
    return votes;
  }

  /** Recomputes the three frontiers from the old frontier down, deciding vertices on the way. */
  private updateFrontiers(): void {
    this.frontiers++;
    const old = this.frontier;
    this.frontier = new Set();
    this.preferredSet.clear();
    this.virtuousSet.clear();
    this.preferenceCache.clear();
    this.virtuousCache.clear();
    this.orphanSet.clear();
    // Initially nothing is preferred: every virtuous transaction is an orphan until a preferred vertex holds it.
    for (const tx of this.cg.virtuous()) this.orphanSet.add(tx);
    for (const id of old) this.update(id);
  }

  /**
   * AvalancheGo update(vtx), iteratively (post-order over uncached
   * ancestors, so deep DAGs cannot overflow the stack).
   */
  private update(root: VertexId): void {
    const ids = this.stackIds;
    const phase = this.stackPhase;
    ids.length = 0;
    phase.length = 0;
    ids.push(root);
    phase.push(0);
    while (ids.length > 0) {
      const top = ids.length - 1;
      const id = ids[top]!;
      if (this.preferenceCache.has(id)) {
        ids.pop();
        phase.pop();
        continue;
      }
      const node = this.nodes.get(id);
      if (node === undefined) {
        this.updateDecided(id);
        ids.pop();
        phase.pop();
        continue;
      }
      if (phase[top] === 0) {
        phase[top] = 1;
        for (const p of node.vtx.parents) {
          if (!this.preferenceCache.has(p)) {
            ids.push(p);
            phase.push(0);
          }
        }
        continue;
      }
      ids.pop();
      phase.pop();
      this.updateProcessing(node);
    }
  }

  /** A decided vertex reached by update: accepted ones are preferred, virtuous and (so far) childless. */
  private updateDecided(id: VertexId): void {
    const accepted = !this.rejectedIds.has(id);
    if (accepted) {
      this.preferredSet.add(id);
      this.virtuousSet.add(id);
      this.frontier.add(id);
    }
    this.preferenceCache.set(id, accepted);
    this.virtuousCache.set(id, accepted);
  }

  /** Every parent of `node` is cached. */
  private updateProcessing(node: VertexNode<V>): void {
    const { vtx } = node;
    const id = vtx.id;
    const cg = this.cg;
    const cgPreferred = cg.preferences();
    const cgVirtuous = cg.virtuous();
    let acceptable = true;
    let rejectable = false;
    let preferred = true;
    let virtuous = true;
    for (const tx of vtx.txs) {
      const s = cg.status(tx.id);
      if (s === 'rejected') {
        rejectable = true;
        preferred = false;
        virtuous = false;
      }
      if (s !== 'accepted') {
        acceptable = false;
        preferred = preferred && cgPreferred.has(tx.id);
        virtuous = virtuous && cgVirtuous.has(tx.id);
      }
    }
    for (const p of vtx.parents) {
      preferred = preferred && this.preferenceCache.get(p) === true;
      virtuous = virtuous && this.virtuousCache.get(p) === true;
    }
    for (const p of vtx.parents) {
      const s = this.vertexStatus(p);
      if (s === 'rejected') {
        // A rejected parent rejects the vertex (and so, in turn, its descendants).
        this.rejectVertex(node);
        this.preferenceCache.set(id, false);
        this.virtuousCache.set(id, false);
        return;
      }
      if (s !== 'accepted') acceptable = false;
    }
    if (!rejectable) {
      for (const p of vtx.parents) this.frontier.delete(p);
      this.frontier.add(id);
    }
    this.preferenceCache.set(id, preferred);
    this.virtuousCache.set(id, virtuous);
    if (preferred) {
      this.preferredSet.add(id);
      for (const p of vtx.parents) this.preferredSet.delete(p);
      if (this.orphanSet.size > 0) for (const tx of vtx.txs) this.orphanSet.delete(tx.id);
    }
    if (virtuous) {
      this.virtuousSet.add(id);
      for (const p of vtx.parents) this.virtuousSet.delete(p);
    }
    if (acceptable) this.acceptVertex(node);
    else if (rejectable) this.rejectVertex(node);
  }

  private acceptVertex(node: VertexNode<V>): void {
    const { vtx } = node;
    this.nodes.delete(vtx.id);
    this.decided.add(vtx.id);
    for (const p of vtx.parents) this.acceptedEdge.delete(p);
    this.acceptedEdge.add(vtx.id);
    this.out.acceptedVertices.push(vtx);
  }

  private rejectVertex(node: VertexNode<V>): void {
    const { vtx } = node;
    this.nodes.delete(vtx.id);
    this.decided.add(vtx.id);
    this.rejectedIds.add(vtx.id);
    this.out.rejectedVertices.push(vtx);
  }

  /** Decisions since the last call, with the conflict graph's transaction decisions. */
  private take(): DagDecisions<V> {
    const d = this.out;
    const txs = this.cg.takeDecisions();
    if (txs.accepted.length > 0) {
      d.acceptedTxs.push(...txs.accepted);
      d.acceptedTxConflicts.push(...txs.acceptedConflicts);
    }
    if (txs.rejected.length > 0) d.rejectedTxs.push(...txs.rejected);
    if (d.acceptedVertices.length + d.rejectedVertices.length + d.acceptedTxs.length + d.rejectedTxs.length === 0) {
      return NO_DECISIONS;
    }
    this.out = emptyDecisions();
    return d;
  }
}

function emptyDecisions<V extends DagVertex>(): DecisionBuffer<V> {
  return { acceptedVertices: [], rejectedVertices: [], acceptedTxs: [], acceptedTxConflicts: [], rejectedTxs: [] };
}
