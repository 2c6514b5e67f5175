import { describe, expect, it } from 'vitest';
import { FakeNetwork } from '../../engine/fake-network.testkit.js';
import type { Micros, NodeId } from '../../host.js';
import { txIdOf } from '../../snowman/block.js';
import { DagSafetyChecker } from '../../../metrics/dag-safety.js';
import { GENESIS_VERTEX_ID, type VertexId } from '../vertex.js';
import { HonestDagBehaviour, type DagBehaviour, type DagIssue, type DagIssueContext } from './behaviour.js';
import type { DagEngineOptions } from './config.js';
import { avaTx, sharedDagConfig, vertex } from './dag-fixture.testkit.js';
import { AvalancheNode } from './dag-node.js';
import type { DagClientTx, DagMessage, Vertex } from './messages.js';
import type { DagNodeObserver, DagPollOutcome } from './observer.js';

type Net = FakeNetwork<DagMessage, DagClientTx>;

/** Node 0 is real; 1..4 are scripted. K = 5 over 5 unit stakes: every poll asks everyone once (node 0 itself included). */
function scripted(observer: DagNodeObserver = {}, options: Partial<DagEngineOptions> = {}, params = {}) {
  const shared = sharedDagConfig(
    [1, 1, 1, 1, 1],
    { k: 5, alpha: 4, betaVirtuous: 2, betaRogue: 3, concurrentRepolls: 1, parents: 2, batchSize: 30, ...params },
    { mixedQueryNumPush: 0, gossipIntervalUs: 0, ...options },
  );
  const net: Net = new FakeNetwork<DagMessage, DagClientTx>(5, 7, () => 1_000);
  const node = new AvalancheNode(net.hosts[0]!, { ...shared, observer });
  net.attach(0, node);
  net.startAll();
  return { net, node };
}

/** Every query in the outbox not answered yet gets chits from its scripted recipient. */
function answerQueries(net: Net, answered: Set<string>, preferred: (to: NodeId) => readonly VertexId[] | 'silent', accepted: readonly VertexId[] = [GENESIS_VERTEX_ID]): number {
  let n = 0;
  for (const s of net.outbox) {
    if (s.msg.kind !== 'pull-query' && s.msg.kind !== 'push-query') continue;
    const key = `${s.to}/${s.msg.requestId}`;
    if (answered.has(key)) continue;
    answered.add(key);
    const p = preferred(s.to);
    if (p === 'silent') continue;
    net.inject(s.to, 0, { kind: 'chits', requestId: s.msg.requestId, preferred: p, accepted });
    n++;
  }
  return n;
}

/** Answer every query with `preferred` until `done()` or `rounds` run out. */
function pollUntil(net: Net, preferred: readonly VertexId[], done: () => boolean, rounds = 20, accepted?: readonly VertexId[]): void {
  const answered = new Set<string>();
  for (let i = 0; i < rounds && !done(); i++) {
    answerQueries(net, answered, () => preferred, accepted);
    net.runUntil(net.now + 10_000);
  }
}

describe('AvalancheNode answering queries (AvalancheGo v1.9 PushQuery / PullQuery)', () => {
  it('answers a push-query at once with its preferred and accepted frontiers, then issues the vertex and polls about it', () => {
    const { net, node } = scripted();
    const v1 = vertex(1, 1, [GENESIS_VERTEX_ID], [avaTx(txIdOf(1, 1), txIdOf(1, 1))]);
    net.inject(1, 0, { kind: 'push-query', requestId: 7, vertex: v1 });
    net.runUntil(10);
    const chits = net.outbox.filter((s) => s.to === 1 && s.msg.kind === 'chits').map((s) => s.msg);
    // Answered before issuing: genesis is both frontiers.
    expect(chits).toEqual([{ kind: 'chits', requestId: 7, preferred: [GENESIS_VERTEX_ID], accepted: [GENESIS_VERTEX_ID] }]);
    expect(node.numProcessing()).toBe(1);
    // Issuing polls a fresh K-sample; mixedQueryNumPush = 0: pull-queries only.
    const queries = net.outbox.filter((s) => s.msg.kind === 'pull-query');
    expect(queries.map((s) => s.to).toSorted((a, b) => a - b)).toEqual([1, 2, 3, 4]);
    expect(queries.every((s) => s.msg.kind === 'pull-query' && s.msg.vertexId === v1.id)).toBe(true);
    // A later pull-query is answered with the vertex in the preferred frontier.
    net.inject(2, 0, { kind: 'pull-query', requestId: 8, vertexId: v1.id });
    net.runUntil(20);
    expect(net.outbox.find((s) => s.to === 2 && s.msg.kind === 'chits')?.msg).toEqual({ kind: 'chits', requestId: 8, preferred: [v1.id], accepted: [GENESIS_VERTEX_ID] });
  });

  it('sends the vertex itself to the first mixedQueryNumPush distinct validators of the sample', () => {
    const { net } = scripted({}, { mixedQueryNumPush: 10 });
    const v1 = vertex(1, 1, [GENESIS_VERTEX_ID], [avaTx(txIdOf(1, 1), txIdOf(1, 1))]);
    net.inject(1, 0, { kind: 'pull-query', requestId: 1, vertexId: v1.id });
    net.runUntil(10);
    const get = net.outbox.find((s) => s.msg.kind === 'get');
    expect(get?.to).toBe(1); // unknown: fetched from the asker
    if (get?.msg.kind !== 'get') throw new Error('no get');
    net.inject(1, 0, { kind: 'put', requestId: get.msg.requestId, vertex: v1 });
    net.runUntil(20);
    const pushes = net.outbox.filter((s) => s.msg.kind === 'push-query');
    expect(pushes.map((s) => s.to).toSorted((a, b) => a - b)).toEqual([1, 2, 3, 4]);
    expect(net.outbox.filter((s) => s.msg.kind === 'pull-query')).toEqual([]);
  });
});

