/**
 * The poll and vote path of a Snowman node (AvalancheGo engine.go sendQuery
 * / Chits / QueryFailed / repoll and voter.go): queries to a K-sample, chits
 * in answer to queries, chits turned into votes once the blocks they name are
 * issued or given up, finished polls applied to consensus oldest first, and
 * the decisions they bring.
 */
import type { Micros, NodeId, TimerHandle } from '../host.js';
import type { Block, BlockId } from '../snowman/block.js';
import { HONEST } from './behaviour.js';
import type { Message, RequestId } from './messages.js';
import type { NodeContext } from './node-context.js';
import type { FinishedPoll } from './poll-set.js';
import { RequestTracker } from './request-tracker.js';
import { setTimer, TimerKind } from './timer-tags.js';
import { PeerAccepted } from './peer-accepted.js';
import { voteCounts } from './vote-graph.js';

const EMPTY_VOTES: ReadonlyMap<BlockId, number> = new Map();

/**
 * One peer a query went to, until it answers or the query times out, packed
 * into a small integer: peer · 2, plus 1 once its failure was `handled`
 * (no object per peer asked: a query asks up to K = 20).
 */
type RouterEntry = number;
const entryPeer = (e: RouterEntry): NodeId => e >> 1;
const entryHandled = (e: RouterEntry): boolean => (e & 1) === 1;

export class Voter {
  /** Open queries and their timeouts. */
  private readonly queries: RequestTracker<Message>;
  /** Last accepted block each peer reported in chits (AvalancheGo tracker.Accepted). */
  private readonly peerAccepted: PeerAccepted;
  /**
   * The router's entries of each query sent to a sample (chain_router.go
   * timedRequests, one per peer asked): a peer that has neither answered
   * nor timed out. They outlive the poll: a poll that finished early still
   * takes its late answers (the peer's accepted block noted, the blocks it
   * names fetched; the vote finds no poll) and its timeout still fails the
   * silent peers (benchlist, adaptive timeout). `handled`: the failure was
   * delivered at once (unreachable or benched, sender.go), so an answer
   * only counts as a response and is not passed on (chain_router.go
   * `req.handled`, AvalancheGo 29f1d23ed7).
   */
  private readonly routed = new Map<RequestId, RouterEntry[]>();
  /** Gossip pull-queries (one peer each) whose failure was delivered at once: the entry waits for the answer or the timeout. */
  private readonly gossipHandled = new Set<RequestId>();
  private frontierTimer: TimerHandle | undefined;

  constructor(private readonly ctx: NodeContext) {
    this.queries = new RequestTracker(ctx.host, TimerKind.QueryTimeout, () => ctx.timeouts);
    this.peerAccepted = new PeerAccepted(ctx.cfg.validators.size);
  }

  // --------------------------------------------------------------- answering

  /**
   * Answer a query with chits: preference, preference at the requested
   * height, last accepted. An honest node sends them as they are; a
   * Byzantine behaviour sees the honest answer and may change it or stay
   * silent.
   */
  sendChits(to: NodeId, requestId: RequestId, requestedHeight: number, queried: BlockId): void {
    const ctx = this.ctx;
    const consensus = ctx.consensus;
    const la = consensus.lastAccepted();
    let preferredId = consensus.preference();
    let preferredIdAtHeight = this.preferenceAt(requestedHeight, la);
    let acceptedId = la.id;
    let acceptedHeight = la.height;
    if (ctx.behaviour !== HONEST) {
      const honest = { kind: 'chits' as const, preferredId, preferredIdAtHeight, acceptedId, acceptedHeight };
      const answer = ctx.behaviour.answerQuery({ view: ctx.view, from: to, queried, requestedHeight, honest });
      if (answer.kind === 'silent') return;
      ({ preferredId, preferredIdAtHeight, acceptedId, acceptedHeight } = answer);
    }
    ctx.sender.send(to, { kind: 'chits', requestId, preferredId, preferredIdAtHeight, acceptedId, acceptedHeight });
  }

  /** The block this node prefers at `height` (accepted below the last accepted height). */
  private preferenceAt(height: number, la: { readonly id: BlockId; readonly height: number }): BlockId {
    const c = this.ctx.consensus;
    if (height < la.height) return this.ctx.chain.at(height)?.id ?? la.id;
    return c.preferenceAtHeight(height) ?? c.preference();
  }

