/**
 * Seeded invariants of the DAG consensus (in the spirit of AvalancheGo's
 * snowstorm network_test.go): a small network of Topological instances with
 * double spends, vertices delivered to each node in its own random order,
 * random K-sample polls answered with the responders' preferred frontiers,
 * orphans re-issued. Checked after every step, at every node:
 *   - an accepted vertex has only accepted parents and only accepted transactions;
 *   - a vertex or transaction is decided at most once, and never both ways;
 *   - a node never accepts two transactions that spend the same input;
 * and across nodes: no transaction accepted at one node and rejected at
 * another, no two conflicting transactions accepted anywhere. At the end
 * every transaction that never had a conflict is accepted everywhere.
 */
import { describe, expect, it } from 'vitest';
import { createStream, type RandomStream } from '../../sim/rng.js';
import type { DagDecisions } from './consensus.js';
import type { AvalancheParams } from './params.js';
import { Topological } from './topological.js';
import { GENESIS_VERTEX_ID, type DagTx, type DagVertex, type InputId, type TxId, type VertexId } from './vertex.js';

const P: AvalancheParams = {
  k: 5,
  alpha: 4,
  betaVirtuous: 3,
  betaRogue: 5,
  concurrentRepolls: 1,
  optimalProcessing: 1,
  maxOutstandingItems: 1,
  maxItemProcessingTimeUs: 1,
  parents: 3,
  batchSize: 4,
};

interface Node {
  readonly dag: Topological<DagVertex>;
  /** Vertices not yet added here, in arrival order. */
  readonly inbox: DagVertex[];
  readonly acceptedTx: Set<TxId>;
  readonly rejectedTx: Set<TxId>;
  readonly acceptedVtx: Set<VertexId>;
  readonly rejectedVtx: Set<VertexId>;
  /** Input -> the transaction this node accepted spending it. */
  readonly spent: Map<InputId, TxId>;
  /** Transactions clients gave this node to issue. */
  readonly toIssue: DagTx[];
}

interface Outcome {
  accepted: number;
  rejected: number;
  vertices: number;
  polls: number;
}

