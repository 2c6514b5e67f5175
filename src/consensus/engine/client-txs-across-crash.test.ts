/**
 * A client's transaction outlives a crash of the node it was submitted to: the
 * client holds it, not the node. Submitted just before a kill, gossiped, and
 * accepted by the network while the node was down, it is reported accepted
 * (client-observed) once the restarted node accepts its block: in the
 * simulator the node keeps the client's outstanding set across the crash, and
 * a real node's new process gets it back from its history (resumeClientTxs).
 * Without this, every such transaction stayed undecided for ever (18 in the
 * sk-real-soak scenario, simulated and real).
 */
import { describe, expect, it } from 'vitest';
import { txIdOf, type Block, type TxId } from '../snowman/block.js';
import { FakeNetwork } from './fake-network.testkit.js';
import type { Message } from './messages.js';
import { sharedConfig } from './node-fixture.testkit.js';
import { SnowmanNode, type ClientTx } from './snowman-node.js';

const N = 5;
const VICTIM = 4;
const shared = sharedConfig(
  Array.from({ length: N }, () => 1),
  { k: 5, alphaPreference: 3, alphaConfidence: 4, beta: 2, concurrentRepolls: 2 },
  { minBlockDelayUs: 2_000 },
  3,
  2_000,
);

function network() {
  const net = new FakeNetwork<Message, ClientTx>(N, 3, () => 1_000);
  const clientAccepted: Array<{ tx: TxId; t: number }> = [];
  const nodes = Array.from({ length: N }, (_, i) => {
    const node = new SnowmanNode(net.hosts[i]!, { ...shared, observer: i === VICTIM ? { onTxAccepted: (tx, _n, t) => void clientAccepted.push({ tx, t }) } : {} });
    net.attach(i, node);
    return node;
  });
  net.startAll();
  // Background load at the other nodes, so that blocks keep being built.
  for (let t = 10_000, c = 1; t < 4_000_000; t += 5_000, c++) {
    const to = c % (N - 1);
    net.at(t, () => {
      if (net.alive[to]) nodes[to]!.onClient({ id: txIdOf(to, c) });
    });
  }
  return { net, nodes, clientAccepted };
}

const holds = (chain: readonly Block[], tx: TxId): boolean => chain.some((b) => b.txs.includes(tx));

describe('client transactions across a crash of their node', () => {
  it('a transaction submitted just before a kill and accepted while the node was down is reported once the node is back', () => {
    const { net, nodes, clientAccepted } = network();
    const tx = txIdOf(VICTIM, 1);
    net.at(500_000, () => nodes[VICTIM]!.onClient({ id: tx }));
    // Down 0.5 ms after the submission: its block (or its gossip) is on the wire, nothing of it can be accepted here yet.
    net.at(500_500, () => net.crash(VICTIM));
    net.runUntil(1_500_000);
    expect(holds(nodes[VICTIM]!.acceptedChain(), tx)).toBe(false);
    expect(holds(nodes[0]!.acceptedChain(), tx)).toBe(true);
    expect(clientAccepted).toEqual([]);
    net.restart(VICTIM);
    net.runUntil(3_000_000);
    expect(holds(nodes[VICTIM]!.acceptedChain(), tx)).toBe(true);
    expect(clientAccepted.filter((a) => a.tx === tx)).toHaveLength(1);
    expect(clientAccepted[0]!.t).toBeGreaterThan(1_500_000);
  });

  it('a fresh process given the outstanding transactions (resumeClientTxs) reports them when it accepts their block', () => {
    const net = new FakeNetwork<Message, ClientTx>(N, 3, () => 1_000);
    const clientAccepted: TxId[] = [];
    const nodes = Array.from({ length: N }, (_, i) => new SnowmanNode(net.hosts[i]!, { ...shared, observer: i === VICTIM ? { onTxAccepted: (t) => void clientAccepted.push(t) } : {} }));
    nodes.forEach((n, i) => net.attach(i, n));
    const tx = txIdOf(VICTIM, 7);
    nodes[VICTIM]!.resumeClientTxs([tx]);
    net.startAll();
    net.at(100_000, () => nodes[0]!.onClient({ id: tx })); // the network learns it from elsewhere
    net.runUntil(1_000_000);
    expect(holds(nodes[VICTIM]!.acceptedChain(), tx)).toBe(true);
    expect(clientAccepted).toEqual([tx]);
    expect(() => nodes[VICTIM]!.resumeClientTxs([tx])).toThrow(/only before the first boot/);
  });
});
