/**
 * The snowstorm conflict graph (AvalancheGo snow/consensus/snowstorm/
 * directed.go, v1.9.x, without the linearisation's whitelists), sans-I/O and
 * with integer ids.
 *
 * Processing transactions are vertices of a graph whose edges join
 * transactions that spend a common input, directed towards the stronger one
 * (more successful polls; on a tie, the one issued first). A transaction is
 * preferred when it has no outbound edge: it is the preference of every
 * conflict set it is in (tx-snowball.ts explains how the per-transaction
 * counters are one Snowball instance per conflict set).
 *
 * - Virtuous: no conflicting transaction has been seen. Such a transaction is
 *   preferred, and finalises after BetaVirtuous consecutive successful polls;
 *   a rogue one needs BetaRogue. `virtuousVoting` are the virtuous ones still
 *   being voted on: the engine may stop polling (quiesce) when it is empty.
 * - A finalised transaction is accepted once every transaction it depends on
 *   (Tx.deps) is accepted; accepting it rejects every transaction it conflicts
 *   with, and rejecting a transaction rejects everything that depends on it.
 * - A transaction without inputs can never conflict: it is accepted when it
 *   is added ("vacuously accepted").
 * - A transaction spending an input that an accepted transaction spent is
 *   rejected when added. (AvalancheGo forgets an accepted transaction's
 *   inputs here and relies on the VM: such a transaction fails Verify and its
 *   vertex is never issued. Rejecting it is the same outcome for the
 *   transaction, and rejects its vertex, which is never accepted either way.)
 *
 * Memory: processing transactions only; decided ids and spent inputs are
 * remembered in the node's DagStore (bounded, and kept across a crash).
 * Decisions are buffered in order and taken with takeDecisions().
 */
import { DagStore } from './store.js';
import { confidenceAt, isFinalized, newTxSnowball, recordSuccessfulPoll, type TxSnowball } from './tx-snowball.js';
import type { DagTx, InputId, TxId } from './vertex.js';

export type TxStatus = 'processing' | 'accepted' | 'rejected' | 'unknown';

/** Transactions decided since the last takeDecisions(), in decision order. */
export interface TxDecisions {
  readonly accepted: DagTx[];
  /** For each accepted transaction, how many processing transactions it conflicted with when accepted. */
  readonly acceptedConflicts: number[];
  readonly rejected: DagTx[];
}

export interface ConflictGraphParams {
  readonly alpha: number;
  readonly betaVirtuous: number;
  readonly betaRogue: number;
}

interface TxNode {
  readonly tx: DagTx;
  readonly sb: TxSnowball;
  /** Finalised; waiting for `waiting` processing dependencies to be accepted. */
  pendingAccept: boolean;
  waiting: number;
  /** Conflicting transactions less preferred than this one (edges pointing here). */
  ins: Set<TxId> | undefined;
  /** Conflicting transactions more preferred than this one (edges leaving here). */
  outs: Set<TxId> | undefined;
}

export class ConflictGraph {
  private readonly txs = new Map<TxId, TxNode>();
  /** Input -> processing transactions spending it. */
  private readonly spenders = new Map<InputId, TxId[]>();
  private readonly preferred = new Set<TxId>();
  private readonly virtuousSet = new Set<TxId>();
  private readonly virtuousVotingSet = new Set<TxId>();
  /** Accepted and rejected ids, and spent inputs ((owner, counter) ids, so this stays small). */
  private readonly decided: DagStore['decidedTxs'];
  private readonly rejectedIds: Set<TxId>;
  private readonly spentInputs: DagStore['spentInputs'];
  /** Dependency -> finalised transactions waiting for it to be accepted. */
  private readonly acceptWaiters = new Map<TxId, TxId[]>();
  /** Dependency -> transactions to reject if it is rejected. */
  private readonly rejectWaiters = new Map<TxId, TxId[]>();
  private pollNumber = 0;
  private out: TxDecisions = emptyTxDecisions();

