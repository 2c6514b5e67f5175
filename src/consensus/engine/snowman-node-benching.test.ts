/**
 * Benching and the connected-stake gate in the node (src/consensus/FIDELITY.md,
 * issue 11), with AvalancheGo's defaults: K = 20, alphaPreference =
 * alphaConfidence = 15 over 20 unit stakes, so every poll asks every
 * validator once; benchlist (snow/networking/benchlist): bench above failure
 * probability 0.5, unbench below 0.2, benched stake capped at
 * (1 − 15/20)/3 = 1/12 of the stake (one validator of twenty); engine.go
 * abortDueToInsufficientConnectedStake: no query below 15/20 connected.
 */
import { describe, expect, it } from 'vitest';
import { defaultMaxPortion } from '../networking/benchlist.js';
import { FakeNetwork } from './fake-network.testkit.js';
import type { Message } from './messages.js';
import { GENESIS, block, sharedConfig } from './node-fixture.testkit.js';
import type { DropReason } from './observer.js';
import { ScriptedPeers } from './scripted-peers.testkit.js';
import { SnowmanNode, type ClientTx } from './snowman-node.js';

const N = 20;

/** Node 0 is real, 1..19 scripted (20 ms one way); beta high so that one block stays processing and is polled throughout. */
function network() {
  const shared = sharedConfig(Array.from({ length: N }, () => 1), { beta: 1_000_000 });
  const net = new FakeNetwork<Message, ClientTx>(N, 3, () => 20_000);
  const drops: DropReason[] = [];
  const node = new SnowmanNode(net.hosts[0]!, { ...shared, observer: { onDrop: (r) => drops.push(r) } });
  net.attach(0, node);
  net.startAll();
  const b1 = block(1, 1, GENESIS);
  net.inject(1, 0, { kind: 'push-query', requestId: 1, block: b1, requestedHeight: 1 });
  return { net, node, drops, b1 };
}

const count = (drops: readonly DropReason[], r: DropReason): number => drops.filter((d) => d === r).length;
const queriesTo = (net: FakeNetwork<Message, ClientTx>, peer: number, from: number): number =>
  net.outbox.filter((s) => s.to === peer && s.time >= from && (s.msg.kind === 'pull-query' || s.msg.kind === 'push-query')).length;

describe('SnowmanNode benching (AvalancheGo benchlist defaults)', () => {
  it('benches a silent validator after its second timeout, but only up to (1 − αc/K)/3 of the stake', () => {
    expect(defaultMaxPortion({ k: 20, alphaConfidence: 15 })).toBeCloseTo(1 / 12, 12);
    const { net, node, drops } = network();
    // Validators 18 and 19 never answer; the rest answer at once, so every poll finishes early (18 ≥ 15 votes).
    const peers = new ScriptedPeers(net, (p) => p !== 18 && p !== 19);
    peers.runUntil(1_900_000);
    // Before the first timeouts fire (2 s after the first polls once the timeout fell to its minimum): nobody benched.
    expect(node.benchedPeers()).toEqual([]);
    expect(node.numProcessing()).toBe(1);
    peers.runUntil(2_500_000);
    // Both failed twice (> 0.5), but two of twenty is 10% > 1/12: exactly one is benched.
    const benched = node.benchedPeers();
    expect(benched).toHaveLength(1);
    expect([18, 19]).toContain(benched[0]);
    const other = benched[0] === 18 ? 19 : 18;
    // Requests to the benched one fail at once (it still gets them, sender.go); the other is still asked and times out.
    const failedBefore = count(drops, 'failed-fast');
    peers.runUntil(3_000_000);
    expect(count(drops, 'failed-fast')).toBeGreaterThan(failedBefore);
    expect(queriesTo(net, benched[0]!, 2_500_000)).toBeGreaterThan(0);
    expect(queriesTo(net, other, 2_500_000)).toBeGreaterThan(0);
    // Still one at a time: whichever has just failed more may take the other's place (EvictsLowestProbabilityNode).
    expect(node.benchedPeers()).toHaveLength(1);
    expect([18, 19]).toContain(node.benchedPeers()[0]);
  });

  it('unbenches a benched validator once its answers bring the failure probability below 0.2', () => {
    const { net, node } = network();
    // Validator 19 is silent for the first 2.5 s, then answers.
    const peers = new ScriptedPeers(net, (p, now) => p !== 19 || now >= 2_500_000);
    peers.runUntil(2_500_000);
    expect(node.benchedPeers()).toEqual([19]);
    // The queries it ignored still time out until 4.5 s (a failure each); the ones since are answered and count as
    // responses (chain_router.go registers a benched peer's answer though its failure was handled). With about as
    // many polls per second throughout, the failure average falls below 0.2 once the answers outnumber the ~2.5 s of
    // failures four to one: not by 8 s, by 14 s.
    peers.runUntil(8_000_000);
    expect(node.benchedPeers()).toEqual([19]);
    peers.runUntil(14_000_000);
    expect(node.benchedPeers()).toEqual([]);
  });
});

describe('SnowmanNode connected-stake gate (engine.go abortDueToInsufficientConnectedStake)', () => {
  it('sends no query while less than alphaConfidence/K of the stake is connected, and resumes once it is', () => {
    const { net, node, drops } = network();
    const peers = new ScriptedPeers(net, () => true);
    // Six of twenty disconnected: 14/20 = 70% < 75%.
    for (const p of [14, 15, 16, 17, 18, 19]) net.crash(p);
    peers.runUntil(500_000);
    // The connected stake is read at boot and on every frontier tick (100 ms): no query sent at all.
    expect(node.numProcessing()).toBe(1);
    expect(net.outbox.filter((s) => s.msg.kind === 'pull-query' || s.msg.kind === 'push-query')).toHaveLength(0);
    expect(count(drops, 'insufficient-stake')).toBeGreaterThan(0);
    expect(node.numOpenPolls()).toBe(0);
    // One comes back: 15/20 = 75%, enough. Polls start at the next tick.
    net.restart(14);
    peers.runUntil(700_000);
    expect(net.outbox.filter((s) => s.msg.kind === 'pull-query').length).toBeGreaterThan(0);
    expect(queriesTo(net, 14, 500_000)).toBeGreaterThan(0);
    expect(queriesTo(net, 15, 0)).toBe(0); // still down: failed at once, never sent
  });
});