function run(seed: number, nodes: number, coins: number, conflictFraction: number): Outcome {
  const rng = createStream(seed, 0, 'consensus');
  const net: Node[] = Array.from({ length: nodes }, () => ({
    dag: new Topological<DagVertex>(P, [GENESIS_VERTEX_ID]),
    inbox: [],
    acceptedTx: new Set(),
    rejectedTx: new Set(),
    acceptedVtx: new Set(),
    rejectedVtx: new Set(),
    spent: new Map(),
    toIssue: [],
  }));
  // Coins: one transaction each, a fraction double spent by a second transaction given to another node.
  const txById = new Map<TxId, DagTx>();
  const conflicting = new Set<TxId>();
  let nextTx = 1;
  for (let c = 0; c < coins; c++) {
    const input = 1_000_000 + c;
    const a: DagTx = { id: nextTx++, inputs: [input], deps: [] };
    txById.set(a.id, a);
    net[rng.int(nodes)]!.toIssue.push(a);
    if (rng.next() < conflictFraction) {
      const b: DagTx = { id: nextTx++, inputs: [input], deps: [] };
      txById.set(b.id, b);
      conflicting.add(a.id).add(b.id);
      net[rng.int(nodes)]!.toIssue.push(b);
    }
  }
  let nextVertex = 1;
  let vertices = 0;
  let polls = 0;

  const record = (n: Node, d: DagDecisions<DagVertex>): void => {
    for (const t of d.acceptedTxs) {
      expect(n.acceptedTx.has(t.id) || n.rejectedTx.has(t.id)).toBe(false);
      n.acceptedTx.add(t.id);
      for (const input of t.inputs) {
        expect(n.spent.has(input), `node accepted two spends of input ${input}`).toBe(false);
        n.spent.set(input, t.id);
      }
    }
    for (const t of d.rejectedTxs) {
      expect(n.acceptedTx.has(t.id) || n.rejectedTx.has(t.id)).toBe(false);
      n.rejectedTx.add(t.id);
    }
    for (const v of d.acceptedVertices) {
      expect(n.acceptedVtx.has(v.id) || n.rejectedVtx.has(v.id)).toBe(false);
      for (const p of v.parents) expect(n.dag.vertexStatus(p)).toBe('accepted');
      for (const t of v.txs) expect(n.dag.txStatus(t.id)).toBe('accepted');
      n.acceptedVtx.add(v.id);
    }
    for (const v of d.rejectedVertices) {
      expect(n.acceptedVtx.has(v.id) || n.rejectedVtx.has(v.id)).toBe(false);
      n.rejectedVtx.add(v.id);
    }
  };

  const issue = (n: Node, txs: DagTx[]): void => {
    const frontier = [...n.dag.virtuous()];
    const parents = pick(rng, frontier, P.parents);
    const v: DagVertex = { id: nextVertex++, parents, txs };
    vertices++;
    for (const m of net) m.inbox.push(v);
  };

  const deliver = (n: Node): void => {
    // A random deliverable vertex (all parents known here).
    for (let tries = 0; tries < 4 && n.inbox.length > 0; tries++) {
      const i = rng.int(n.inbox.length);
      const v = n.inbox[i]!;
      if (v.parents.every((p) => n.dag.vertexStatus(p) !== 'unknown')) {
        n.inbox.splice(i, 1);
        record(n, n.dag.add(v));
        return;
      }
    }
  };

  const poll = (n: Node): void => {
    const responses: VertexId[][] = [];
    for (let s = 0; s < P.k; s++) responses.push([...net[rng.int(nodes)]!.dag.preferences()]);
    record(n, n.dag.recordPoll(responses));
    polls++;
  };

  const crossCheck = (): void => {
    const violations: string[] = [];
    for (const n of net) {
      for (const t of n.acceptedTx) if (net.some((m) => m.rejectedTx.has(t))) violations.push(`tx ${t} accepted and rejected`);
      for (const v of n.acceptedVtx) if (net.some((m) => m.rejectedVtx.has(v))) violations.push(`vertex ${v} accepted and rejected`);
    }
    const spentBy = new Map<InputId, TxId>();
    for (const n of net) {
      for (const [input, t] of n.spent) {
        const other = spentBy.get(input);
        if (other !== undefined && other !== t) violations.push(`input ${input} spent by ${other} and ${t}`);
        spentBy.set(input, t);
      }
    }
    expect(violations).toEqual([]);
  };

  for (let step = 0; step < 40_000; step++) {
    const n = net[rng.int(nodes)]!;
    const r = rng.next();
    if (r < 0.1 && n.toIssue.length > 0) {
      issue(n, n.toIssue.splice(0, 1 + rng.int(P.batchSize)));
    } else if (r < 0.13 && n.dag.orphans().size > 0) {
      // The engine re-issues orphans (virtuous transactions in no preferred vertex).
      const orphans = [...n.dag.orphans()].toSorted((a, b) => a - b).slice(0, P.batchSize);
      issue(n, orphans.map((id) => txById.get(id)!));
    } else if (r < 0.55) {
      deliver(n);
    } else {
      poll(n);
    }
    if (step % 500 === 0) crossCheck();
    if (step > 10_000 && net.every((m) => m.toIssue.length === 0 && m.inbox.length === 0 && m.dag.orphans().size === 0)) {
      if (net.every((m) => [...txById.keys()].every((t) => conflicting.has(t) || m.acceptedTx.has(t)))) break;
    }
  }
  crossCheck();
  for (const n of net) {
    for (const t of txById.keys()) {
      if (!conflicting.has(t)) expect(n.acceptedTx.has(t), `non-conflicting tx ${t} accepted everywhere`).toBe(true);
    }
  }
  const first = net[0]!;
  return { accepted: first.acceptedTx.size, rejected: first.rejectedTx.size, vertices, polls };
}

function pick(rng: RandomStream, from: readonly VertexId[], max: number): VertexId[] {
  const a = [...from];
  for (let i = a.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a.slice(0, max);
}

describe('Topological: seeded network invariants', () => {
  it('an honest network with no double spends accepts every transaction everywhere', () => {
    const o = run(1, 8, 60, 0);
    expect(o.accepted).toBe(60);
    expect(o.rejected).toBe(0);
  });

  for (const seed of [1, 2, 3]) {
    it(`double spends (30% of coins), seed ${seed}: safe everywhere, every virtuous transaction accepted`, () => {
      const o = run(seed, 10, 50, 0.3);
      // Some conflicts were decided one way or the other at node 0.
      expect(o.rejected).toBeGreaterThan(0);
      expect(o.accepted).toBeGreaterThan(40);
      expect(o.polls).toBeGreaterThan(1_000);
    });
  }
});