describe('AvalancheNode polls', () => {
  it('accepts a vertex and its transaction after BetaVirtuous successful polls, and moves its accepted frontier', () => {
    const polls: DagPollOutcome[] = [];
    const accepted: VertexId[] = [];
    const { net, node } = scripted({ onPollFinished: (o) => polls.push(o), onVertexAccepted: (v) => accepted.push(v.id) });
    const tx = avaTx(txIdOf(1, 1), txIdOf(1, 1));
    const v1 = vertex(1, 1, [GENESIS_VERTEX_ID], [tx]);
    net.inject(1, 0, { kind: 'push-query', requestId: 1, vertex: v1 });
    net.runUntil(10);
    pollUntil(net, [v1.id], () => accepted.length > 0);
    expect(accepted).toEqual([v1.id]);
    expect(node.numAccepted()).toBe(1);
    expect(node.consensusState().txStatus(tx.id)).toBe('accepted');
    expect([...node.consensusState().acceptedFrontier()]).toEqual([v1.id]);
    // Two successful polls (BetaVirtuous = 2), each with 5 slots (node 0 votes too).
    // (A poll ends once 4 slots agree: the one pending slot could not change the outcome.)
    expect(polls.slice(0, 2).map((p) => [p.successful, p.sampleSize, p.receivedSlots])).toEqual([
      [true, 5, 4],
      [true, 5, 4],
    ]);
    // Quiescent: nothing processing, no more polls.
    const before = net.outbox.length;
    net.runUntil(net.now + 1_000_000);
    expect(net.outbox.filter((s, i) => i >= before && s.msg.kind === 'pull-query')).toEqual([]);
  });

  it('a vote for an unknown vertex is fetched from the voter and counted once the vertex is issued', () => {
    const accepted: VertexId[] = [];
    const { net, node } = scripted({ onVertexAccepted: (v) => accepted.push(v.id) });
    const v1 = vertex(1, 1, [GENESIS_VERTEX_ID], [avaTx(txIdOf(1, 1), txIdOf(1, 1))]);
    const v2 = vertex(2, 1, [v1.id], [avaTx(txIdOf(2, 1), txIdOf(2, 1))], 1);
    net.inject(1, 0, { kind: 'push-query', requestId: 1, vertex: v1 });
    net.runUntil(10);
    // Everyone votes for v2, which node 0 has never seen.
    const answered = new Set<string>();
    answerQueries(net, answered, () => [v2.id]);
    net.runUntil(net.now + 10);
    const gets = net.outbox.filter((s) => s.msg.kind === 'get');
    expect(gets.length).toBeGreaterThan(0);
    expect(gets.every((s) => s.msg.kind === 'get' && s.msg.vertexId === v2.id)).toBe(true);
    expect(node.consensusState().txSnowball(txIdOf(1, 1))?.numSuccessfulPolls).toBe(0); // the poll waits
    const first = gets[0]!;
    if (first.msg.kind !== 'get') throw new Error('no get');
    net.inject(first.to, 0, { kind: 'put', requestId: first.msg.requestId, vertex: v2 });
    net.runUntil(net.now + 10);
    // v2 issued: the votes count for v2 and, transitively, for v1.
    expect(node.consensusState().vertexStatus(v2.id)).toBe('processing');
    expect(node.consensusState().txSnowball(txIdOf(1, 1))?.numSuccessfulPolls).toBeGreaterThanOrEqual(1);
    pollUntil(net, [v2.id], () => accepted.length >= 2);
    expect(accepted).toEqual([v1.id, v2.id]);
  });

  it('QueryFailed: a silent validator votes its last reported accepted frontier, else it is dropped', () => {
    const polls: DagPollOutcome[] = [];
    const { net } = scripted({ onPollFinished: (o) => polls.push(o) });
    const v1 = vertex(1, 1, [GENESIS_VERTEX_ID], [avaTx(txIdOf(1, 1), txIdOf(1, 1))]);
    net.inject(1, 0, { kind: 'push-query', requestId: 1, vertex: v1 });
    net.runUntil(10);
    // Node 4 never answers; 1..3 vote v1 with node 0: 4 of 5 slots = alpha, and 1 pending: not settled
    // (AvalancheGo's no-traversal early termination waits while a vertex below alpha could still grow).
    const answered = new Set<string>();
    answerQueries(net, answered, (to) => (to === 4 ? 'silent' : [v1.id]));
    net.runUntil(net.now + 100_000);
    // Settled as soon as 4 slots agree: the only vertex voted has reached alpha.
    expect(polls.length).toBe(1);
    expect(polls[0]).toMatchObject({ successful: true, receivedSlots: 4, sampleSize: 5 });
    expect(polls[0]!.durationUs).toBeLessThan(2_000_000);
  });

  it('waits for the query timeout (the adaptive timeout, 5 s at boot) when the answers are split, then drops the silent validator', () => {
    const polls: DagPollOutcome[] = [];
    const { net, node } = scripted({ onPollFinished: (o) => polls.push(o) });
    expect(node.requestTimeoutUs()).toBe(5_000_000);
    const v1 = vertex(1, 1, [GENESIS_VERTEX_ID], [avaTx(txIdOf(1, 1), txIdOf(1, 1))]);
    const v2 = vertex(2, 1, [GENESIS_VERTEX_ID], [avaTx(txIdOf(2, 1), txIdOf(2, 1))]);
    net.inject(1, 0, { kind: 'push-query', requestId: 1, vertex: v1 });
    net.inject(2, 0, { kind: 'push-query', requestId: 1, vertex: v2 });
    net.runUntil(10);
    const answered = new Set<string>();
    // 1 and 2 name only v2, 3 names v1, 4 is silent: v1 has node 0 and 3 (2 < alpha), v2 has 1, 2 and node 0.
    answerQueries(net, answered, (to) => (to === 4 ? 'silent' : to === 3 ? [v1.id] : [v2.id]));
    net.runUntil(net.now + 4_000_000);
    expect(polls).toEqual([]);
    net.runUntil(net.now + 1_100_000);
    expect(polls.length).toBeGreaterThan(0);
    expect(polls[0]!.durationUs).toBeGreaterThanOrEqual(5_000_000);
    expect(polls[0]!.receivedSlots).toBe(4);
  });
});