  // ----------------------------------------------------------------- asking

  /** Open polls. */
  get openPolls(): number {
    return this.ctx.polls.size;
  }

  /**
   * Start a poll on `blockId` with a fresh K-sample (AvalancheGo sendQuery);
   * `block` given: push it. Not while less than alphaConfidence/K of the
   * stake is connected (abortDueToInsufficientConnectedStake). A sampled
   * validator that is not connected, or benched, fails at once (sender.go).
   */
  sendQuery(blockId: BlockId, block: Block | undefined): void {
    const ctx = this.ctx;
    const now = ctx.host.now();
    const p = ctx.cfg.params;
    if (ctx.currentConnectedStake() < p.alphaConfidence / p.k) {
      ctx.observer.onDrop?.('insufficient-stake', ctx.id, now);
      return;
    }
    const slots = ctx.cfg.validators.sample(ctx.random, p.k);
    const requestId = ++ctx.requestCounter;
    if (!ctx.polls.add(requestId, slots, now)) {
      ctx.observer.onDrop?.('poll-refused', ctx.id, now);
      return;
    }
    const deadlineUs = this.queries.register(requestId);
    const routed: RouterEntry[] = [];
    this.routed.set(requestId, routed);
    const requestedHeight = ctx.consensus.lastAccepted().height + 1;
    // One immutable message shared by every recipient; each distinct validator gets it once.
    const msg: Message =
      block !== undefined
        ? { kind: 'push-query', requestId, block, requestedHeight, deadlineUs }
        : { kind: 'pull-query', requestId, blockId, requestedHeight, deadlineUs };
    for (let i = 0; i < slots.length; i++) {
      const vdr = slots[i]!;
      if (slots.indexOf(vdr) < i) continue; // a validator filling several slots is queried once
      routed.push(vdr * 2);
      if (!ctx.sender.request(vdr, msg, () => this.queryFailed(vdr, requestId))) {
        // Marked where it is now (still there: a failure that is delivered at once comes later, from the loopback).
        const j = routed.lastIndexOf(vdr * 2);
        if (j >= 0) routed[j] = vdr * 2 + 1;
        ctx.observer.onDrop?.('failed-fast', ctx.id, now);
      }
    }
  }

  /** Keep `concurrentRepolls` polls in flight (AvalancheGo repoll). */
  repoll(): void {
    const ctx = this.ctx;
    const pref = ctx.consensus.preference();
    for (let i = ctx.polls.size; i < ctx.cfg.params.concurrentRepolls; i++) this.sendQuery(pref, undefined);
  }

  /** At boot: start the frontier timer. */
  start(): void {
    this.frontierTimer = setTimer(this.ctx.host, this.ctx.cfg.options.frontierPollIntervalUs, TimerKind.Frontier, 0);
  }

  /** The frontier timer (re-armed every period): repoll while blocks are processing, else pull-query one peer for blocks this node missed. */
  onFrontierTimer(): void {
    const ctx = this.ctx;
    this.start();
    ctx.refreshConnectedStake();
    if (ctx.consensus.numProcessing() !== 0) {
      this.repoll();
      return;
    }
    const peer = ctx.cfg.validators.uniformPeers(ctx.random, 1, ctx.id)[0];
    if (peer === undefined) return;
    const requestedHeight = ctx.consensus.lastAccepted().height + 1;
    // Gossip (AvalancheGo Gossip): a request of its own, answered by chits that belong to no poll.
    const requestId = ++ctx.requestCounter;
    const deadlineUs = this.queries.register(requestId, peer);
    ctx.sender.request(peer, { kind: 'pull-query', requestId, blockId: ctx.consensus.preference(), requestedHeight, deadlineUs }, () => this.gossipFailed(requestId));
  }

