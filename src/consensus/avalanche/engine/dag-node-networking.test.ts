/**
 * The DAG node on the networking modules the Snowman node uses (issue 11's
 * engine/sender.ts, engine/request-tracker.ts, networking/adaptive-timeout.ts,
 * networking/benchlist.ts): requests to unreachable or benched peers fail at
 * once, expired requests are dropped, chits nobody asked for are dropped, and
 * the request timeout follows the measured latency.
 */
import { describe, expect, it } from 'vitest';
import { FakeNetwork } from '../../engine/fake-network.testkit.js';
import type { Micros, NodeId } from '../../host.js';
import { defaultBenchlistConfig } from '../../networking/benchlist.js';
import { txIdOf } from '../../snowman/block.js';
import { GENESIS_VERTEX_ID, type VertexId } from '../vertex.js';
import type { DagEngineOptions } from './config.js';
import { avaTx, sharedDagConfig, vertex } from './dag-fixture.testkit.js';
import { AvalancheNode } from './dag-node.js';
import type { DagClientTx, DagMessage, Vertex } from './messages.js';
import type { DagDropReason, DagPollOutcome } from './observer.js';

type Net = FakeNetwork<DagMessage, DagClientTx>;

/** Node 0 is real; 1..4 are scripted. K = 5 over 5 unit stakes: every poll asks everyone once (node 0 itself included). */
function scripted(options: Partial<DagEngineOptions> = {}, params = {}) {
  const shared = sharedDagConfig(
    [1, 1, 1, 1, 1],
    { k: 5, alpha: 4, betaVirtuous: 2, betaRogue: 3, concurrentRepolls: 1, parents: 2, batchSize: 30, ...params },
    { mixedQueryNumPush: 0, gossipIntervalUs: 0, ...options },
  );
  const net: Net = new FakeNetwork<DagMessage, DagClientTx>(5, 7, () => 1_000);
  const polls: DagPollOutcome[] = [];
  const drops: DagDropReason[] = [];
  const node = new AvalancheNode(net.hosts[0]!, { ...shared, observer: { onPollFinished: (o) => polls.push(o), onDrop: (r) => drops.push(r) } });
  net.attach(0, node);
  net.startAll();
  return { net, node, polls, drops };
}

const count = (drops: readonly DagDropReason[], r: DagDropReason): number => drops.filter((d) => d === r).length;

/** Peer 1 pushes a fresh vertex; node 0 issues it and polls on it. Returns the vertex. */
function pushVertex(net: Net, counter = 1): Vertex {
  const v = vertex(1, counter, [GENESIS_VERTEX_ID], [avaTx(txIdOf(1, counter), txIdOf(1, counter))]);
  net.inject(1, 0, { kind: 'push-query', requestId: counter, vertex: v });
  net.runUntil(net.now + 10);
  return v;
}

/** Steps 1 ms at a time; every query node 0 sends to a peer `answers` picks gets chits naming `preferred` at once. */
function answerUntil(net: Net, until: Micros, answers: (peer: NodeId) => boolean, preferred: () => readonly VertexId[], seen = { n: 0 }): void {
  for (let t = net.now; t < until; t += 1_000) {
    net.runUntil(Math.min(until, t + 1_000));
    for (; seen.n < net.outbox.length; seen.n++) {
      const s = net.outbox[seen.n]!;
      if (s.from !== 0 || (s.msg.kind !== 'pull-query' && s.msg.kind !== 'push-query') || !answers(s.to)) continue;
      net.inject(s.to, 0, { kind: 'chits', requestId: s.msg.requestId, preferred: preferred(), accepted: [GENESIS_VERTEX_ID] });
    }
  }
}