describe('AvalancheNode issuing (AvalancheGo batch / issueBatch)', () => {
  it('puts at most BatchSize client transactions in a vertex, takes parents from the virtuous frontier, stops at OptimalProcessing', () => {
    const built: Vertex[] = [];
    const { net, node } = scripted({ onVertexBuilt: (v) => built.push(v) }, {}, { batchSize: 3, optimalProcessing: 2 });
    net.at(5, () => {
      for (let c = 1; c <= 7; c++) node.onClient({ id: txIdOf(0, c), inputs: [txIdOf(0, c)] });
    });
    net.runUntil(10);
    // Submitted one by one: the first two go out alone, then OptimalProcessing (2) stops batching.
    expect(built.map((v) => v.txs.length)).toEqual([1, 1]);
    expect(node.pendingTxCount()).toBe(5);
    expect(built[0]!.parents).toEqual([GENESIS_VERTEX_ID]);
    expect(built[1]!.parents).toEqual([built[0]!.id]); // the first vertex replaced genesis on the virtuous frontier
    expect(built.every((v) => v.issuer === 0 && v.height === 1 + (v.parents[0] === GENESIS_VERTEX_ID ? 0 : 1))).toBe(true);
    // Once they are accepted the rest goes out, BatchSize (3) at a time.
    pollUntil(net, [built[1]!.id], () => node.pendingTxCount() === 0 && built.length === 4, 40);
    expect(built.map((v) => v.txs.length)).toEqual([1, 1, 3, 2]);
  });

  it('refuses (rejects for its client) a double spend of an input an accepted transaction spent', () => {
    const rejected: number[] = [];
    const accepted: number[] = [];
    const built: Vertex[] = [];
    const { net, node } = scripted({ onTxRejected: (t) => rejected.push(t), onTxAccepted: (t) => accepted.push(t), onVertexBuilt: (v) => built.push(v) });
    const input = txIdOf(0, 1);
    net.at(5, () => node.onClient({ id: txIdOf(0, 1), inputs: [input] }));
    net.runUntil(10);
    pollUntil(net, [built[0]!.id], () => accepted.length > 0);
    expect(accepted).toEqual([txIdOf(0, 1)]);
    net.at(net.now + 5, () => node.onClient({ id: txIdOf(0, 2), inputs: [input] }));
    net.runUntil(net.now + 10);
    expect(rejected).toEqual([txIdOf(0, 2)]);
    expect(built.length).toBe(1);
  });

  it('re-issues an orphan: a virtuous transaction left in a vertex that lost its preference to a double spend', () => {
    const orphans: number[] = [];
    const built: Vertex[] = [];
    const { net, node } = scripted({ onOrphansReissued: (n) => orphans.push(n), onVertexBuilt: (v) => built.push(v) });
    const x = 5_000;
    const rogueA = avaTx(txIdOf(1, 1), x);
    const virtuous = avaTx(txIdOf(1, 2), 5_001);
    const rogueB = avaTx(txIdOf(2, 1), x);
    const v1 = vertex(1, 1, [GENESIS_VERTEX_ID], [rogueA, virtuous]);
    const v2 = vertex(2, 1, [GENESIS_VERTEX_ID], [rogueB]);
    net.inject(1, 0, { kind: 'push-query', requestId: 1, vertex: v1 });
    net.inject(2, 0, { kind: 'push-query', requestId: 1, vertex: v2 });
    net.runUntil(10);
    const c = node.consensusState();
    expect([...c.preferences()]).toEqual([v1.id]); // first seen, first preferred
    // The network votes v2: after one poll rogueB is preferred, v1 is not, and `virtuous` is an orphan,
    // re-issued at once in a vertex of node 0's own (on the virtuous frontier: genesis, not rogue v2).
    pollUntil(net, [v2.id], () => built.length > 0, 40);
    expect(orphans[0]).toBe(1);
    expect(built[0]!.txs.map((t) => t.id)).toEqual([virtuous.id]);
    expect(built[0]!.parents).toEqual([GENESIS_VERTEX_ID]);
    // BetaRogue = 3: rogueB is accepted, v1 and rogueA rejected, and `virtuous` accepted through the new vertex.
    pollUntil(net, [v2.id, built[0]!.id], () => c.txStatus(virtuous.id) === 'accepted' && c.vertexStatus(v1.id) === 'rejected', 40);
    expect([c.txStatus(rogueA.id), c.txStatus(rogueB.id), c.txStatus(virtuous.id)]).toEqual(['rejected', 'accepted', 'accepted']);
    expect([c.vertexStatus(v1.id), c.vertexStatus(v2.id), c.vertexStatus(built[0]!.id)]).toEqual(['rejected', 'accepted', 'accepted']);
  });
});