  /**
   * A query's timeout: every peer still in the router's entries failed
   * (timeout manager: a benchlist failure and the whole wait fed to the
   * adaptive timeout; requests to itself unmeasured), and the ones whose
   * failure was not delivered yet get QueryFailed (a no-op once the poll is
   * over).
   */
  onQueryTimeout(requestId: RequestId): void {
    const ctx = this.ctx;
    const now = ctx.host.now();
    const gossipPeer = this.queries.peerOf(requestId);
    if (gossipPeer !== undefined) {
      this.gossipHandled.delete(requestId);
      this.queries.expire(requestId, 1);
      ctx.benchlist.registerFailure(gossipPeer, now);
      return;
    }
    const failed = (this.routed.get(requestId) ?? []).filter((e) => entryPeer(e) !== ctx.id);
    this.routed.delete(requestId);
    this.queries.expire(requestId, failed.length);
    for (const e of failed) ctx.benchlist.registerFailure(entryPeer(e), now);
    for (const e of failed) if (!entryHandled(e)) this.queryFailed(entryPeer(e), requestId);
  }

  /** A gossip query failed at once: QueryFailed finds no poll (a no-op), the router entry stays until the answer or the timeout. */
  private gossipFailed(requestId: RequestId): void {
    if (this.queries.has(requestId)) this.gossipHandled.add(requestId);
  }

  /** AvalancheGo QueryFailed: answer for the silent validator with its last known accepted block, else drop. */
  private queryFailed(vdr: NodeId, requestId: RequestId): void {
    if (!this.ctx.polls.isOutstanding(requestId, vdr)) return; // answered, or the poll is over
    const acc = this.peerAccepted.get(vdr);
    if (acc !== undefined) {
      this.chits(vdr, requestId, acc.id, acc.id, acc.id, acc.height);
      return;
    }
    this.applyResults(this.ctx.polls.drop(requestId, vdr));
  }

  // ----------------------------------------------------------------- voting

  /**
   * Chits from a peer (chain_router.go): an answer with no router entry
   * (never asked, answered already, or timed out) is dropped before it can
   * fetch or vote (false). Otherwise it is a response (benchlist, latency
   * unless from itself) and, unless its failure was handled already, goes
   * to the engine, also when its poll has finished (AvalancheGo Chits: the
   * accepted block noted, the named blocks fetched, the vote finds no poll).
   */
  onChits(from: NodeId, requestId: RequestId, preferredId: BlockId, preferredIdAtHeight: BlockId, acceptedId: BlockId, acceptedHeight: number): boolean {
    const ctx = this.ctx;
    if (this.queries.peerOf(requestId) === from) {
      ctx.benchlist.registerResponse(from, ctx.host.now());
      this.queries.settle(requestId, true); // the gossip request is answered
      if (this.gossipHandled.delete(requestId)) return true; // failed at once before: a response, not passed on
      this.chits(from, requestId, preferredId, preferredIdAtHeight, acceptedId, acceptedHeight);
      return true;
    }
    const routed = this.routed.get(requestId);
    if (routed === undefined) return false;
    const n = routed.length;
    let i = 0;
    while (i < n && entryPeer(routed[i]!) !== from) i++;
    if (i === n) return false;
    const handled = entryHandled(routed[i]!);
    routed.splice(i, 1);
    ctx.benchlist.registerResponse(from, ctx.host.now());
    if (from !== ctx.id) this.queries.responded(requestId);
    if (routed.length === 0) {
      // Nobody left to time out: the timer goes (a poll still open waits only for blocks to arrive).
      this.routed.delete(requestId);
      this.queries.settle(requestId);
    }
    if (!handled) this.chits(from, requestId, preferredId, preferredIdAtHeight, acceptedId, acceptedHeight);
    return true;
  }

  private chits(from: NodeId, requestId: RequestId, preferredId: BlockId, preferredIdAtHeight: BlockId, acceptedId: BlockId, acceptedHeight: number): void {
    const ctx = this.ctx;
    this.peerAccepted.set(from, acceptedId, acceptedHeight);
    const issuer = ctx.issuer;
    issuer.issueFromById(from, preferredId);
    // The second option (the preference at the queried height) only when it differs.
    const second = preferredId !== preferredIdAtHeight ? preferredIdAtHeight : undefined;
    if (second !== undefined) issuer.issueFromById(from, second);
    // As AvalancheGo Chits: both dependencies are read after both blocks were issued.
    const waitSecond = second !== undefined && issuer.canDependOn(second);
    const waitFirst = issuer.canDependOn(preferredId);
    if (!waitFirst && !waitSecond) {
      // Nothing to wait for: vote now (what the scheduler does with no deps, minus the closure).
      this.castVote(from, requestId, preferredId, second);
      return;
    }
    const deps: BlockId[] = [];
    if (waitFirst) deps.push(preferredId);
    if (waitSecond) deps.push(second);
    const incarnation = ctx.incarnation;
    ctx.jobs.schedule(
      {
        run: () => {
          // A crash in between discards the job (the scheduler is cleared too).
          if (!ctx.alive || ctx.incarnation !== incarnation) return;
          this.castVote(from, requestId, preferredId, second);
        },
      },
      deps,
    );
  }

