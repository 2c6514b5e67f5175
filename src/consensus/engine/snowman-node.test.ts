import { describe, expect, it } from 'vitest';
import type { Micros, NodeId } from '../host.js';
import { txIdOf, type Block, type BlockId } from '../snowman/block.js';
import { HonestBehaviour, type Behaviour, type Proposal, type ProposalContext, type QueryAnswer } from './behaviour.js';
import { FakeNetwork } from './fake-network.testkit.js';
import type { Message } from './messages.js';
import { GENESIS, block, sharedConfig } from './node-fixture.testkit.js';
import type { NodeObserver, PollOutcome } from './observer.js';
import { SnowmanNode, type ClientTx } from './snowman-node.js';

/** Node 0 is real; nodes 1..4 are scripted peers. K = 5 over 5 unit stakes: every poll asks everyone once. */
function scripted(observer: NodeObserver = {}) {
  const shared = sharedConfig([1, 1, 1, 1, 1], { k: 5, alphaPreference: 3, alphaConfidence: 4, beta: 10, concurrentRepolls: 1 });
  const net = new FakeNetwork<Message, ClientTx>(5, 7, () => 1_000);
  const node = new SnowmanNode(net.hosts[0]!, { ...shared, observer });
  net.attach(0, node);
  net.startAll();
  return { net, node };
}

function chitsTo(net: FakeNetwork<Message, ClientTx>, to: NodeId, requestId: number) {
  return net.outbox.filter((s) => s.to === to && s.msg.kind === 'chits' && s.msg.requestId === requestId).map((s) => s.msg);
}

describe('SnowmanNode answering queries', () => {
  it('answers a push-query with its state before issuing the block, and a later pull-query with the block', () => {
    const { net, node } = scripted();
    const b1 = block(1, 1, GENESIS);
    net.inject(1, 0, { kind: 'push-query', requestId: 7, block: b1, requestedHeight: 1 });
    net.runUntil(10);
    expect(chitsTo(net, 1, 7)).toEqual([
      { kind: 'chits', requestId: 7, preferredId: GENESIS.id, preferredIdAtHeight: GENESIS.id, acceptedId: GENESIS.id, acceptedHeight: 0 },
    ]);
    expect(node.numProcessing()).toBe(1);
    // The node issued b1 and polls everyone else about it with pull-queries.
    const queries = net.outbox.filter((s) => s.msg.kind === 'pull-query');
    expect(queries.map((s) => s.to).toSorted((a, b) => a - b)).toEqual([1, 2, 3, 4]);
    expect(queries.every((s) => s.msg.kind === 'pull-query' && s.msg.blockId === b1.id && s.msg.requestedHeight === 1)).toBe(true);

    net.inject(2, 0, { kind: 'pull-query', requestId: 8, blockId: b1.id, requestedHeight: 1 });
    net.inject(3, 0, { kind: 'pull-query', requestId: 9, blockId: b1.id, requestedHeight: 5 });
    net.runUntil(20);
    expect(chitsTo(net, 2, 8)).toEqual([
      { kind: 'chits', requestId: 8, preferredId: b1.id, preferredIdAtHeight: b1.id, acceptedId: GENESIS.id, acceptedHeight: 0 },
    ]);
    // No processing block at height 5: the preference stands in.
    expect(chitsTo(net, 3, 9)[0]).toMatchObject({ preferredId: b1.id, preferredIdAtHeight: b1.id });
  });

  it('fetches an unknown queried block from the asker with get/put', () => {
    const { net, node } = scripted();
    const b1 = block(1, 1, GENESIS);
    const b2 = block(1, 2, b1);
    net.inject(1, 0, { kind: 'pull-query', requestId: 3, blockId: b2.id, requestedHeight: 1 });
    net.runUntil(10);
    const get1 = net.outbox.find((s) => s.msg.kind === 'get');
    expect(get1?.to).toBe(1);
    if (get1?.msg.kind !== 'get') throw new Error('no get');
    expect(get1.msg.blockId).toBe(b2.id);
    net.inject(1, 0, { kind: 'put', requestId: get1.msg.requestId, block: b2 });
    net.runUntil(20);
    // b2's parent is unknown too: the node asks for it next, and waits.
    const get2 = net.outbox.filter((s) => s.msg.kind === 'get')[1];
    if (get2?.msg.kind !== 'get') throw new Error('no second get');
    expect(get2.msg.blockId).toBe(b1.id);
    expect(node.numProcessing()).toBe(0);
    net.inject(1, 0, { kind: 'put', requestId: get2.msg.requestId, block: b1 });
    net.runUntil(30);
    expect(node.numProcessing()).toBe(2);
  });
});