  constructor(
    private readonly params: ConflictGraphParams,
    store: DagStore = new DagStore(),
  ) {
    this.decided = store.decidedTxs;
    this.rejectedIds = store.rejectedTxs;
    this.spentInputs = store.spentInputs;
  }

  numProcessing(): number {
    return this.txs.size;
  }

  status(id: TxId): TxStatus {
    if (this.txs.has(id)) return 'processing';
    if (this.rejectedIds.has(id)) return 'rejected';
    return this.decided.has(id) ? 'accepted' : 'unknown';
  }

  isProcessing(id: TxId): boolean {
    return this.txs.has(id);
  }

  /** Added before: processing or decided (AvalancheGo Issued). */
  issued(id: TxId): boolean {
    return this.txs.has(id) || this.decided.has(id);
  }

  /** Processing: never seen in conflict. Otherwise: no processing transaction spends one of its inputs. */
  isVirtuous(tx: DagTx): boolean {
    const node = this.txs.get(tx.id);
    if (node !== undefined) return !node.sb.rogue;
    return tx.inputs.every((input) => !this.spenders.has(input) && !this.spentInputs.has(input));
  }

  /** An accepted transaction spent this input. */
  isSpent(input: InputId): boolean {
    return this.spentInputs.has(input);
  }

  /** Processing transactions this one conflicts with (for a processing one: its edges), ascending. */
  conflicts(tx: DagTx): TxId[] {
    const found = new Set<TxId>();
    const node = this.txs.get(tx.id);
    if (node !== undefined) {
      for (const c of node.ins ?? []) found.add(c);
      for (const c of node.outs ?? []) found.add(c);
    } else {
      for (const input of tx.inputs) for (const s of this.spenders.get(input) ?? []) found.add(s);
    }
    return [...found].toSorted((a, b) => a - b);
  }

  /** Calls fn for each transaction a processing transaction conflicts with (hot path, no allocation). */
  forEachConflict(id: TxId, fn: (conflict: TxId) => void): void {
    const node = this.txs.get(id);
    if (node === undefined) return;
    if (node.ins !== undefined) for (const c of node.ins) fn(c);
    if (node.outs !== undefined) for (const c of node.outs) fn(c);
  }

  preferences(): ReadonlySet<TxId> {
    return this.preferred;
  }

  virtuous(): ReadonlySet<TxId> {
    return this.virtuousSet;
  }

  virtuousVoting(): ReadonlySet<TxId> {
    return this.virtuousVotingSet;
  }

  /** No virtuous transaction is still being voted on. */
  quiesce(): boolean {
    return this.virtuousVotingSet.size === 0;
  }

  /** Nothing is preferred and undecided. */
  finalized(): boolean {
    return this.preferred.size === 0;
  }

  /** Read-only counters of a processing transaction (for tests and metrics). */
  snowballOf(id: TxId): { numSuccessfulPolls: number; confidence: number; rogue: boolean } | undefined {
    const node = this.txs.get(id);
    if (node === undefined) return undefined;
    const { sb } = node;
    return { numSuccessfulPolls: sb.numSuccessfulPolls, confidence: confidenceAt(sb, this.pollNumber), rogue: sb.rogue };
  }

  /** Processing entries held (the decided part is in the DagStore), for memory figures. */
  retained(): { processing: number; inputs: number; waiters: number } {
    return {
      processing: this.txs.size,
      inputs: this.spenders.size,
      waiters: this.acceptWaiters.size + this.rejectWaiters.size,
    };
  }

  /** Decisions made since the last call, in order. */
  takeDecisions(): TxDecisions {
    const d = this.out;
    if (d.accepted.length > 0 || d.rejected.length > 0) this.out = emptyTxDecisions();
    return d;
  }

  hasDecisions(): boolean {
    return this.out.accepted.length > 0 || this.out.rejected.length > 0;
  }