  /** AvalancheGo voter.Execute: vote for the first option with a processing ancestor, else drop. */
  private castVote(from: NodeId, requestId: RequestId, first: BlockId, second: BlockId | undefined): void {
    const issuer = this.ctx.issuer;
    let target = issuer.processingAncestor(first);
    if (target === undefined && second !== undefined) target = issuer.processingAncestor(second);
    if (target !== undefined) this.applyResults(this.ctx.polls.vote(requestId, from, target));
    else this.applyResults(this.ctx.polls.drop(requestId, from));
  }

  private applyResults(results: readonly FinishedPoll[]): void {
    if (results.length === 0) return;
    const ctx = this.ctx;
    const now = ctx.host.now();
    const alphaPreference = ctx.cfg.params.alphaPreference;
    for (const r of results) {
      // The timeout stays while peers asked have not answered (their router entries outlive the poll).
      if (!this.routed.has(r.requestId)) this.queries.settle(r.requestId);
      // Older results applied just before may have decided some voted blocks.
      const { votes, maxTransitive } = this.votableResult(r.votes);
      const decisions = ctx.consensus.recordPoll(votes);
      for (const b of decisions.accepted) this.onAccepted(b, now);
      for (const b of decisions.rejected) this.onRejected(b, now);
      ctx.observer.onPollFinished?.(
        {
          requestId: r.requestId,
          successful: maxTransitive >= alphaPreference,
          reason: r.reason,
          sampleSize: r.sampleSize,
          receivedSlots: r.receivedSlots,
          maxVotes: maxTransitive,
          durationUs: now - r.startedAt,
          accepted: decisions.accepted.length,
        },
        ctx.id,
        now,
      );
      if (decisions.accepted.length > 0 || decisions.rejected.length > 0) ctx.issuer.pruneDecided();
    }
    if (ctx.consensus.numProcessing() > 0) this.repoll();
    ctx.builder.tryBuild();
  }

  /**
   * A finished poll's votes restricted to still-processing blocks, and the
   * votes of the best-supported processing block. One voted block (the usual
   * case) needs no vote graph: a processing block has a parent in the graph,
   * so it is not a root and its transitive count is its own votes.
   */
  private votableResult(all: ReadonlyMap<BlockId, number>): { votes: ReadonlyMap<BlockId, number>; maxTransitive: number } {
    const consensus = this.ctx.consensus;
    if (all.size === 1) {
      for (const [id, n] of all) {
        return consensus.processing(id) ? { votes: all, maxTransitive: n } : { votes: EMPTY_VOTES, maxTransitive: 0 };
      }
    }
    const votes = new Map<BlockId, number>();
    for (const [id, n] of all) if (consensus.processing(id)) votes.set(id, n);
    const { maxTransitive } = voteCounts(votes, (id) => this.ctx.issuer.votableParent(id), false);
    return { votes, maxTransitive };
  }

  private onAccepted(b: Block, now: Micros): void {
    const ctx = this.ctx;
    ctx.chain.append(b, ctx.id);
    ctx.issuer.decided(b);
    ctx.mempool.markAccepted(b.txs);
    ctx.observer.onAccept?.(b, ctx.id, now);
    ctx.gossip.ownTxsAccepted(b, now);
  }

  private onRejected(b: Block, now: Micros): void {
    this.ctx.issuer.decided(b);
    this.ctx.observer.onReject?.(b, this.ctx.id, now);
  }

  clear(): void {
    if (this.frontierTimer !== undefined) this.ctx.host.cancelTimer(this.frontierTimer);
    this.frontierTimer = undefined;
    this.queries.clear();
    this.peerAccepted.clear();
    this.routed.clear();
    this.gossipHandled.clear();
  }
}