function firstPoll(acceptedReportedBy3: BlockId | undefined): PollOutcome {
  const outcomes: PollOutcome[] = [];
  const { net } = scripted({ onPollFinished: (o) => outcomes.push(o) });
  const b1 = block(1, 1, GENESIS);
  // Idle, node 0 gossips a pull-query to one peer every 100 ms; node 3 answers the first one it gets
  // with chits naming what it has accepted (an unrequested chit would be dropped: chain_router).
  let t = 0;
  let gossip: Message | undefined;
  while (gossip === undefined && t < 10_000_000) {
    t += 100_000;
    net.runUntil(t);
    gossip = net.outbox.find((s) => s.to === 3 && s.msg.kind === 'pull-query')?.msg;
  }
  if (gossip?.kind !== 'pull-query') throw new Error('no gossip to node 3');
  if (acceptedReportedBy3 !== undefined) {
    net.inject(3, 0, {
      kind: 'chits',
      requestId: gossip.requestId,
      preferredId: GENESIS.id,
      preferredIdAtHeight: GENESIS.id,
      acceptedId: acceptedReportedBy3,
      acceptedHeight: acceptedReportedBy3 === GENESIS.id ? 0 : 1,
    });
  }
  net.inject(1, 0, { kind: 'push-query', requestId: 1, block: b1, requestedHeight: 1 }, 5);
  net.runUntil(t + 10);
  const q = net.outbox.find((s) => s.msg.kind === 'pull-query' && s.msg.blockId === b1.id);
  if (q?.msg.kind !== 'pull-query') throw new Error('no poll');
  const rid = q.msg.requestId;
  for (const from of [1, 2]) {
    net.inject(from, 0, { kind: 'chits', requestId: rid, preferredId: b1.id, preferredIdAtHeight: b1.id, acceptedId: GENESIS.id, acceptedHeight: 0 });
  }
  net.runUntil(t + 1_000_000);
  expect(outcomes).toEqual([]); // self + 1 + 2 = 3 votes, 2 outstanding: not settled
  net.runUntil(t + 10_100_000); // the adaptive timeout is at most 10 s
  expect(outcomes.length).toBeGreaterThan(0);
  return outcomes[0]!;
}

describe('SnowmanNode timeouts (AvalancheGo QueryFailed)', () => {
  it('counts a silent validator as voting for its last accepted block when that block is processing here', () => {
    const b1 = block(1, 1, GENESIS);
    const o = firstPoll(b1.id);
    expect(o).toMatchObject({ receivedSlots: 4, reason: 'exhausted', successful: true, maxVotes: 4 });
  });

  it('drops a silent validator whose last accepted block is already decided here', () => {
    const o = firstPoll(GENESIS.id);
    expect(o).toMatchObject({ receivedSlots: 3, reason: 'exhausted', successful: true, maxVotes: 3 });
  });

  it('drops a silent validator it knows nothing about', () => {
    const o = firstPoll(undefined);
    expect(o).toMatchObject({ receivedSlots: 3, reason: 'exhausted' });
    expect(o.durationUs).toBeGreaterThanOrEqual(2_000_000);
  });
});

interface NetRun {
  chains: BlockId[][];
  accepts: number;
  submitted: number;
  clientAccepted: number;
  pollsOk: number;
  polls: number;
  messages: number;
}

/** Ten honest nodes, stake 100 each, default parameters (K = 20 over 1,000 stake units). */
function runNetwork(
  seed: number,
  untilUs: Micros,
  crash?: { node: NodeId; at: Micros; back: Micros },
  behaviourOf: (id: NodeId) => Behaviour | undefined = () => undefined,
): NetRun {
  const n = 10;
  const shared = sharedConfig(Array.from({ length: n }, () => 100), {}, { minBlockDelayUs: 200_000, maxBlockTxs: 50 }, seed, 500_000);
  // Deterministic per-pair one-way latency between 10 and 60 ms.
  const net = new FakeNetwork<Message, ClientTx>(n, seed, (a, b) => 10_000 + (((a * 7919 + b * 104_729) % 51) * 1_000));
  const acceptedAt = new Map<number, BlockId>();
  let accepts = 0;
  let clientAccepted = 0;
  let pollsOk = 0;
  let polls = 0;
  const observer: NodeObserver = {
    onAccept: (b: Block) => {
      accepts++;
      // Safety on every acceptance: one block per height across all nodes.
      const seen = acceptedAt.get(b.height);
      if (seen === undefined) acceptedAt.set(b.height, b.id);
      else if (seen !== b.id) throw new Error(`safety violation at height ${b.height}: ${seen} vs ${b.id}`);
    },
    onTxAccepted: () => clientAccepted++,
    onPollFinished: (o) => {
      polls++;
      if (o.successful) pollsOk++;
    },
  };
  const nodes: SnowmanNode[] = [];
  for (let i = 0; i < n; i++) {
    const behaviour = behaviourOf(i);
    const node = new SnowmanNode(net.hosts[i]!, behaviour === undefined ? { ...shared, observer } : { ...shared, observer, behaviour });
    nodes.push(node);
    net.attach(i, node);
  }
  net.startAll();
  // Load: one transaction every 20 ms, round robin over nodes (50 TPS).
  let submitted = 0;
  for (let t = 0, c = 0; t < untilUs - 2_000_000; t += 20_000, c++) {
    const to = c % n;
    net.at(t, () => {
      if (!net.alive[to]) return;
      submitted++;
      nodes[to]!.onClient({ id: txIdOf(to, c + 1) });
    });
  }
  if (crash !== undefined) {
    net.at(crash.at, () => net.crash(crash.node));
    net.at(crash.back, () => net.restart(crash.node));
  }
  net.runUntil(untilUs);
  return {
    chains: nodes.map((x) => x.acceptedChain().map((b) => b.id)),
    accepts,
    submitted,
    clientAccepted,
    pollsOk,
    polls,
    messages: net.messagesDelivered,
  };
}

