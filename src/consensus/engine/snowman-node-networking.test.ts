/**
 * AvalancheGo's networking layer as the node uses it (src/consensus/FIDELITY.md,
 * issue 11): requests to unreachable peers fail at once (snow/networking/sender),
 * expired requests are dropped (snow/networking/handler), answers nobody asked
 * for are dropped (router/chain_router.go), and the request timeout follows
 * the measured latency (utils/timer/adaptive_timeout_manager.go).
 */
import { describe, expect, it } from 'vitest';
import type { Micros } from '../host.js';
import type { Block } from '../snowman/block.js';
import { FakeNetwork } from './fake-network.testkit.js';
import type { EngineOptions } from './config.js';
import type { Message } from './messages.js';
import { GENESIS, block, sharedConfig } from './node-fixture.testkit.js';
import { defaultBenchlistConfig } from '../networking/benchlist.js';
import type { DropReason, PollOutcome } from './observer.js';
import { ScriptedPeers } from './scripted-peers.testkit.js';
import { SnowmanNode, type ClientTx } from './snowman-node.js';

/** Node 0 is real; nodes 1..4 are scripted peers; K = 5 over 5 unit stakes: every poll asks everyone once. */
function scripted(options: Partial<EngineOptions> = {}, beta = 10, alphaConfidence = 4) {
  const shared = sharedConfig([1, 1, 1, 1, 1], { k: 5, alphaPreference: 3, alphaConfidence, beta, concurrentRepolls: 1 }, options);
  const net = new FakeNetwork<Message, ClientTx>(5, 7, () => 1_000);
  const outcomes: PollOutcome[] = [];
  const drops: DropReason[] = [];
  const node = new SnowmanNode(net.hosts[0]!, { ...shared, observer: { onPollFinished: (o) => outcomes.push(o), onDrop: (r) => drops.push(r) } });
  net.attach(0, node);
  net.startAll();
  return { net, node, outcomes, drops };
}

/** Peer 1 pushes `b`; returns the request id of the poll node 0 then starts on it. */
function pollOn(net: FakeNetwork<Message, ClientTx>, b: Block): number {
  net.inject(1, 0, { kind: 'push-query', requestId: 1, block: b, requestedHeight: 1 });
  net.runUntil(10);
  const q = net.outbox.find((s) => s.msg.kind === 'pull-query' && s.msg.blockId === b.id);
  if (q?.msg.kind !== 'pull-query') throw new Error('no poll');
  return q.msg.requestId;
}

const count = (drops: readonly DropReason[], r: DropReason): number => drops.filter((d) => d === r).length;