interface NetRun {
  acceptedPerNode: number[];
  acceptedTxsPerNode: number[];
  submitted: number;
  clientAccepted: number;
  clientRejected: number;
  violations: number;
  messages: number;
}

/** Ten real nodes, 100 stake each, default K = 20, alpha = 15, BetaVirtuous 15, BetaRogue 20; 50 TPS round robin. */
function runNetwork(
  seed: number,
  untilUs: Micros,
  opts: { crash?: { node: NodeId; at: Micros; back: Micros }; behaviourOf?: (id: NodeId) => DagBehaviour | undefined; doubleSpendEvery?: number } = {},
): NetRun {
  const n = 10;
  const shared = sharedDagConfig(Array.from({ length: n }, () => 100), {}, { gossipIntervalUs: 1_000_000, repollRogue: true });
  const net: Net = new FakeNetwork<DagMessage, DagClientTx>(n, seed, (a, b) => 10_000 + ((a * 7919 + b * 104_729) % 51) * 1_000);
  const byzantine = new Set<NodeId>();
  for (let i = 0; i < n; i++) if (opts.behaviourOf?.(i) !== undefined) byzantine.add(i);
  const safety = new DagSafetyChecker({ nodes: n, byzantine, repro: 'test' });
  let clientAccepted = 0;
  let clientRejected = 0;
  const observer: DagNodeObserver = {
    onTxDecidedAccepted: (tx, _c, node, t) => safety.accept({ kind: 'tx', id: tx.id, inputs: tx.inputs }, node, t),
    onVertexAccepted: (v, _count, node, t) => safety.accept({ kind: 'vertex', id: v.id, height: v.height, parents: v.parents, txs: v.txs.map((x) => x.id) }, node, t),
    onTxAccepted: () => clientAccepted++,
    onTxRejected: () => clientRejected++,
  };
  const nodes: AvalancheNode[] = [];
  for (let i = 0; i < n; i++) {
    const behaviour = opts.behaviourOf?.(i);
    const node = new AvalancheNode(net.hosts[i]!, behaviour === undefined ? { ...shared, observer } : { ...shared, observer, behaviour });
    nodes.push(node);
    net.attach(i, node);
  }
  net.startAll();
  let submitted = 0;
  for (let t = 0, c = 0; t < untilUs - 3_000_000; t += 20_000, c++) {
    const to = c % n;
    if (byzantine.has(to)) continue;
    net.at(t, () => {
      if (!net.alive[to]) return;
      submitted++;
      const id = txIdOf(to, c + 1);
      nodes[to]!.onClient({ id, inputs: [id] });
    });
  }
  if (opts.crash !== undefined) {
    const { node, at, back } = opts.crash;
    net.at(at, () => net.crash(node));
    net.at(back, () => net.restart(node));
  }
  net.runUntil(untilUs);
  return {
    acceptedPerNode: nodes.map((x) => x.numAccepted()),
    acceptedTxsPerNode: [],
    submitted,
    clientAccepted,
    clientRejected,
    violations: safety.summary().violations,
    messages: net.messagesDelivered,
  };
}