describe('AvalancheNode networking (AvalancheGo sender, handler, router, adaptive timeout, benchlist)', () => {
  it('a poll with crashed peers finishes without waiting for the timeout', () => {
    // Alpha 3: with 2 of 5 crashed, 3/5 of the stake is connected, enough to query (the connected-stake gate).
    const { net, polls, drops } = scripted({}, { alpha: 3 });
    net.crash(3);
    net.crash(4);
    const v1 = pushVertex(net);
    const q = net.outbox.find((s) => s.msg.kind === 'pull-query' && s.msg.vertexId === v1.id);
    if (q?.msg.kind !== 'pull-query') throw new Error('no poll');
    const rid = q.msg.requestId;
    // The queries to the crashed peers 3 and 4 were never sent: they failed at once.
    expect(net.outbox.filter((s) => s.msg.kind === 'pull-query' && s.msg.requestId === rid).map((s) => s.to)).toEqual([1, 2]);
    expect(count(drops, 'failed-fast')).toBe(2);
    for (const from of [1, 2]) net.inject(from, 0, { kind: 'chits', requestId: rid, preferred: [v1.id], accepted: [GENESIS_VERTEX_ID] }, 1_000);
    net.runUntil(net.now + 5_000);
    // Self, 1 and 2 vote v1 (alpha 3); had the queries to 3 and 4 waited, the poll would have waited the 5 s timeout.
    expect(polls[0]).toMatchObject({ sampleSize: 5, receivedSlots: 3, successful: true });
    expect(polls[0]!.durationUs).toBeLessThan(5_000);
  });

  it('an expired request is dropped and counted', () => {
    const { net, node, drops } = scripted();
    net.runUntil(1_000);
    const v1 = vertex(1, 1, [GENESIS_VERTEX_ID], [avaTx(txIdOf(1, 1), txIdOf(1, 1))]);
    // Arrived 3 ms ago with a 2 ms deadline: dropped unanswered, and v1 is not issued.
    node.onMessage(1, { kind: 'push-query', requestId: 5, vertex: v1, deadlineUs: 2_000 }, net.now - 3_000);
    net.runUntil(net.now + 10);
    expect(count(drops, 'expired')).toBe(1);
    expect(node.numProcessing()).toBe(0);
    expect(net.outbox.some((s) => s.msg.kind === 'chits' && s.msg.requestId === 5)).toBe(false);
    // Within its deadline: answered, then issued.
    node.onMessage(1, { kind: 'push-query', requestId: 6, vertex: v1, deadlineUs: 2_000 }, net.now - 1_000);
    net.runUntil(net.now + 10);
    expect(count(drops, 'expired')).toBe(1);
    expect(node.numProcessing()).toBe(1);
    expect(net.outbox.some((s) => s.to === 1 && s.msg.kind === 'chits' && s.msg.requestId === 6)).toBe(true);
  });

  it('does not query below Alpha/K of the stake connected (a poll could not succeed, and would fail at once, forever)', () => {
    const { net, node, polls, drops } = scripted();
    net.crash(3);
    net.crash(4);
    pushVertex(net);
    net.runUntil(net.now + 1_000_000);
    expect(node.numProcessing()).toBe(1);
    expect(net.outbox.filter((s) => s.msg.kind === 'pull-query')).toEqual([]);
    expect(polls).toEqual([]);
    expect(count(drops, 'insufficient-stake')).toBeGreaterThan(0);
  });

  it('drops chits that answer nothing it asked, and a second answer from the same peer', () => {
    const { net, node, polls, drops } = scripted();
    const v1 = pushVertex(net);
    const q = net.outbox.find((s) => s.msg.kind === 'pull-query' && s.msg.vertexId === v1.id);
    if (q?.msg.kind !== 'pull-query') throw new Error('no poll');
    net.inject(2, 0, { kind: 'chits', requestId: 999, preferred: [v1.id], accepted: [GENESIS_VERTEX_ID] });
    net.inject(1, 0, { kind: 'chits', requestId: q.msg.requestId, preferred: [v1.id], accepted: [GENESIS_VERTEX_ID] });
    net.inject(1, 0, { kind: 'chits', requestId: q.msg.requestId, preferred: [v1.id], accepted: [GENESIS_VERTEX_ID] }, 10);
    net.runUntil(net.now + 100);
    expect(count(drops, 'unrequested')).toBe(2);
    expect(polls).toEqual([]);
    expect(node.numOpenPolls()).toBe(1);
  });

  it('queries carry the adaptive timeout as their deadline; a silent peer times out, is benched, then fails at once', () => {
    // maxPortion 0.5 so that one of five unit stakes may be benched; BetaVirtuous high so that v1 keeps being polled.
    const { net, node, drops } = scripted({ benchlist: { ...defaultBenchlistConfig({ k: 5, alphaConfidence: 4 }), maxPortion: 0.5 } }, { betaVirtuous: 1_000_000, betaRogue: 1_000_000 });
    expect(node.requestTimeoutUs()).toBe(5_000_000);
    const v1 = pushVertex(net);
    const first = net.outbox.find((s) => s.msg.kind === 'pull-query' && s.msg.vertexId === v1.id);
    expect(first?.msg.kind === 'pull-query' ? first.msg.deadlineUs : undefined).toBe(5_000_000);
    // Peers 1..3 answer every query at once; peer 4 never does. Every poll finishes early.
    const seen = { n: 0 };
    answerUntil(net, 1_900_000, (p) => p !== 4, () => [v1.id], seen);
    // The answers (1 ms round trips) bring the timeout down to the 2 s minimum; nobody is benched yet.
    expect(node.requestTimeoutUs()).toBe(2_000_000);
    const later = net.outbox.findLast((s) => s.msg.kind === 'pull-query');
    expect(later?.msg.kind === 'pull-query' ? later.msg.deadlineUs : undefined).toBe(2_000_000);
    expect(node.benchedPeers()).toEqual([]);
    expect(count(drops, 'failed-fast')).toBe(0);
    // The first polls' timeouts fail peer 4 (a benchlist failure each): benched, then queries to it fail at once.
    answerUntil(net, 2_300_000, (p) => p !== 4, () => [v1.id], seen);
    expect(node.benchedPeers()).toEqual([4]);
    expect(count(drops, 'failed-fast')).toBeGreaterThan(0);
  });

  it('the adaptive request timeout follows a step change in latency, up and back down', () => {
    let oneWay: Micros = 10_000;
    const shared = sharedDagConfig([1, 1, 1, 1, 1], { k: 5, alpha: 4, betaVirtuous: 5, betaRogue: 6 }, {
      // AvalancheGo's timeout defaults but a 2 s halflife, so that the test runs in simulated seconds.
      timeout: { initialUs: 5_000_000, minimumUs: 2_000_000, maximumUs: 10_000_000, halflifeUs: 2_000_000, coefficient: 2 },
    });
    const net: Net = new FakeNetwork<DagMessage, DagClientTx>(5, 7, () => oneWay);
    const nodes = Array.from({ length: 5 }, (_, i) => {
      const n = new AvalancheNode(net.hosts[i]!, shared);
      net.attach(i, n);
      return n;
    });
    net.startAll();
    // A client transaction every 50 ms keeps every node polling: each answer is a latency sample.
    for (let t = 0, c = 1; t < 100_000_000; t += 50_000, c++) {
      const to = c % 5;
      net.at(t, () => nodes[to]!.onClient({ id: txIdOf(to, c), inputs: [txIdOf(to, c)] }));
    }
    expect(nodes[0]!.requestTimeoutUs()).toBe(5_000_000);
    net.runUntil(20_000_000);
    expect(nodes[0]!.requestTimeoutUs()).toBe(2_000_000); // 2 × 20 ms, clamped to the minimum
    oneWay = 1_500_000; // round trip 3 s
    net.runUntil(60_000_000);
    const high = nodes[0]!.requestTimeoutUs();
    expect(high).toBeGreaterThan(5_500_000); // towards 2 × 3 s
    expect(high).toBeLessThanOrEqual(6_100_000);
    oneWay = 10_000;
    net.runUntil(100_000_000);
    expect(nodes[0]!.requestTimeoutUs()).toBe(2_000_000);
  });
});