describe('a 10-node honest network', () => {
  it('accepts the same chain on every node and keeps finalising blocks and transactions', () => {
    const r = runNetwork(42, 12_000_000);
    if (process.env['ENGINE_DEBUG']) console.log(JSON.stringify({ heights: r.chains.map((c) => c.length - 1), ...r, chains: undefined }));
    const heights = r.chains.map((c) => c.length - 1);
    expect(Math.min(...heights)).toBeGreaterThanOrEqual(40); // 51 with this seed
    const longest = r.chains.reduce((a, b) => (b.length > a.length ? b : a));
    for (const c of r.chains) expect(c).toEqual(longest.slice(0, c.length));
    // Every tx appears at most once in the chain.
    expect(r.submitted).toBeGreaterThan(400);
    expect(r.clientAccepted).toBeGreaterThan(0.95 * r.submitted);
    expect(r.pollsOk / r.polls).toBeGreaterThan(0.9);
  });

  it('is deterministic: the same seed gives the same chains and message count', () => {
    const a = runNetwork(5, 4_000_000);
    const b = runNetwork(5, 4_000_000);
    expect(a.chains).toEqual(b.chains);
    expect(a.messages).toBe(b.messages);
    expect(a.chains[0]!.length).toBeGreaterThan(2);
  });

  it('a crashed node keeps its chain and catches up after restart', () => {
    const r = runNetwork(9, 12_000_000, { node: 3, at: 3_000_000, back: 6_000_000 });
    if (process.env['ENGINE_DEBUG']) console.log(JSON.stringify({ heights: r.chains.map((c) => c.length - 1), ...r, chains: undefined }));
    const longest = r.chains.reduce((a, b) => (b.length > a.length ? b : a));
    for (const c of r.chains) expect(c).toEqual(longest.slice(0, c.length));
    expect(r.chains[3]!.length).toBeGreaterThanOrEqual(longest.length - 2);
  });
});

class Silent extends HonestBehaviour {
  override readonly name = 'silent';
  override answerQuery(): QueryAnswer {
    return { kind: 'silent' };
  }
}

/** Proposes two conflicting children of its preference, each to half of the validators. */
class Equivocator extends HonestBehaviour {
  override readonly name = 'equivocator';
  override propose(ctx: ProposalContext): Proposal {
    const a = ctx.buildBlock(ctx.parent, ctx.txs);
    const b = ctx.buildBlock(ctx.parent, ctx.txs.slice(1));
    const n = ctx.view.validators.size;
    const half = Array.from({ length: n }, (_, i) => i).filter((i) => i !== ctx.view.id);
    return {
      kind: 'custom',
      pushes: [
        { block: a, to: half.filter((i) => i % 2 === 0) },
        { block: b, to: half.filter((i) => i % 2 === 1) },
      ],
    };
  }
}

describe('behaviour seam', () => {
  it('one silent validator of ten (10% stake) lowers the poll success rate but not safety or progress', () => {
    // P[a poll gets >= 15 of 20 slots from honest stake] ~ P[Binomial(20, 0.1) <= 5] = 0.989;
    // with 20% silent it is ~0.80 and 20 consecutive successes become rare (liveness degrades).
    const honest = runNetwork(42, 8_000_000);
    const r = runNetwork(42, 8_000_000, undefined, (id) => (id === 1 ? new Silent() : undefined));
    if (process.env['ENGINE_DEBUG']) console.log(JSON.stringify({ silentHeights: r.chains.map((c) => c.length - 1), ok: r.pollsOk / r.polls }));
    const longest = r.chains.reduce((a, b) => (b.length > a.length ? b : a));
    for (const c of r.chains) expect(c).toEqual(longest.slice(0, c.length));
    expect(longest.length - 1).toBeGreaterThanOrEqual(10);
    // With K = 20 over 10 equal validators, a poll loses every slot of a silent one.
    expect(r.pollsOk / r.polls).toBeLessThan(honest.pollsOk / honest.polls);
  });

  it('an equivocating proposer does not break safety among the others', () => {
    const r = runNetwork(11, 10_000_000, undefined, (id) => (id === 0 ? new Equivocator() : undefined));
    const longest = r.chains.reduce((a, b) => (b.length > a.length ? b : a));
    for (const c of r.chains) expect(c).toEqual(longest.slice(0, c.length));
    expect(longest.length - 1).toBeGreaterThanOrEqual(10);
    if (process.env['ENGINE_DEBUG']) console.log(JSON.stringify({ heights: r.chains.map((c) => c.length - 1), accepts: r.accepts }));
  });
});
