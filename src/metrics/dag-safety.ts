/**
 * Safety checker for Avalanche DAG runs, fed every honest node's decisions in
 * event order (a node reports a vertex after the transactions it accepted in
 * the same step, and parents before children).
 *
 * What it detects:
 *  - `conflicting-tx`: two honest acceptances (on one node or on two) of
 *    different transactions spending the same input;
 *  - `unaccepted-parent`: an honest node accepting a vertex one of whose
 *    parents it has not accepted (an accepted vertex must have only accepted
 *    ancestors; by induction checking parents suffices);
 *  - `unaccepted-tx`: an honest node accepting a vertex holding a
 *    transaction it has not accepted.
 *
 * Memory: per vertex, transaction and input, only while some honest node has
 * not accepted it yet (a bitset of the nodes that have). Once every honest
 * node has, the entry moves to a decided-id set (bounded, decided-ids.ts):
 * after that every honest node holds it, which is all later checks need —
 * any further honest spend of a settled input is a conflict. A crashed
 * honest node holds entries until it catches up.
 */
import { DecidedIds } from '../consensus/avalanche/decided-ids.js';
import { GENESIS_VERTEX_ID, type InputId, type TxId, type VertexId } from '../consensus/avalanche/vertex.js';
import type { Micros, NodeId } from '../consensus/host.js';
import type { SafetySummary } from './summary.js';
import { toMillis } from '../sim/time.js';

export type DagAcceptance =
  | { readonly kind: 'tx'; readonly id: TxId; readonly inputs: readonly InputId[] }
  | {
      readonly kind: 'vertex';
      readonly id: VertexId;
      readonly height: number;
      readonly parents: readonly VertexId[];
      readonly txs: readonly TxId[];
    };

export type DagSafetyViolation =
  | { kind: 'conflicting-tx'; input: InputId; txs: [TxId, TxId]; node: NodeId; timeUs: Micros }
  | { kind: 'unaccepted-parent'; vertex: VertexId; height: number; parent: VertexId; node: NodeId; timeUs: Micros }
  | { kind: 'unaccepted-tx'; vertex: VertexId; height: number; tx: TxId; node: NodeId; timeUs: Micros };

export interface DagSafetyOptions {
  readonly nodes: number;
  readonly byzantine: ReadonlySet<NodeId>;
  readonly repro: string;
  /** Violations kept in full (all are counted). Default 16. */
  readonly maxExamples?: number;
}

/** Which honest nodes accepted each id, until all of them have. */
class AcceptanceIndex {
  private readonly partial = new Map<number, { count: number; nodes: Uint8Array }>();
  private readonly settled = new DecidedIds();

  constructor(
    private readonly nodes: number,
    private readonly honest: number,
  ) {}

  has(id: number, node: NodeId): boolean {
    if (this.settled.has(id)) return true;
    const e = this.partial.get(id);
    return e !== undefined && (e.nodes[node >> 3]! & (1 << (node & 7))) !== 0;
  }

  settledHas(id: number): boolean {
    return this.settled.has(id);
  }

  /** Records node's acceptance; returns false if it had already accepted it. */
  record(id: number, node: NodeId): boolean {
    if (this.settled.has(id)) return false;
    let e = this.partial.get(id);
    if (e === undefined) {
      e = { count: 0, nodes: new Uint8Array((this.nodes + 7) >> 3) };
      this.partial.set(id, e);
    }
    const bit = 1 << (node & 7);
    if ((e.nodes[node >> 3]! & bit) !== 0) return false;
    e.nodes[node >> 3] = e.nodes[node >> 3]! | bit;
    if (++e.count >= this.honest) {
      this.partial.delete(id);
      this.settled.add(id);
    }
    return true;
  }

  get tracked(): number {
    return this.partial.size;
  }
}

