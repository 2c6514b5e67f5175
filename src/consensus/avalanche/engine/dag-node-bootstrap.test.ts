/**
 * DAG bootstrapping (AvalancheGo v1.9 snow/engine/avalanche/bootstrap, on the
 * rounds and requests the Snowman node bootstraps with): a node that was down
 * while thousands of vertices were accepted fetches them with GetAncestors
 * after its restart, accepts them parents first, then votes in polls again,
 * and its accepted vertices agree with everyone's (the DAG safety checker).
 * Before bootstrapping existed, such a node fetched missing vertices one get
 * at a time, within MaxOutstandingItems, and never caught up.
 */
import { describe, expect, it } from 'vitest';
import { FakeNetwork } from '../../engine/fake-network.testkit.js';
import type { Micros } from '../../host.js';
import { txIdOf } from '../../snowman/block.js';
import { DagSafetyChecker } from '../../../metrics/dag-safety.js';
import type { DagBootstrapOutcome } from './dag-bootstrapping.js';
import { sharedDagConfig } from './dag-fixture.testkit.js';
import { AvalancheNode } from './dag-node.js';
import type { DagClientTx, DagMessage } from './messages.js';
import type { DagNodeObserver } from './observer.js';

const N = 10;
const DOWN = 3;

function run(downUs: Micros, untilUs: Micros) {
  const shared = sharedDagConfig(Array.from({ length: N }, () => 100), {}, { gossipIntervalUs: 1_000_000 });
  const net = new FakeNetwork<DagMessage, DagClientTx>(N, 3, (a, b) => 10_000 + ((a * 7919 + b * 104_729) % 51) * 1_000);
  const safety = new DagSafetyChecker({ nodes: N, byzantine: new Set(), repro: 'test' });
  const boots: DagBootstrapOutcome[] = [];
  let bootstrappedAt: Micros | undefined;
  let pollsAfter = 0;
  let successfulAfter = 0;
  const observer: DagNodeObserver = {
    onTxDecidedAccepted: (tx, _c, node, t) => safety.accept({ kind: 'tx', id: tx.id, inputs: tx.inputs }, node, t),
    onVertexAccepted: (v, _count, node, t) => safety.accept({ kind: 'vertex', id: v.id, height: v.height, parents: v.parents, txs: v.txs.map((x) => x.id) }, node, t),
    onBootstrapped: (o, node, t) => {
      if (node !== DOWN) return;
      boots.push(o);
      bootstrappedAt = t;
    },
    onPollFinished: (o, node) => {
      if (node !== DOWN || bootstrappedAt === undefined) return;
      pollsAfter++;
      if (o.successful) successfulAfter++;
    },
  };
  const nodes = Array.from({ length: N }, (_, i) => {
    const node = new AvalancheNode(net.hosts[i]!, { ...shared, observer });
    net.attach(i, node);
    return node;
  });
  net.startAll();
  // 100 TPS round robin over the live nodes, one transaction per vertex mostly: thousands of vertices.
  for (let t = 0, c = 0; t < untilUs - 2_000_000; t += 10_000, c++) {
    const to = c % N;
    net.at(t, () => {
      if (!net.alive[to]) return;
      const id = txIdOf(to, c + 1);
      nodes[to]!.onClient({ id, inputs: [id] });
    });
  }
  let acceptedAtRestart = 0;
  let othersAtRestart = 0;
  net.at(1_000_000, () => net.crash(DOWN));
  net.at(1_000_000 + downUs, () => {
    acceptedAtRestart = nodes[DOWN]!.numAccepted();
    othersAtRestart = Math.min(...nodes.filter((_, i) => i !== DOWN).map((x) => x.numAccepted()));
    net.restart(DOWN);
  });
  net.runUntil(untilUs);
  return { nodes, boots, bootstrappedAt, pollsAfter, successfulAfter, acceptedAtRestart, othersAtRestart, violations: safety.summary().violations };
}

describe('DAG bootstrapping after a restart', () => {
  it('a node down while thousands of vertices are accepted catches up with GetAncestors, then votes in polls', { timeout: 120_000 }, () => {
    const r = run(65_000_000, 72_000_000);
    const down = r.nodes[DOWN]!;
    const others = r.nodes.filter((_, i) => i !== DOWN).map((x) => x.numAccepted());
    // Thousands accepted while it was down.
    expect([r.acceptedAtRestart, r.othersAtRestart]).toEqual([28, 2_256]);
    // One bootstrap: it fetched and accepted what it missed, in GetAncestors of many vertices each, in about a second.
    expect(r.boots).toHaveLength(1);
    // Two rounds (the second finds nothing new); 136 GetAncestors for 2,235 vertices; 1.57 s.
    expect(r.boots[0]).toEqual({ rounds: 2, fetched: 2_235, executed: 2_235, ancestorsRequests: 136, failedAncestors: 0, durationUs: 1_565_000, fromAccepted: 28, toAccepted: 2_263 });
    // Then consensus: its own polls succeed, and it ends with what everyone else accepted.
    expect(r.pollsAfter).toBeGreaterThan(50);
    expect(r.successfulAfter).toBeGreaterThan(0.9 * r.pollsAfter);
    expect(down.isBootstrapping()).toBe(false);
    expect(down.numAccepted()).toBe(2_379);
    expect(others).toEqual(Array.from({ length: N - 1 }, () => 2_379));
    expect(r.violations).toBe(0);
  });
});