describe('SnowmanNode networking (AvalancheGo sender, handler, router)', () => {
  it('a poll with crashed peers finishes without waiting for the timeout', () => {
    // alphaConfidence 3: with 2 of 5 crashed, 3/5 of the stake is connected, enough to query (engine.go).
    const { net, outcomes, drops } = scripted({}, 10, 3);
    net.crash(3);
    net.crash(4);
    const b1 = block(1, 1, GENESIS);
    net.inject(1, 0, { kind: 'push-query', requestId: 1, block: b1, requestedHeight: 1 });
    net.runUntil(10);
    const q = net.outbox.find((s) => s.msg.kind === 'pull-query' && s.msg.blockId === b1.id);
    if (q?.msg.kind !== 'pull-query') throw new Error('no poll');
    // The queries to the crashed peers 3 and 4 were never sent: they failed at once.
    const rid = q.msg.requestId;
    expect(net.outbox.filter((s) => s.msg.kind === 'pull-query' && s.msg.requestId === rid).map((s) => s.to)).toEqual([1, 2]);
    expect(count(drops, 'failed-fast')).toBe(2);
    // Peer 1 votes for b1, peer 2 for the accepted genesis (a vote that counts for nothing).
    for (const [from, pref] of [[1, b1.id], [2, GENESIS.id]] as const) {
      net.inject(from, 0, { kind: 'chits', requestId: q.msg.requestId, preferredId: pref, preferredIdAtHeight: pref, acceptedId: GENESIS.id, acceptedHeight: 0 }, 1_000);
    }
    net.runUntil(5_000);
    // Self + 1 = 2 votes for b1, which 3 and 4 could have lifted to alpha: had their queries waited, the poll would
    // have waited the 5 s timeout; failed at once, nothing is outstanding and it finishes within milliseconds.
    expect(outcomes[0]).toMatchObject({ requestId: q.msg.requestId, receivedSlots: 2, reason: 'exhausted', maxVotes: 2 });
    expect(outcomes[0]!.durationUs).toBeLessThan(5_000);
  });

  it('an expired message is dropped and counted', () => {
    const { net, node, drops } = scripted();
    net.runUntil(1_000);
    const b1 = block(1, 1, GENESIS);
    // Arrived 3 ms ago with a 2 ms deadline: dropped unanswered, and b1 is not issued.
    node.onMessage(1, { kind: 'push-query', requestId: 5, block: b1, requestedHeight: 1, deadlineUs: 2_000 }, net.now - 3_000);
    expect(count(drops, 'expired')).toBe(1);
    expect(node.numProcessing()).toBe(0);
    expect(net.outbox.some((s) => s.msg.kind === 'chits' && s.msg.requestId === 5)).toBe(false);
    // Within its deadline: answered (chits before issuing the block).
    node.onMessage(1, { kind: 'push-query', requestId: 6, block: b1, requestedHeight: 1, deadlineUs: 2_000 }, net.now - 1_000);
    expect(count(drops, 'expired')).toBe(1);
    expect(node.numProcessing()).toBe(1);
    expect(net.outbox.some((s) => s.to === 1 && s.msg.kind === 'chits' && s.msg.requestId === 6)).toBe(true);
  });

  it('drops chits that answer nothing it asked, and a second answer from the same peer', () => {
    const { net, node, outcomes, drops } = scripted();
    const b1 = block(1, 1, GENESIS);
    net.inject(1, 0, { kind: 'push-query', requestId: 1, block: b1, requestedHeight: 1 });
    net.runUntil(10);
    const q = net.outbox.find((s) => s.msg.kind === 'pull-query' && s.msg.blockId === b1.id);
    if (q?.msg.kind !== 'pull-query') throw new Error('no poll');
    const chits = (requestId: number): Message => ({ kind: 'chits', requestId, preferredId: b1.id, preferredIdAtHeight: b1.id, acceptedId: GENESIS.id, acceptedHeight: 0 });
    net.inject(2, 0, chits(999)); // never asked
    net.inject(2, 0, chits(q.msg.requestId));
    net.inject(2, 0, chits(q.msg.requestId)); // answered already
    net.runUntil(100);
    expect(count(drops, 'unrequested')).toBe(2);
    // Only one vote of node 2 counted: self + 2 = 2 votes, the poll still open.
    expect(outcomes).toEqual([]);
    expect(node.numOpenPolls()).toBe(1);
  });

  it('a late answer to a poll that finished early still fetches the block it names (chain_router.go keeps the request)', () => {
    const { net, outcomes, drops } = scripted();
    const b1 = block(1, 1, GENESIS);
    const rid = pollOn(net, b1);
    for (const from of [1, 2, 3]) net.inject(from, 0, { kind: 'chits', requestId: rid, preferredId: b1.id, preferredIdAtHeight: b1.id, acceptedId: GENESIS.id, acceptedHeight: 0 });
    net.runUntil(20);
    // Self + 3 = alphaConfidence: the poll finished before peer 4 answered.
    expect(outcomes[0]).toMatchObject({ requestId: rid, receivedSlots: 4 });
    const b2 = block(4, 2, b1);
    net.inject(4, 0, { kind: 'chits', requestId: rid, preferredId: b2.id, preferredIdAtHeight: b1.id, acceptedId: GENESIS.id, acceptedHeight: 0 });
    net.runUntil(30);
    // Handled as AvalancheGo's engine handles it: the unknown block it prefers is fetched from it.
    expect(count(drops, 'unrequested')).toBe(0);
    expect(net.outbox.some((s) => s.to === 4 && s.msg.kind === 'get' && s.msg.blockId === b2.id)).toBe(true);
    // Its router entry is gone: a second answer is unrequested.
    net.inject(4, 0, { kind: 'chits', requestId: rid, preferredId: b2.id, preferredIdAtHeight: b1.id, acceptedId: GENESIS.id, acceptedHeight: 0 });
    net.runUntil(40);
    expect(count(drops, 'unrequested')).toBe(1);
  });

  it('a silent peer of polls that finished early still times out: benched after two failures, then failed at once', () => {
    // maxPortion 0.5 so that one of five unit stakes may be benched; beta high so that b1 keeps being polled.
    const { net, node, drops } = scripted({ benchlist: { ...defaultBenchlistConfig({ k: 5, alphaConfidence: 4 }), maxPortion: 0.5 } }, 1_000_000);
    const b1 = block(1, 1, GENESIS);
    net.inject(1, 0, { kind: 'push-query', requestId: 1, block: b1, requestedHeight: 1 });
    // Peers 1..3 answer every query at once; peer 4 never does. Every poll finishes early (alphaConfidence = 4).
    const peers = new ScriptedPeers(net, (peer) => peer !== 4);
    const answerUntil = (until: Micros): void => peers.runUntil(until);
    // The timeout drops from its initial 5 s to the 2 s minimum within the first polls' answers.
    answerUntil(1_900_000);
    expect(node.numProcessing()).toBe(1);
    expect(node.benchedPeers()).toEqual([]);
    expect(count(drops, 'failed-fast')).toBe(0);
    // The 2 s timeouts of the first such polls fail peer 4 (a benchlist failure each): above 0.5 after the second.
    answerUntil(2_200_000);
    expect(node.benchedPeers()).toEqual([4]);
    expect(count(drops, 'failed-fast')).toBeGreaterThan(0);
  });

  it('a get to a benched peer fails at once but keeps its router entry: its timeout still fires, its answer is no longer unrequested', () => {
    // As the test above: peer 4 never answers a query and is benched at about 2.2 s.
    const { net, node, drops } = scripted({ benchlist: { ...defaultBenchlistConfig({ k: 5, alphaConfidence: 4 }), maxPortion: 0.5 } }, 1_000_000);
    const b1 = block(1, 1, GENESIS);
    net.inject(1, 0, { kind: 'push-query', requestId: 1, block: b1, requestedHeight: 1 });
    const peers = new ScriptedPeers(net, (peer) => peer !== 4);
    peers.runUntil(2_200_000);
    expect(node.benchedPeers()).toEqual([4]);
    // Peer 4 pushes c2, whose parent c1 node 0 lacks: the get for c1 goes to peer 4 (benched peers still get it,
    // sender.go) and GetFailed is delivered at once, so c2 is abandoned.
    const c1 = block(4, 1, GENESIS);
    const c2 = block(4, 2, c1);
    const getsFor = (b: Block) => net.outbox.filter((s) => s.to === 4 && s.msg.kind === 'get' && s.msg.blockId === b.id);
    const failedBefore = count(drops, 'failed-fast');
    const timeoutsBefore = count(drops, 'get-timeout');
    net.inject(4, 0, { kind: 'push-query', requestId: 77, block: c2, requestedHeight: 2 });
    peers.runUntil(2_210_000);
    const [get] = getsFor(c1);
    if (get?.msg.kind !== 'get') throw new Error('no get');
    expect(count(drops, 'failed-fast')).toBeGreaterThan(failedBefore);
    // Its router entry outlives the early failure (chain_router.go): the timeout fires (a benchlist failure) ...
    peers.runUntil(2_210_000 + 10_000_000);
    expect(count(drops, 'get-timeout')).toBe(timeoutsBefore + 1);
    // ... and an answer before the timeout is a response, not an unrequested message, and goes no further (the
    // failure was handled): the block is not issued.
    // c2 again: c1 is asked of peer 4 again, still benched, so it fails at once again.
    expect(node.benchedPeers()).toEqual([4]);
    const failedBefore2 = count(drops, 'failed-fast');
    net.inject(4, 0, { kind: 'push-query', requestId: 78, block: c2, requestedHeight: 2 });
    peers.runUntil(12_220_000);
    const get2 = getsFor(c1).at(-1);
    if (get2?.msg.kind !== 'get' || get2.msg.requestId === get.msg.requestId) throw new Error('no second get');
    expect(count(drops, 'failed-fast')).toBeGreaterThan(failedBefore2);
    const unrequestedBefore = count(drops, 'unrequested');
    net.inject(4, 0, { kind: 'put', requestId: get2.msg.requestId, block: c1 });
    peers.runUntil(12_230_000);
    expect(count(drops, 'unrequested')).toBe(unrequestedBefore);
    // c1 (a child of genesis) would now be processing beside b1 had the answer been passed on.
    expect(node.numProcessing()).toBe(1);
  });

  it('a get whose block arrives another way keeps its router entry: its answer is not unrequested, its timeout still fires', () => {
    // Peer 4 answers no query and serves no block; nobody is benched (one of five units is over the default cap).
    const { net, node, drops } = scripted({}, 1_000_000);
    const peers = new ScriptedPeers(net, (peer) => peer !== 4);
    const getFor = (b: Block) => net.outbox.find((s) => s.to === 4 && s.msg.kind === 'get' && s.msg.blockId === b.id);
    // Peer 4 pushes c2 and d2, whose parents c1 and d1 node 0 lacks: both are asked of peer 4.
    const c1 = block(4, 1, GENESIS);
    const c2 = block(4, 2, c1);
    const d1 = block(3, 1, GENESIS);
    const d2 = block(3, 2, d1);
    net.inject(4, 0, { kind: 'push-query', requestId: 70, block: c2, requestedHeight: 2 });
    net.inject(4, 0, { kind: 'push-query', requestId: 71, block: d2, requestedHeight: 2 });
    peers.runUntil(10_000);
    const getC = getFor(c1);
    const getD = getFor(d1);
    if (getC?.msg.kind !== 'get' || getD?.msg.kind !== 'get') throw new Error('no gets');
    // Peer 1 pushes c1 and d1: both blocks arrive another way and are issued (engine.go drops its blkReqs entries).
    net.inject(1, 0, { kind: 'push-query', requestId: 80, block: c1, requestedHeight: 1 });
    net.inject(1, 0, { kind: 'push-query', requestId: 81, block: d1, requestedHeight: 1 });
    peers.runUntil(20_000);
    expect(node.numProcessing()).toBe(4);
    // Peer 4 now answers the get for c1: the router entry is still there, so it is a response, not unrequested.
    const unrequestedBefore = count(drops, 'unrequested');
    net.inject(4, 0, { kind: 'put', requestId: getC.msg.requestId, block: c1 });
    peers.runUntil(30_000);
    expect(count(drops, 'unrequested')).toBe(unrequestedBefore);
    // The get for d1 is never answered: its timeout fires (a benchlist failure), where settling it at once cancelled it.
    const timeoutsBefore = count(drops, 'get-timeout');
    peers.runUntil(11_000_000);
    expect(count(drops, 'get-timeout')).toBe(timeoutsBefore + 1);
    // A second answer to the get for c1 is unrequested: the first one cleared the entry.
    net.inject(4, 0, { kind: 'put', requestId: getC.msg.requestId, block: c1 });
    peers.runUntil(11_010_000);
    expect(count(drops, 'unrequested')).toBe(unrequestedBefore + 1);
  });

  it('the adaptive request timeout follows a step change in latency, up and back down', () => {
    let oneWay: Micros = 10_000;
    const shared = sharedConfig([1, 1, 1, 1, 1], { k: 5, alphaPreference: 3, alphaConfidence: 4, beta: 10 }, {
      // AvalancheGo's timeout defaults but a 2 s halflife, so that the test runs in simulated seconds.
      timeout: { initialUs: 5_000_000, minimumUs: 2_000_000, maximumUs: 10_000_000, halflifeUs: 2_000_000, coefficient: 2 },
    });
    const net = new FakeNetwork<Message, ClientTx>(5, 7, () => oneWay);
    const nodes = Array.from({ length: 5 }, (_, i) => {
      const n = new SnowmanNode(net.hosts[i]!, shared);
      net.attach(i, n);
      return n;
    });
    net.startAll();
    // Idle nodes gossip a pull-query every 100 ms: each answer is a latency sample.
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
