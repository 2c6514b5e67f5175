/**
 * AvalancheGo facts that the other node tests do not pin down on their own
 * (see src/consensus/FIDELITY.md): ConcurrentRepolls polls kept in flight,
 * a chit voting for its first option with a processing ancestor, and block
 * building stopped while OptimalProcessing blocks are processing.
 */
import { describe, expect, it } from 'vitest';
import { txIdOf } from '../snowman/block.js';
import { FakeNetwork } from './fake-network.testkit.js';
import type { Message } from './messages.js';
import { GENESIS, block, sharedConfig } from './node-fixture.testkit.js';
import type { PollOutcome } from './observer.js';
import { SnowmanNode, type ClientTx } from './snowman-node.js';

/** Node 0 is real; nodes 1..4 are scripted peers; K = 5 over 5 unit stakes: every poll asks everyone once. */
function scripted(concurrentRepolls: number, outcomes: PollOutcome[] = []) {
  const shared = sharedConfig(
    [1, 1, 1, 1, 1],
    { k: 5, alphaPreference: 3, alphaConfidence: 4, beta: 10, concurrentRepolls },
    { timeout: { initialUs: 500_000, minimumUs: 500_000, maximumUs: 500_000, halflifeUs: 300_000_000, coefficient: 2 } },
  );
  const net = new FakeNetwork<Message, ClientTx>(5, 7, () => 1_000);
  const node = new SnowmanNode(net.hosts[0]!, { ...shared, observer: { onPollFinished: (o) => outcomes.push(o) } });
  net.attach(0, node);
  net.startAll();
  return { net, node };
}

function pollIdsTo(net: FakeNetwork<Message, ClientTx>, to: number): number[] {
  return net.outbox.flatMap((s) => (s.to === to && s.msg.kind === 'pull-query' ? [s.msg.requestId] : []));
}

describe('SnowmanNode, AvalancheGo engine facts', () => {
  for (const repolls of [1, 3]) {
    it(`keeps ConcurrentRepolls = ${repolls} polls in flight while a block is processing, none when idle`, () => {
      const { net, node } = scripted(repolls);
      net.runUntil(50_000);
      expect(node.numOpenPolls()).toBe(0);
      const b1 = block(1, 1, GENESIS);
      net.inject(1, 0, { kind: 'push-query', requestId: 1, block: b1, requestedHeight: 1 });
      net.runUntil(60_000);
      expect(node.numProcessing()).toBe(1);
      expect(node.numOpenPolls()).toBe(repolls);
      // Each poll queries every other validator once (plus itself through the loopback).
      expect(new Set(pollIdsTo(net, 2)).size).toBe(repolls);
      // Finish the oldest poll: a new one replaces it.
      const [first] = pollIdsTo(net, 2);
      for (const from of [1, 2, 3]) {
        net.inject(from, 0, { kind: 'chits', requestId: first!, preferredId: b1.id, preferredIdAtHeight: b1.id, acceptedId: GENESIS.id, acceptedHeight: 0 });
      }
      net.runUntil(70_000);
      expect(node.numOpenPolls()).toBe(repolls);
      expect(new Set(pollIdsTo(net, 2)).size).toBe(repolls + 1);
    });
  }

  it('a chit votes for its first option with a processing ancestor: an unfetchable preference falls back to the preference at height', () => {
    const outcomes: PollOutcome[] = [];
    const { net } = scripted(1, outcomes);
    const b1 = block(1, 1, GENESIS);
    const b2 = block(1, 2, b1);
    const b3 = block(1, 3, b2);
    net.inject(1, 0, { kind: 'push-query', requestId: 1, block: b1, requestedHeight: 1 });
    net.runUntil(10_000);
    const [rid] = pollIdsTo(net, 2);
    // Node 1 prefers b3, which node 0 does not have (and node 1 will never serve); at height 1 it prefers b1.
    net.inject(1, 0, { kind: 'chits', requestId: rid!, preferredId: b3.id, preferredIdAtHeight: b1.id, acceptedId: GENESIS.id, acceptedHeight: 0 });
    for (const from of [2, 3]) {
      net.inject(from, 0, { kind: 'chits', requestId: rid!, preferredId: b1.id, preferredIdAtHeight: b1.id, acceptedId: GENESIS.id, acceptedHeight: 0 });
    }
    net.runUntil(400_000);
    // Self + 2 + 3 = 3 votes for b1; node 1's vote waits for b3 (a get to node 1); node 4 is silent.
    expect(outcomes).toEqual([]);
    expect(net.outbox.some((s) => s.to === 1 && s.msg.kind === 'get' && s.msg.blockId === b3.id)).toBe(true);
    net.runUntil(600_000); // node 4's query and then the get time out at 0.5 s: b3 is abandoned, the vote goes to b1
    expect(outcomes[0]).toMatchObject({ receivedSlots: 4, maxVotes: 4, reason: 'exhausted', successful: true });
    expect(outcomes[0]!.durationUs).toBeGreaterThanOrEqual(500_000);
    expect(outcomes[0]!.durationUs).toBeLessThan(600_000);
  });

  for (const optimal of [2, 4]) {
    it(`stops building while OptimalProcessing = ${optimal} blocks are processing`, () => {
      // Node 0 holds 3 of 4 stake units; node 1 (1 unit) is a silent scripted peer. Each poll gets
      // node 0's 3 votes (>= AlphaPreference 3, < AlphaConfidence 4): nothing ever finalises.
      const shared = sharedConfig(
        [3, 1],
        { k: 4, alphaPreference: 3, alphaConfidence: 4, beta: 10, concurrentRepolls: 1, optimalProcessing: optimal },
        { minBlockDelayUs: 1_000, txGossipFanout: 0 },
        1,
        1_000,
      );
      const net = new FakeNetwork<Message, ClientTx>(2, 3, () => 1_000);
      let built = 0;
      const node = new SnowmanNode(net.hosts[0]!, { ...shared, observer: { onBlockBuilt: () => built++ } });
      net.attach(0, node);
      net.startAll();
      // A fresh transaction every 5 ms for 200 ms: plenty of chances to build.
      for (let i = 1; i <= 40; i++) net.at(i * 5_000, () => node.onClient({ id: txIdOf(0, i) }));
      net.runUntil(300_000);
      expect(node.acceptedChain().length).toBe(1);
      expect(node.numProcessing()).toBe(optimal);
      expect(built).toBe(optimal);
    });
  }
});