export class DagSafetyChecker {
  private readonly vertices: AcceptanceIndex;
  private readonly txs: AcceptanceIndex;
  /** Input -> the transaction honest nodes accepted spending it (until every honest node has). */
  private readonly spentBy = new Map<InputId, TxId>();
  private readonly settledInputs = new DecidedIds();
  private readonly inputAcceptors: AcceptanceIndex;
  private violations = 0;
  private readonly examples: DagSafetyViolation[] = [];
  private readonly maxExamples: number;

  constructor(private readonly opts: DagSafetyOptions) {
    const honest = opts.nodes - opts.byzantine.size;
    this.vertices = new AcceptanceIndex(opts.nodes, honest);
    this.txs = new AcceptanceIndex(opts.nodes, honest);
    this.inputAcceptors = new AcceptanceIndex(opts.nodes, honest);
    this.maxExamples = opts.maxExamples ?? 16;
    for (let n = 0; n < opts.nodes; n++) if (!opts.byzantine.has(n)) this.vertices.record(GENESIS_VERTEX_ID, n);
  }

  accept(a: DagAcceptance, node: NodeId, timeUs: Micros): void {
    if (this.opts.byzantine.has(node)) return;
    if (a.kind === 'tx') this.acceptTx(a.id, a.inputs, node, timeUs);
    else this.acceptVertex(a, node, timeUs);
  }

  private acceptTx(id: TxId, inputs: readonly InputId[], node: NodeId, timeUs: Micros): void {
    const already = this.txs.settledHas(id) || this.txs.has(id, node);
    this.txs.record(id, node);
    if (already) return; // the same transaction again: nothing new is spent
    for (const input of inputs) {
      if (this.settledInputs.has(input)) {
        // Every honest node already accepted the one spend of this input; this is another.
        this.record({ kind: 'conflicting-tx', input, txs: [-1, id], node, timeUs });
        continue;
      }
      const winner = this.spentBy.get(input);
      if (winner === undefined) this.spentBy.set(input, id);
      else if (winner !== id) {
        this.record({ kind: 'conflicting-tx', input, txs: [winner, id], node, timeUs });
        continue;
      }
      if (this.inputAcceptors.record(input, node) && this.inputAcceptors.settledHas(input)) {
        this.spentBy.delete(input);
        this.settledInputs.add(input);
      }
    }
  }

  private acceptVertex(v: Extract<DagAcceptance, { kind: 'vertex' }>, node: NodeId, timeUs: Micros): void {
    for (const p of v.parents) {
      if (!this.vertices.has(p, node)) this.record({ kind: 'unaccepted-parent', vertex: v.id, height: v.height, parent: p, node, timeUs });
    }
    for (const t of v.txs) {
      if (!this.txs.has(t, node)) this.record({ kind: 'unaccepted-tx', vertex: v.id, height: v.height, tx: t, node, timeUs });
    }
    this.vertices.record(v.id, node);
  }

  private record(v: DagSafetyViolation): void {
    this.violations++;
    if (this.examples.length < this.maxExamples) this.examples.push(v);
  }

  /** Entries held for ids not yet accepted by every honest node (memory figures, tests). */
  tracked(): { vertices: number; txs: number; inputs: number } {
    return { vertices: this.vertices.tracked, txs: this.txs.tracked, inputs: this.spentBy.size };
  }

  violationList(): readonly DagSafetyViolation[] {
    return this.examples;
  }

  /** The RunSummary.safety section. */
  summary(): SafetySummary {
    return {
      violations: this.violations,
      examples: this.examples.map((v) => {
        const timeMs = toMillis(v.timeUs);
        switch (v.kind) {
          case 'conflicting-tx':
            return { height: 0, nodes: [v.node], blocks: [`input ${v.input}`, `tx ${v.txs[0]}`, `tx ${v.txs[1]}`], timeMs };
          case 'unaccepted-parent':
            return { height: v.height, nodes: [v.node], blocks: [`vertex ${v.vertex}`, `parent ${v.parent}`], timeMs };
          case 'unaccepted-tx':
            return { height: v.height, nodes: [v.node], blocks: [`vertex ${v.vertex}`, `tx ${v.tx}`], timeMs };
        }
      }),
    };
  }
}