  /** Adds a transaction; a no-op if it was added before (processing or decided). */
  add(tx: DagTx): void {
    const id = tx.id;
    if (this.issued(id)) return;
    if (tx.inputs.length === 0) {
      this.acceptTx(tx, 0);
      return;
    }
    if (tx.inputs.some((input) => this.spentInputs.has(input))) {
      this.rejectTx(tx);
      return;
    }
    const node: TxNode = { tx, sb: newTxSnowball(), pendingAccept: false, waiting: 0, ins: undefined, outs: undefined };
    for (const input of tx.inputs) {
      let spenders = this.spenders.get(input);
      if (spenders === undefined) {
        spenders = [];
        this.spenders.set(input, spenders);
      }
      if (spenders.includes(id)) continue; // the same input named twice
      // Every earlier spender is preferred over the new one (it has no successful poll yet; ties go to the first).
      for (const s of spenders) this.addEdge(node, this.txs.get(s)!);
      spenders.push(id);
    }
    node.sb.rogue = node.outs !== undefined;
    if (!node.sb.rogue) {
      this.virtuousSet.add(id);
      this.virtuousVotingSet.add(id);
      this.preferred.add(id);
    }
    this.txs.set(id, node);
    this.registerRejector(node);
  }

  /**
   * Applies one poll's transaction votes. Only transactions with at least
   * Alpha votes count (ascending id order, so the result never depends on the
   * map's order). Returns whether a preference changed or something was
   * accepted (the DAG then recomputes its frontiers).
   */
  recordPoll(votes: ReadonlyMap<TxId, number>): boolean {
    const poll = ++this.pollNumber;
    const { alpha, betaVirtuous, betaRogue } = this.params;
    const met: TxId[] = [];
    for (const [id, n] of votes) if (n >= alpha) met.push(id);
    const successful = met.toSorted((a, b) => a - b);
    let changed = false;
    for (const id of successful) {
      const node = this.txs.get(id);
      // Already decided (e.g. accepted through a dependency earlier in this poll): the vote is dropped.
      if (node === undefined) continue;
      recordSuccessfulPoll(node.sb, poll);
      if (!node.pendingAccept && isFinalized(node.sb, betaVirtuous, betaRogue)) {
        node.pendingAccept = true;
        this.registerAcceptor(node);
      }
      if (this.txs.has(id)) changed = this.redirectEdges(node) || changed;
      else changed = true;
    }
    return changed;
  }

  private addEdge(src: TxNode, dst: TxNode): void {
    (src.outs ??= new Set()).add(dst.tx.id);
    // A conflict is known now: dst cannot be virtuous any more.
    this.virtuousSet.delete(dst.tx.id);
    this.virtuousVotingSet.delete(dst.tx.id);
    dst.sb.rogue = true;
    (dst.ins ??= new Set()).add(src.tx.id);
  }

  private registerRejector(node: TxNode): void {
    for (const dep of new Set(node.tx.deps)) {
      const s = this.status(dep);
      if (s === 'processing') pushTo(this.rejectWaiters, dep, node.tx.id);
      else if (s === 'rejected') {
        // Spends the output of a rejected transaction: it can never be accepted.
        this.reject([node.tx.id]);
        return;
      }
    }
  }

  private registerAcceptor(node: TxNode): void {
    const id = node.tx.id;
    // No longer voted on: a virtuous transaction waiting on a rogue one must not keep the engine polling.
    this.virtuousVotingSet.delete(id);
    let waiting = 0;
    for (const dep of new Set(node.tx.deps)) {
      if (!this.txs.has(dep)) continue; // decided (accepted: a rejected one would have rejected this)
      pushTo(this.acceptWaiters, dep, id);
      waiting++;
    }
    node.waiting = waiting;
    if (waiting === 0) this.accept(id);
  }