/** Every `everyUs`, two vertices spending one fresh input, one to each half of the others. */
class DoubleSpender extends HonestDagBehaviour {
  override readonly name = 'double-spender';
  private last = -Infinity;
  override tick(ctx: DagIssueContext): DagIssue {
    if (ctx.view.now() - this.last < 500_000) return { kind: 'none' };
    this.last = ctx.view.now();
    const input = ctx.newInput();
    const a = ctx.buildVertex(ctx.parents, [ctx.newTx([input])]);
    const b = ctx.buildVertex(ctx.parents, [ctx.newTx([input])]);
    const others = Array.from({ length: ctx.view.validators.size }, (_, i) => i).filter((i) => i !== ctx.view.id);
    return { kind: 'custom', issueLocally: [], pushes: [{ vertex: a, to: others.filter((i) => i % 2 === 0) }, { vertex: b, to: others.filter((i) => i % 2 === 1) }] };
  }
}

describe('a 10-node network', () => {
  it('honest: every transaction is accepted on its node, the same vertices everywhere, no violation', () => {
    const r = runNetwork(42, 10_000_000);
    expect(r.violations).toBe(0);
    expect(r.submitted).toBeGreaterThan(300);
    expect(r.clientAccepted).toBe(r.submitted);
    expect(Math.min(...r.acceptedPerNode)).toBeGreaterThan(0.9 * Math.max(...r.acceptedPerNode));
  });

  it('is deterministic: the same seed gives the same acceptances and message count', () => {
    const a = runNetwork(5, 4_000_000);
    const b = runNetwork(5, 4_000_000);
    expect(a).toEqual(b);
    expect(a.acceptedPerNode[0]).toBeGreaterThan(5);
  });

  it('a crashed node keeps what it accepted and catches up after its restart', () => {
    const r = runNetwork(9, 12_000_000, { crash: { node: 3, at: 3_000_000, back: 5_000_000 } });
    expect(r.violations).toBe(0);
    expect(r.acceptedPerNode[3]!).toBeGreaterThan(0.8 * Math.max(...r.acceptedPerNode));
  });

  it('a double-spending validator does not break safety, and its conflicts are decided', () => {
    const r = runNetwork(11, 10_000_000, { behaviourOf: (id) => (id === 0 ? new DoubleSpender() : undefined) });
    expect(r.violations).toBe(0);
    expect(r.clientAccepted).toBe(r.submitted);
  });
});
