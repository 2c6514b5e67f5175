/**
 * A client's transaction outlives a crash of the DAG node it was submitted to,
 * as on the Snowman node (src/consensus/engine/client-txs-across-crash.test.ts):
 * the client holds it, not the node. Submitted just before a kill and sent out
 * in a vertex, it is accepted by the network while the node is down, and
 * reported accepted (client-observed) once the restarted node accepts the
 * vertex that holds it. A transaction still pending (in no vertex, known to no
 * other node) is lost with the node's mempool.
 */
import { describe, expect, it } from 'vitest';
import { FakeNetwork } from '../../engine/fake-network.testkit.js';
import type { NodeId } from '../../host.js';
import { txIdOf, type TxId } from '../../snowman/block.js';
import { sharedDagConfig } from './dag-fixture.testkit.js';
import { AvalancheNode } from './dag-node.js';
import type { DagClientTx, DagMessage, Vertex } from './messages.js';

const N = 10;
const VICTIM = 3;

/**
 * Ten nodes, AvalancheGo's default K/alpha/betas, 50 TPS of background load at the nodes other than VICTIM.
 * A node batches its pending transactions into a vertex while fewer than `optimalProcessing` vertices (its own
 * and the others') are processing.
 */
function network(optimalProcessing: number, onBuilt?: (v: Vertex, node: NodeId) => void) {
  const shared = sharedDagConfig(Array.from({ length: N }, () => 100), { optimalProcessing }, { gossipIntervalUs: 1_000_000, repollRogue: true });
  const net = new FakeNetwork<DagMessage, DagClientTx>(N, 13, (a, b) => 10_000 + ((a * 7919 + b * 104_729) % 51) * 1_000);
  const clientAccepted: Array<{ tx: TxId; node: NodeId; t: number }> = [];
  const decidedAccepted = new Map<TxId, NodeId[]>();
  const nodes = Array.from({ length: N }, (_, i) => {
    const dagNode = new AvalancheNode(net.hosts[i]!, {
      ...shared,
      observer: {
        onTxAccepted: (tx, node, t) => void clientAccepted.push({ tx, node, t }),
        onVertexBuilt: (v, node) => onBuilt?.(v, node),
        onTxDecidedAccepted: (tx, _c, node) => void decidedAccepted.set(tx.id, [...(decidedAccepted.get(tx.id) ?? []), node]),
      },
    });
    net.attach(i, dagNode);
    return dagNode;
  });
  net.startAll();
  for (let t = 10_000, c = 1; t < 9_000_000; t += 20_000, c++) {
    const to = c % N;
    if (to === VICTIM) continue;
    net.at(t, () => {
      if (!net.alive[to]) return;
      const id = txIdOf(to, c);
      nodes[to]!.onClient({ id, inputs: [id] });
    });
  }
  return { net, nodes, clientAccepted, decidedAccepted };
}

describe('DAG client transactions across a crash of their node', () => {
  it('a transaction sent out in a vertex just before its node is killed is accepted meanwhile and reported once the node is back', () => {
    const tx = txIdOf(VICTIM, 1);
    // AvalancheGo's OptimalProcessing 10: the transaction waits while the others' vertices are processing; the
    // node is killed 0.5 ms after it built the vertex holding it (its queries are on the wire).
    let builtAt: number | undefined;
    const { net, nodes, clientAccepted, decidedAccepted } = network(10, (v, node) => {
      if (node !== VICTIM || builtAt !== undefined || !v.txs.some((t) => t.id === tx)) return;
      builtAt = net.now;
      net.at(net.now + 500, () => net.crash(VICTIM));
    });
    net.at(1_000_000, () => nodes[VICTIM]!.onClient({ id: tx, inputs: [tx] }));
    // The others accept it 4-6 s later: nearly every K = 20 sample of 10 validators holds the dead node, and
    // those polls wait out the fixed 2 s query timeout (the DAG engine has no adaptive timeout or benchlist).
    net.runUntil(7_400_000);
    expect(builtAt).toBeGreaterThanOrEqual(1_000_000);
    expect(builtAt).toBeLessThan(1_500_000);
    expect(net.alive[VICTIM]).toBe(false);
    const others = decidedAccepted.get(tx) ?? [];
    expect(others.length).toBe(N - 1);
    expect(others).not.toContain(VICTIM);
    expect(clientAccepted.filter((a) => a.tx === tx)).toEqual([]);
    net.at(7_500_000, () => net.restart(VICTIM));
    net.runUntil(14_000_000);
    expect(decidedAccepted.get(tx)).toContain(VICTIM);
    const reported = clientAccepted.filter((a) => a.tx === tx);
    expect(reported).toHaveLength(1);
    expect(reported[0]!.node).toBe(VICTIM);
    expect(reported[0]!.t).toBeGreaterThan(7_500_000);
  });

  it('a transaction still pending at the kill (OptimalProcessing reached, in no vertex) is lost with the mempool and never reported', () => {
    // OptimalProcessing 1: the others' processing vertices keep the node's transactions waiting.
    const { net, nodes, clientAccepted, decidedAccepted } = network(1);
    const txs = [txIdOf(VICTIM, 1), txIdOf(VICTIM, 2)];
    net.at(2_000_000, () => {
      for (const tx of txs) nodes[VICTIM]!.onClient({ id: tx, inputs: [tx] });
      expect(nodes[VICTIM]!.pendingTxCount()).toBe(2);
    });
    net.at(2_000_500, () => net.crash(VICTIM));
    net.at(5_000_000, () => net.restart(VICTIM));
    net.runUntil(10_000_000);
    expect(nodes[VICTIM]!.numAccepted()).toBeGreaterThan(10); // back and accepting the others' vertices
    for (const tx of txs) {
      expect(decidedAccepted.has(tx)).toBe(false);
      expect(clientAccepted.some((a) => a.tx === tx)).toBe(false);
    }
  });
});