  private accept(id: TxId): void {
    const node = this.txs.get(id);
    if (node === undefined) return;
    this.txs.delete(id);
    // The inputs are spent for good.
    for (const input of node.tx.inputs) {
      this.spenders.delete(input);
      this.spentInputs.add(input);
    }
    this.virtuousSet.delete(id);
    this.virtuousVotingSet.delete(id);
    this.preferred.delete(id);
    const conflicts = (node.ins?.size ?? 0) + (node.outs?.size ?? 0);
    if (node.ins !== undefined) this.reject([...node.ins]);
    // Usually the accepted transaction is preferred, but it need not be.
    if (node.outs !== undefined) this.reject([...node.outs]);
    this.acceptTx(node.tx, conflicts);
  }

  private acceptTx(tx: DagTx, conflicts: number): void {
    const id = tx.id;
    this.decided.add(id);
    this.out.accepted.push(tx);
    this.out.acceptedConflicts.push(conflicts);
    this.rejectWaiters.delete(id);
    const waiters = this.acceptWaiters.get(id);
    if (waiters === undefined) return;
    this.acceptWaiters.delete(id);
    for (const w of waiters) {
      const n = this.txs.get(w);
      if (n !== undefined && n.pendingAccept && --n.waiting === 0) this.accept(w);
    }
  }

  private reject(ids: readonly TxId[]): void {
    for (const id of ids) {
      const node = this.txs.get(id);
      if (node === undefined) continue;
      for (const input of node.tx.inputs) {
        const spenders = this.spenders.get(input);
        if (spenders === undefined) continue; // spent by an accepted transaction
        const i = spenders.indexOf(id);
        if (i >= 0) spenders.splice(i, 1);
        if (spenders.length === 0) this.spenders.delete(input);
      }
      this.txs.delete(id);
      this.preferred.delete(id);
      this.virtuousSet.delete(id);
      this.virtuousVotingSet.delete(id);
      if (node.ins !== undefined) this.removeConflict(id, node.ins);
      if (node.outs !== undefined) this.removeConflict(id, node.outs);
      this.rejectTx(node.tx);
    }
  }

  private rejectTx(tx: DagTx): void {
    const id = tx.id;
    this.decided.add(id);
    this.rejectedIds.add(id);
    this.out.rejected.push(tx);
    // Waiting acceptances on it are abandoned: those transactions are rejected below.
    this.acceptWaiters.delete(id);
    const waiters = this.rejectWaiters.get(id);
    if (waiters === undefined) return;
    this.rejectWaiters.delete(id);
    this.reject(waiters);
  }

  private removeConflict(id: TxId, neighbours: ReadonlySet<TxId>): void {
    for (const n of neighbours) {
      const neighbour = this.txs.get(n);
      if (neighbour === undefined) continue;
      neighbour.ins?.delete(id);
      neighbour.outs?.delete(id);
      if (neighbour.outs === undefined || neighbour.outs.size === 0) this.preferred.add(n);
    }
  }

  /** Points every edge between `node` and a weaker conflicting transaction at `node`. */
  private redirectEdges(node: TxNode): boolean {
    if (node.outs === undefined) return false;
    let changed = false;
    // redirectEdge only removes the element being visited: safe on the live set.
    for (const c of node.outs) changed = this.redirectEdge(node, c) || changed;
    return changed;
  }

  private redirectEdge(node: TxNode, conflictId: TxId): boolean {
    const conflict = this.txs.get(conflictId)!;
    if (node.sb.numSuccessfulPolls <= conflict.sb.numSuccessfulPolls) return false;
    const id = node.tx.id;
    conflict.ins!.delete(id);
    (conflict.outs ??= new Set()).add(id);
    this.preferred.delete(conflictId);
    (node.ins ??= new Set()).add(conflictId);
    node.outs!.delete(conflictId);
    if (node.outs!.size === 0) this.preferred.add(id);
    return true;
  }
}

function pushTo(m: Map<TxId, TxId[]>, key: TxId, value: TxId): void {
  const list = m.get(key);
  if (list === undefined) m.set(key, [value]);
  else list.push(value);
}

function emptyTxDecisions(): TxDecisions {
  return { accepted: [], acceptedConflicts: [], rejected: [] };
}
