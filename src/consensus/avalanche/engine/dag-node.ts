/**
 * An Avalanche DAG validator (AvalancheGo v1.9 snow/engine/avalanche
 * transitive.go, issuer.go, voter.go, with an X-chain-like VM whose
 * transactions spend inputs), written against the sans-I/O Host.
 *
 * Flow, as in AvalancheGo:
 * - clients submit transactions; while fewer than OptimalProcessing vertices
 *   are processing, pending virtuous transactions are batched, BatchSize to
 *   a vertex, and each vertex takes up to Parents parents at random from the
 *   strongly virtuous frontier;
 * - a vertex is issued once its parents are (missing ones are fetched with
 *   get/put); on issue it is verified (CPU), added to consensus, and polled:
 *   its K-sample gets a push-query (the first mixedQueryNumPush distinct
 *   validators) or a pull-query;
 * - a query is answered at once with chits: the preferred frontier (the
 *   votes) and the accepted frontier; then the queried vertex is issued;
 * - chits become a vote once the vertices they name are issued or given up;
 *   finished polls are released oldest first, each slot's votes bubbled from
 *   held-but-unissued vertices to their parents, and recorded; a timed-out
 *   query votes the responder's last reported accepted frontier;
 * - after a poll, orphans (virtuous transactions in no preferred vertex) are
 *   re-issued, and unless consensus can quiesce (no virtuous transaction
 *   still voted on) ConcurrentRepolls polls are kept in flight. A node whose
 *   processing vertices hold only rogue transactions (and descendants pinned
 *   behind them) therefore stops polling; once OptimalProcessing of them are
 *   stuck it stops issuing too, which is AvalancheGo's behaviour and stalls
 *   a network that sees many double spends (option repollRogue keeps polling
 *   while anything is processing, so rogue conflicts resolve);
 * - every gossip interval a random accepted-frontier vertex goes to one peer.
 *
 * Persisted across a crash: the decided-id store, the accepted frontier, a
 * window of recently accepted vertices it can serve, and its counters.
 */
import type { Host, HostedNode, Micros, NodeId, TimerHandle } from '../../host.js';
import { uniformInt } from '../../engine/sampler.js';
import { JobScheduler } from '../../engine/jobs.js';
import { OutstandingRequests } from '../../engine/requests.js';
import { Sender } from '../../engine/sender.js';
import { AdaptiveTimeoutManager } from '../../networking/adaptive-timeout.js';
import { Benchlist, defaultBenchlistConfig } from '../../networking/benchlist.js';
import { ConnectedStake } from '../../networking/connected-stake.js';
import type { DagDecisions } from '../consensus.js';
import { DagStore } from '../store.js';
import { Topological } from '../topological.js';
import { GENESIS_VERTEX_ID, vertexIdOf, type TxId, type VertexId } from '../vertex.js';
import { txIdOf } from '../../snowman/block.js';
import { HONEST_DAG, type DagBehaviour, type DagChits, type DagIssue, type DagIssueContext, type DagNodeView } from './behaviour.js';
import { validateDagNodeConfig, type DagNodeConfig } from './config.js';
import type { AvaTx, DagClientTx, DagMessage, RequestId, Vertex } from './messages.js';
import { NO_DAG_OBSERVER, type DagNodeObserver } from './observer.js';
import { batchTxs } from './batch.js';
import { bubbleVotes } from './bubble.js';
import { makeDagNodeView } from './node-view.js';
import { DagPollSet, type FinishedDagPoll } from './poll.js';
import { DagBootstrapping, type DagBootstrapOutcome } from './dag-bootstrapping.js';
import { DagQueryRouter } from './query-router.js';

const enum TimerKind {
  QueryTimeout = 0,
  GetTimeout = 1,
  Frontier = 2,
  Gossip = 3,
  Loopback = 4,
  BootstrapTimeout = 5,
}
const TAG_KINDS = 8;
const NO_DEPS: readonly TxId[] = Object.freeze([]);

export interface DagNodeHealth {
  readonly healthy: boolean;
  readonly numProcessing: number;
  readonly oldestProcessingAgeUs: Micros;
}

/** The genesis vertex every node starts from: accepted, no parents, no transactions. */
export const GENESIS_VERTEX: Vertex = Object.freeze({
  id: GENESIS_VERTEX_ID,
  parents: Object.freeze([]) as readonly VertexId[],
  txs: Object.freeze([]) as readonly AvaTx[],
  height: 0,
  issuer: -1,
  sizeBytes: 0,
  builtAt: 0,
});

export class AvalancheNode implements HostedNode<DagMessage, DagClientTx> {
  readonly view: DagNodeView;
  private readonly behaviour: DagBehaviour;
  private readonly observer: DagNodeObserver;

  // --- persisted across crashes ---
  private readonly store = new DagStore();
  private acceptedEdge: readonly VertexId[] = [GENESIS_VERTEX_ID];
  /** Recently accepted vertices, oldest first (insertion order), at most servableAcceptedDepth. */
  private readonly servable = new Map<VertexId, Vertex>();
  private vertexCounter = 0;
  private requestCounter = 0;
  private txCounter = 0;
  private inputCounter = 0;
  private acceptedCount = 0;

  // --- in memory; lost on crash (ownTxs in part: see onCrash) ---
  private alive = false;
  private consensus!: Topological<Vertex>;
  private polls!: DagPollSet;
  private readonly jobs = new JobScheduler();
  /** Vertices held and not decided: processing or waiting for parents. */
  private readonly known = new Map<VertexId, Vertex>();
  private readonly pending = new Set<VertexId>();
  private readonly issuedAt = new Map<VertexId, Micros>();
  private readonly requests = new OutstandingRequests<VertexId>();
  /** Fraction of stake connected: no query below Alpha/K of it (as the Snowman node; networking/connected-stake.ts). */
  private readonly connected: ConnectedStake;
  /** Open queries, one router entry per validator asked, and their timeouts. */
  private readonly queries: DagQueryRouter<DagMessage>;
  /** Accepted frontier each peer last reported in chits (AvalancheGo tracker.Accepted). */
  private readonly peerAccepted = new Map<NodeId, readonly VertexId[]>();
  /** Client transactions waiting for a vertex, in arrival order. */
  private pendingTxs: AvaTx[] = [];
  private readonly pendingTxIds = new Set<TxId>();
  /** Processing transactions by id (orphans are re-issued from here). */
  private readonly processingTxs = new Map<TxId, AvaTx>();
  /** Transactions clients submitted here, not yet decided here (client-observed latency). */
  private readonly ownTxs = new Set<TxId>();
  private readonly sender: Sender<DagMessage>;
  private readonly bootstrapping: DagBootstrapping;
  /** The request timeout (AvalancheGo's adaptive timeout manager), fresh at every boot. */
  private timeouts!: AdaptiveTimeoutManager;
  /** Peers whose requests keep failing, fresh at every boot. */
  private benchlist!: Benchlist;
  private frontierTimer: TimerHandle | undefined;
  private gossipTimer: TimerHandle | undefined;
  /** honestChits() of a consensus instance at a frontier version. */
  private chitsCache: { readonly of: Topological<Vertex>; readonly version: number; readonly chits: DagChits } | undefined;
  /** Distinct validators of the last poll's sample, in sample order (set by startPoll). */
  private distinctSample: NodeId[] = [];

  private readonly random = (): number => this.host.random();

  constructor(
    private readonly host: Host<DagMessage>,
    private readonly cfg: DagNodeConfig,
  ) {
    validateDagNodeConfig(cfg);
    if (host.id < 0 || host.id >= cfg.validators.size) {
      throw new RangeError(`host.id must be a validator index in [0, ${cfg.validators.size}), got ${host.id}`);
    }
    this.behaviour = cfg.behaviour ?? HONEST_DAG;
    this.observer = cfg.observer ?? NO_DAG_OBSERVER;
    this.servable.set(GENESIS_VERTEX_ID, GENESIS_VERTEX);
    this.store.decidedVertices.add(GENESIS_VERTEX_ID);
    this.view = this.makeView();
    this.sender = new Sender<DagMessage>(
      host,
      (msg) => {
        if (!this.alive) return false;
        this.onMessage(host.id, msg);
        return true;
      },
      () => this.benchlist,
      TimerKind.Loopback,
    );
    this.bootstrapping = this.makeBootstrapping();
    this.queries = new DagQueryRouter(host, TimerKind.QueryTimeout, () => this.timeouts, () => this.benchlist);
    this.connected = new ConnectedStake(host, host.id, cfg.validators);
  }

  // ------------------------------------------------------------------ inputs

  onStart(): void {
    this.boot(this.cfg.options.bootstrapAtGenesis);
  }

  /** A restarted node bootstraps (it may have missed many vertices), then runs consensus. */
  onRestart(): void {
    this.boot(true);
  }

  onCrash(): void {
    if (!this.alive) return;
    this.alive = false;
    this.bootstrapping.clear();
    this.sender.clear();
    this.queries.clear();
    for (const r of this.requests.timers()) this.host.cancelTimer(r.timer);
    for (const t of [this.frontierTimer, this.gossipTimer]) if (t !== undefined) this.host.cancelTimer(t);
    this.frontierTimer = this.gossipTimer = undefined;
    this.requests.clear();
    this.known.clear();
    this.pending.clear();
    this.issuedAt.clear();
    this.jobs.clear();
    this.peerAccepted.clear();
    // The clients' transactions already sent out in a vertex stay in ownTxs: the client holds them, not the
    // node, and after the restart sees each decided once this node decides the vertex that holds it (fetched
    // from the peers' accepted frontiers), as a client polling its node's tx status would. Cleared here, every
    // transaction submitted in the last moments before a kill that the network accepted while the node was
    // down was never reported (as the Snowman node did before f0d0f90). Those still pending (in no vertex, so
    // known to no other node) are lost with the mempool, as AvalancheGo's are.
    for (const tx of this.pendingTxs) this.ownTxs.delete(tx.id);
    this.pendingTxs = [];
    this.pendingTxIds.clear();
    this.processingTxs.clear();
  }

  onMessage(from: NodeId, msg: DagMessage, receivedAt?: Micros): void {
    if (!this.alive) return;
    if (this.cfg.options.chargeHandlingCpu) this.host.chargeCpu(this.cfg.messageModel.cpuCostUs(msg));
    // snow/networking/handler: a request that waited past its deadline is dropped, not handled.
    if (receivedAt !== undefined && 'deadlineUs' in msg && msg.deadlineUs !== undefined && this.host.now() - receivedAt > msg.deadlineUs) {
      this.observer.onDrop?.('expired', this.host.id, this.host.now());
      return;
    }
    switch (msg.kind) {
      case 'get-accepted-frontier':
      case 'get-accepted':
      case 'get-ancestors':
        this.bootstrapping.serve(from, msg);
        return;
      case 'accepted-frontier':
      case 'accepted':
      case 'ancestors':
        if (!this.bootstrapping.onResponse(from, msg)) this.observer.onDrop?.('unrequested', this.host.id, this.host.now());
        return;
      case 'get':
        this.serveGet(from, msg.requestId, msg.vertexId);
        return;
      default:
        break;
    }
    // While bootstrapping, queries, chits and puts are ignored (the bootstrapper's no-op handlers).
    if (this.bootstrapping.active) return;
    switch (msg.kind) {
      case 'push-query':
        this.sendChits(from, msg.requestId, msg.vertex.id);
        this.issueFrom(from, msg.vertex);
        this.attemptToIssueTxs();
        break;
      case 'pull-query':
        this.sendChits(from, msg.requestId, msg.vertexId);
        this.issueFromById(from, msg.vertexId);
        this.attemptToIssueTxs();
        break;
      case 'chits': {
        const routed = this.queries.answered(msg.requestId, from);
        if (routed === 'unknown') this.observer.onDrop?.('unrequested', this.host.id, this.host.now());
        else if (routed === 'deliver') this.onChits(from, msg.requestId, msg.preferred, msg.accepted);
        break;
      }
      case 'put':
        this.onPut(from, msg.requestId, msg.vertex);
        break;
      default:
        break;
    }
  }

  /** A get: the vertex if this node holds it or can serve it (served while bootstrapping too). */
  private serveGet(from: NodeId, requestId: RequestId, id: VertexId): void {
    const v = this.getVertex(id);
    if (v !== undefined && this.behaviour.serveVertex(this.view, from, v)) this.send(from, { kind: 'put', requestId, vertex: v });
  }

  onTimer(tag: number): void {
    if (!this.alive) return;
    const kind = tag % TAG_KINDS;
    const arg = (tag - kind) / TAG_KINDS;
    switch (kind) {
      case TimerKind.QueryTimeout:
        for (const vdr of this.queries.timedOut(arg)) this.queryFailed(vdr, arg);
        break;
      case TimerKind.GetTimeout: {
        const req = this.requests.get(arg);
        if (req !== undefined) {
          const now = this.host.now();
          this.observer.onDrop?.('get-timeout', this.host.id, now);
          // A benchlist failure; no latency sample (AvalancheGo leaves the Put op unmeasured).
          this.benchlist.registerFailure(req.from, now);
          this.getFailed(req.from, arg);
        }
        break;
      }
      case TimerKind.Frontier:
        if (this.bootstrapping.active) {
          this.bootstrapping.onTick();
          break;
        }
        this.frontierTimer = this.setTimer(this.cfg.options.frontierPollIntervalUs, TimerKind.Frontier, 0);
        this.onFrontierTimer();
        break;
      case TimerKind.BootstrapTimeout:
        this.bootstrapping.onTimeout(arg);
        break;
      case TimerKind.Gossip:
        this.gossipTimer = this.setTimer(this.cfg.options.gossipIntervalUs, TimerKind.Gossip, 0);
        this.gossip();
        break;
      case TimerKind.Loopback:
        this.sender.drainLoopback();
        break;
      default:
        throw new Error(`AvalancheNode: unknown timer kind ${kind} (tag ${tag})`);
    }
  }

  onClient(request: DagClientTx): void {
    if (!this.alive) return;
    this.host.chargeCpu(this.cfg.messageModel.txVerifyCostUs(1));
    const now = this.host.now();
    if (this.pendingTxIds.has(request.id) || this.consensus.txIssued(request.id)) return;
    if (this.pendingTxs.length >= this.cfg.options.maxPendingTxs) {
      this.observer.onDrop?.('mempool-full', this.host.id, now);
      return;
    }
    const tx: AvaTx = { id: request.id, inputs: request.inputs, deps: NO_DEPS, submittedAt: now };
    this.pendingTxs.push(tx);
    this.pendingTxIds.add(tx.id);
    this.ownTxs.add(tx.id);
    this.observer.onTxSubmitted?.(tx.id, this.host.id, now);
    this.attemptToIssueTxs();
  }

  // ------------------------------------------------------------ observation

  isAlive(): boolean {
    return this.alive;
  }

  numProcessing(): number {
    return this.alive && !this.bootstrapping.active ? this.consensus.numProcessing() : 0;
  }

  numOpenPolls(): number {
    return this.alive && !this.bootstrapping.active ? this.polls.size : 0;
  }

  /** Whether the node is bootstrapping (after a restart) rather than running consensus. */
  isBootstrapping(): boolean {
    return this.alive && this.bootstrapping.active;
  }

  /** Requests failed at once (peer unreachable or benched) since the node was created. */
  requestsFailedFast(): number {
    return this.sender.failedFast;
  }

  /** Peers benched now (AvalancheGo benchlist), ascending. */
  benchedPeers(): readonly NodeId[] {
    return this.alive ? this.benchlist.benched() : [];
  }

  /** The current request timeout (AvalancheGo's adaptive timeout). */
  requestTimeoutUs(): Micros {
    return this.timeouts.timeoutDuration();
  }

  /** Vertices this node has accepted (persisted). */
  numAccepted(): number {
    return this.acceptedCount;
  }

  pendingTxCount(): number {
    return this.pendingTxs.length;
  }

  /** Entries the node's consensus state holds (bounded as the DAG grows; see topological.ts). */
  retainedEntries(): number {
    return (this.alive ? this.consensus.retainedEntries() : this.store.heldEntries()) + this.servable.size + this.known.size;
  }

  /** The consensus instance (tests and tools). */
  consensusState(): Topological<Vertex> {
    return this.consensus;
  }

  health(): DagNodeHealth {
    const now = this.host.now();
    let oldest = 0;
    for (const t of this.issuedAt.values()) oldest = Math.max(oldest, now - t);
    const n = this.numProcessing();
    const p = this.cfg.params;
    return { healthy: n <= p.maxOutstandingItems && oldest <= p.maxItemProcessingTimeUs, numProcessing: n, oldestProcessingAgeUs: oldest };
  }

  // ---------------------------------------------------------------- booting

  private boot(bootstrap: boolean): void {
    if (this.alive) return;
    this.alive = true;
    const o = this.cfg.options;
    const p = this.cfg.params;
    this.timeouts = new AdaptiveTimeoutManager(o.timeout, this.host.now());
    this.benchlist = new Benchlist(o.benchlist ?? defaultBenchlistConfig({ k: p.k, alphaConfidence: p.alpha }), this.cfg.validators);
    this.connected.refresh();
    if (bootstrap) {
      // Consensus waits for the bootstrapper; an empty instance until then (nothing is issued or polled).
      this.consensus = new Topological<Vertex>(p, this.acceptedEdge, this.store);
      this.polls = new DagPollSet(p.alpha);
      this.bootstrapping.start();
    } else {
      this.startConsensus();
    }
  }

  /** Normal operation (AvalancheGo's engine Start after bootstrapping): consensus from the accepted frontier. */
  private startConsensus(): void {
    this.consensus = new Topological<Vertex>(this.cfg.params, this.acceptedEdge, this.store);
    this.polls = new DagPollSet(this.cfg.params.alpha);
    this.frontierTimer = this.setTimer(this.cfg.options.frontierPollIntervalUs, TimerKind.Frontier, 0);
    if (this.cfg.options.gossipIntervalUs > 0) this.gossipTimer = this.setTimer(this.cfg.options.gossipIntervalUs, TimerKind.Gossip, 0);
  }

  private makeBootstrapping(): DagBootstrapping {
    const host = this.host;
    const o = this.cfg.options;
    return new DagBootstrapping(
      {
        net: {
          host,
          id: host.id,
          validators: this.cfg.validators,
          random: this.random,
          timeouts: () => this.timeouts,
          benchlist: () => this.benchlist,
          reachable: (peer) => peer === host.id || (host.isConnected(peer) && !this.sender.isBenched(peer)),
          sendIfConnected: (to, msg) => this.sender.sendIfConnected(to, msg),
          request: (to, msg, failed) => this.sender.request(to, msg, failed),
          setTimeoutTimer: (delay, key) => this.setTimer(delay, TimerKind.BootstrapTimeout, key),
        },
        validators: this.cfg.validators,
        sampleK: this.cfg.params.k,
        limits: o.ancestors,
        tickIntervalUs: o.frontierPollIntervalUs,
        setTickTimer: (delay) => this.setTimer(delay, TimerKind.Frontier, 0),
        nextRequestId: () => ++this.requestCounter,
        send: (to, msg) => this.send(to, msg),
        isAccepted: (id) => this.store.decidedVertices.has(id) && !this.store.rejectedVertices.has(id),
        acceptedFrontier: () => this.acceptedEdge,
        acceptedCount: () => this.acceptedCount,
        vertex: (id) => this.getVertex(id),
        serve: (to, v) => this.behaviour.serveVertex(this.view, to, v),
        accept: (v) => this.acceptBootstrapped(v),
      },
      (outcome) => this.bootstrapped(outcome),
    );
  }

  private bootstrapped(outcome: DagBootstrapOutcome): void {
    this.observer.onBootstrapped?.(outcome, this.host.id, this.host.now());
    this.startConsensus();
    this.attemptToIssueTxs();
  }

  /**
   * A vertex the network accepted, fetched while bootstrapping, its parents
   * accepted here: it and its transactions not yet accepted here are
   * accepted (AvalancheGo's bootstrap vertex and transaction jobs), and the
   * accepted frontier moves past its parents.
   */
  private acceptBootstrapped(v: Vertex): void {
    const s = this.store;
    const now = this.host.now();
    for (const tx of v.txs) {
      if (s.decidedTxs.has(tx.id)) continue;
      s.decidedTxs.add(tx.id);
      for (const input of tx.inputs) s.spentInputs.add(input);
      this.txAccepted(tx, 0, now);
    }
    s.decidedVertices.add(v.id);
    const parents = new Set(v.parents);
    this.acceptedEdge = [...this.acceptedEdge.filter((id) => !parents.has(id)), v.id];
    this.vertexAccepted(v, now);
  }

  // ---------------------------------------------------------------- queries

  /**
   * The preferred and accepted frontiers as chits, rebuilt only when the
   * frontiers changed (most queries arrive between two changes; messages
   * share the frozen arrays).
   */
  private honestChits(): DagChits {
    const c = this.consensus;
    const version = c.frontierVersion();
    const cached = this.chitsCache;
    if (cached !== undefined && cached.of === c && cached.version === version) return cached.chits;
    const chits: DagChits = {
      kind: 'chits',
      preferred: Object.freeze([...c.preferences()]),
      accepted: Object.freeze([...c.acceptedFrontier()]),
    };
    this.chitsCache = { of: c, version, chits };
    return chits;
  }

  private sendChits(to: NodeId, requestId: RequestId, queried: VertexId): void {
    const honest = this.honestChits();
    const answer = this.behaviour === HONEST_DAG ? honest : this.behaviour.answerQuery({ view: this.view, from: to, queried, honest });
    if (answer.kind === 'silent') return;
    this.send(to, { kind: 'chits', requestId, preferred: answer.preferred, accepted: answer.accepted });
  }

  /** A poll for `vertex` (AvalancheGo issuer: SendMixedQuery to a fresh K-sample). */
  private sendQuery(vertex: Vertex): void {
    const poll = this.startPoll();
    if (poll === undefined) return;
    const { requestId, deadlineUs } = poll;
    const push: DagMessage = { kind: 'push-query', requestId, vertex, deadlineUs };
    const pull: DagMessage = { kind: 'pull-query', requestId, vertexId: vertex.id, deadlineUs };
    let pushed = 0;
    for (const vdr of this.distinctSample) {
      if (pushed < this.cfg.options.mixedQueryNumPush) {
        pushed++;
        this.query(vdr, requestId, push);
      } else {
        this.query(vdr, requestId, pull);
      }
    }
  }

  /** A poll about one preferred vertex to move consensus along (issueRepoll). */
  private issueRepoll(): void {
    let target: VertexId | undefined;
    for (const id of this.consensus.preferences()) {
      target = id;
      break;
    }
    if (target === undefined) return;
    const poll = this.startPoll();
    if (poll === undefined) return;
    const msg: DagMessage = { kind: 'pull-query', requestId: poll.requestId, vertexId: target, deadlineUs: poll.deadlineUs };
    for (const vdr of this.distinctSample) this.query(vdr, poll.requestId, msg);
  }

  /**
   * Sends query `msg` to `vdr`; a validator that is not connected, or
   * benched, fails at once (engine/sender.ts: QueryFailed from the loopback,
   * not after the timeout).
   */
  private query(vdr: NodeId, requestId: RequestId, msg: DagMessage): void {
    const ok = this.sender.request(vdr, msg, () => this.queryFailed(vdr, requestId));
    this.queries.sent(requestId, vdr, !ok);
    if (!ok) this.observer.onDrop?.('failed-fast', this.host.id, this.host.now());
  }

  private startPoll(): { readonly requestId: RequestId; readonly deadlineUs: Micros } | undefined {
    const p = this.cfg.params;
    // Below Alpha/K of the stake connected no poll can succeed, and one whose queries all fail at once would be
    // repolled at once, forever (the Snowman engine's abortDueToInsufficientConnectedStake; not in v1.9's DAG engine).
    if (this.connected.current() < p.alpha / p.k) {
      this.observer.onDrop?.('insufficient-stake', this.host.id, this.host.now());
      return undefined;
    }
    const slots = this.cfg.validators.sample(this.random, this.cfg.params.k);
    const requestId = ++this.requestCounter;
    const now = this.host.now();
    if (!this.polls.add(requestId, slots, now)) {
      this.observer.onDrop?.('poll-refused', this.host.id, now);
      return undefined;
    }
    const deadlineUs = this.queries.open(requestId);
    const distinct: NodeId[] = [];
    for (let i = 0; i < slots.length; i++) {
      const v = slots[i]!;
      if (slots.indexOf(v) === i) distinct.push(v);
    }
    this.distinctSample = distinct;
    return { requestId, deadlineUs };
  }

  /** AvalancheGo: stop polling when no virtuous transaction is voted on; with repollRogue, only when nothing is processing. */
  private canQuiesce(): boolean {
    return this.cfg.options.repollRogue ? this.consensus.numProcessing() === 0 : this.consensus.quiesce();
  }

  private repoll(): void {
    for (let i = this.polls.size; i < this.cfg.params.concurrentRepolls; i++) {
      const before = this.polls.size;
      this.issueRepoll();
      if (this.polls.size === before) return; // nothing to poll about, or refused
    }
  }

  /** AvalancheGo QueryFailed: the responder's last reported accepted frontier as its vote, else a drop. */
  private queryFailed(vdr: NodeId, requestId: RequestId): void {
    const acc = this.peerAccepted.get(vdr);
    if (acc !== undefined) this.onChits(vdr, requestId, acc, acc);
    else this.applyResults(this.polls.drop(requestId, vdr));
  }

  private onChits(from: NodeId, requestId: RequestId, preferred: readonly VertexId[], accepted: readonly VertexId[]): void {
    this.peerAccepted.set(from, accepted);
    if (!this.polls.isOutstanding(requestId, from)) return;
    let deps: VertexId[] | undefined;
    const c = this.consensus;
    for (const id of preferred) {
      // Issued vertices (most votes) are neither pending nor requested: nothing to fetch or wait for.
      if (c.vertexIssued(id)) continue;
      this.issueFromById(from, id);
      if (this.pending.has(id) || this.requests.has(id)) (deps ??= []).push(id);
    }
    if (deps === undefined) {
      // Nothing to wait for: the vote counts now (what the job scheduler does with no dependencies).
      this.applyResults(this.polls.vote(requestId, from, preferred));
    } else {
      this.jobs.schedule(
        {
          run: () => {
            if (!this.alive || this.consensus !== c) return;
            this.applyResults(this.polls.vote(requestId, from, preferred));
          },
        },
        deps,
      );
    }
    this.attemptToIssueTxs();
  }

  private applyResults(results: readonly FinishedDagPoll[]): void {
    if (results.length === 0) return;
    for (const r of results) {
      // The query's timeout stays while validators asked have not answered (their router entries outlive the poll).
      const c = this.consensus;
      const decisions = c.recordPoll(bubbleVotes(r.responses, (id) => c.vertexStatus(id), (id) => this.known.get(id)?.parents));
      this.onDecisions(decisions);
      const now = this.host.now();
      this.observer.onPollFinished?.(
        {
          successful: this.consensus.lastPollSuccessful(),
          sampleSize: r.sampleSize,
          receivedSlots: r.receivedSlots,
          durationUs: now - r.startedAt,
        },
        this.host.id,
        now,
      );
    }
    this.reissueOrphans();
    if (!this.canQuiesce()) this.repoll();
    this.attemptToIssueTxs();
  }

  private reissueOrphans(): void {
    const orphans = this.consensus.orphans();
    if (orphans.size === 0) return;
    const txs: AvaTx[] = [];
    for (const id of orphans) {
      const tx = this.processingTxs.get(id);
      if (tx !== undefined) txs.push(tx);
    }
    if (txs.length === 0) return;
    this.observer.onOrphansReissued?.(txs.length, this.host.id, this.host.now());
    this.batch(txs, true, false);
  }

  private onDecisions(d: DagDecisions<Vertex>): void {
    const total = d.acceptedVertices.length + d.rejectedVertices.length + d.acceptedTxs.length + d.rejectedTxs.length;
    if (total === 0) return;
    const now = this.host.now();
    const me = this.host.id;
    d.acceptedTxs.forEach((tx, i) => this.txAccepted(tx as AvaTx, d.acceptedTxConflicts[i] ?? 0, now));
    for (const tx of d.rejectedTxs) {
      const t = tx as AvaTx;
      this.processingTxs.delete(t.id);
      this.observer.onTxDecidedRejected?.(t, me, now);
      if (this.ownTxs.delete(t.id)) this.observer.onTxRejected?.(t.id, me, now);
    }
    for (const v of d.acceptedVertices) this.vertexAccepted(v, now);
    for (const v of d.rejectedVertices) {
      this.known.delete(v.id);
      this.issuedAt.delete(v.id);
      this.observer.onVertexRejected?.(v, me, now);
    }
    if (d.acceptedVertices.length > 0) this.acceptedEdge = [...this.consensus.acceptedFrontier()];
  }

  private txAccepted(t: AvaTx, conflicts: number, now: Micros): void {
    const me = this.host.id;
    this.processingTxs.delete(t.id);
    this.observer.onTxDecidedAccepted?.(t, conflicts, me, now);
    if (this.ownTxs.delete(t.id)) this.observer.onTxAccepted?.(t.id, me, now);
  }

  /** An accepted vertex leaves the held ones and joins the servable window. */
  private vertexAccepted(v: Vertex, now: Micros): void {
    this.known.delete(v.id);
    this.issuedAt.delete(v.id);
    this.servable.set(v.id, v);
    if (this.servable.size > this.cfg.options.servableAcceptedDepth) {
      for (const old of this.servable.keys()) {
        if (old !== GENESIS_VERTEX_ID) {
          this.servable.delete(old);
          break;
        }
      }
    }
    // Counted outside the optional call: `?.` skips evaluating its arguments when the observer has no onVertexAccepted.
    this.acceptedCount++;
    this.observer.onVertexAccepted?.(v, this.acceptedCount, this.host.id, now);
  }

  // ---------------------------------------------------------- vertex issue

  private getVertex(id: VertexId): Vertex | undefined {
    return this.known.get(id) ?? this.servable.get(id);
  }

  private issueFromById(from: NodeId, id: VertexId): void {
    if (this.consensus.vertexIssued(id) || this.pending.has(id)) return;
    const v = this.known.get(id);
    if (v === undefined) this.sendRequest(from, id);
    else this.issueFrom(from, v);
  }

  /**
   * Issue `vertex` and whichever of its held ancestors are not issued yet,
   * parents first; missing ones are requested from `from` (AvalancheGo issueFrom).
   */
  private issueFrom(from: NodeId, vertex: Vertex): void {
    const order: Vertex[] = [];
    const seen = new Set<VertexId>();
    const stack: Array<{ v: Vertex; expanded: boolean }> = [{ v: vertex, expanded: false }];
    while (stack.length > 0) {
      const { v, expanded } = stack.pop()!;
      if (expanded) {
        order.push(v); // post-order: after all its parents
        continue;
      }
      if (seen.has(v.id) || this.consensus.vertexIssued(v.id) || this.pending.has(v.id)) continue;
      seen.add(v.id);
      stack.push({ v, expanded: true });
      for (const p of v.parents) {
        if (seen.has(p) || this.consensus.vertexIssued(p) || this.pending.has(p)) continue;
        const pv = this.known.get(p);
        if (pv === undefined) this.sendRequest(from, p);
        else stack.push({ v: pv, expanded: false });
      }
    }
    for (const v of order) if (!this.issue(v)) return;
  }

  /** Mark pending and deliver once every parent is issued. False if refused (limit). */
  private issue(v: Vertex): boolean {
    if (this.pending.size + this.requests.size >= this.cfg.params.maxOutstandingItems) {
      this.observer.onDrop?.('pending-full', this.host.id, this.host.now());
      this.jobs.abandon(v.id);
      return false;
    }
    this.pending.add(v.id);
    this.known.set(v.id, v);
    this.deleteRequestFor(v.id);
    const deps: VertexId[] = [];
    for (const p of v.parents) {
      if (this.consensus.vertexIssued(p)) continue;
      // A parent nobody is fetching or issuing will never arrive: give up now.
      if (!this.pending.has(p) && !this.requests.has(p)) {
        this.abandonPending(v);
        return true;
      }
      deps.push(p);
    }
    const epoch = this.consensus;
    this.jobs.schedule(
      {
        run: (abandoned) => {
          if (!this.alive || this.consensus !== epoch) return;
          if (abandoned) this.abandonPending(v);
          else this.deliver(v);
        },
      },
      deps,
    );
    return true;
  }

  private abandonPending(v: Vertex): void {
    this.pending.delete(v.id);
    if (!this.consensus.vertexIssued(v.id)) this.known.delete(v.id);
    this.jobs.abandon(v.id);
  }

  private deliver(v: Vertex): void {
    this.pending.delete(v.id);
    if (this.consensus.vertexIssued(v.id)) {
      this.jobs.fulfill(v.id);
      return;
    }
    this.host.chargeCpu(this.cfg.messageModel.vertexVerifyCostUs(v.txs.length));
    const decisions = this.consensus.add(v);
    const now = this.host.now();
    for (const tx of v.txs) if (this.consensus.txStatus(tx.id) === 'processing') this.processingTxs.set(tx.id, tx);
    this.observer.onVertexIssued?.(v, this.host.id, now);
    if (this.consensus.vertexStatus(v.id) === 'processing') this.issuedAt.set(v.id, now);
    this.onDecisions(decisions);
    if (this.consensus.vertexStatus(v.id) === 'processing') this.sendQuery(v);
    this.jobs.fulfill(v.id);
    this.repoll();
  }

  private sendRequest(from: NodeId, id: VertexId): void {
    if (this.requests.has(id) || from === this.host.id) return;
    if (this.pending.size + this.requests.size >= this.cfg.params.maxOutstandingItems) {
      this.observer.onDrop?.('pending-full', this.host.id, this.host.now());
      return;
    }
    const requestId = ++this.requestCounter;
    const deadlineUs = this.timeouts.timeoutDuration();
    this.requests.add(requestId, { from, id, timer: this.setTimer(deadlineUs, TimerKind.GetTimeout, requestId) });
    // An unreachable or benched peer fails at once (GetFailed from the loopback, engine/sender.ts).
    if (!this.sender.request(from, { kind: 'get', requestId, vertexId: id, deadlineUs }, () => this.getFailed(from, requestId))) {
      this.observer.onDrop?.('failed-fast', this.host.id, this.host.now());
    }
  }

  private deleteRequestFor(id: VertexId): void {
    const req = this.requests.removeId(id);
    if (req !== undefined) this.host.cancelTimer(req.timer);
  }

  private onPut(from: NodeId, requestId: RequestId, vertex: Vertex): void {
    const req = this.requests.get(requestId);
    if (req !== undefined && req.from === from) this.benchlist.registerResponse(from, this.host.now());
    if (req !== undefined && req.from === from && req.id !== vertex.id) {
      this.getFailed(from, requestId);
      return;
    }
    this.issueFrom(from, vertex);
    this.attemptToIssueTxs();
  }

  private getFailed(from: NodeId, requestId: RequestId): void {
    const req = this.requests.get(requestId);
    if (req === undefined || req.from !== from) return;
    this.requests.remove(requestId);
    this.host.cancelTimer(req.timer);
    this.jobs.abandon(req.id);
  }

  // ------------------------------------------------------- vertex building

  private attemptToIssueTxs(): void {
    if (this.pendingTxs.length === 0 || this.bootstrapping.active) return;
    this.pendingTxs = this.batch(this.pendingTxs, false, true);
  }

  /**
   * batch.ts with this node's state. A client transaction dropped because it
   * conflicts with a processing or accepted one is refused: for its client,
   * it is rejected.
   */
  private batch(txs: AvaTx[], force: boolean, limit: boolean): AvaTx[] {
    const p = this.cfg.params;
    const c = this.consensus;
    return batchTxs(txs, force, limit, {
      batchSize: p.batchSize,
      optimalProcessing: p.optimalProcessing,
      numProcessing: () => c.numProcessing(),
      isVirtuous: (tx) => c.isVirtuous(tx),
      txIssued: (id) => c.txIssued(id),
      orphans: c.orphans(),
      issueBatch: (batch) => this.issueBatch(batch),
      taken: (tx) => this.pendingTxIds.delete(tx.id),
      dropped: (tx, issued) => {
        this.pendingTxIds.delete(tx.id);
        if (!issued && this.ownTxs.delete(tx.id)) this.observer.onTxRejected?.(tx.id, this.host.id, this.host.now());
      },
    });
  }

  private issueBatch(txs: readonly AvaTx[]): void {
    if (txs.length === 0) return;
    this.applyIssue(this.behaviour.issue(this.issueContext(txs)));
  }

  private issueContext(txs: readonly AvaTx[]): DagIssueContext {
    return {
      view: this.view,
      parents: this.pickParents(),
      txs,
      buildVertex: (parents, t) => this.mintVertex(parents, t),
      newInput: () => txIdOf(this.host.id, ++this.inputCounter),
      newTx: (inputs) => ({ id: txIdOf(this.host.id, ++this.txCounter), inputs: [...inputs], deps: NO_DEPS, submittedAt: this.host.now() }),
    };
  }

  private applyIssue(issue: DagIssue): void {
    switch (issue.kind) {
      case 'none':
        return;
      case 'honest':
        this.issueOwnVertex(issue.vertex);
        return;
      case 'custom':
        for (const { vertex, to } of issue.pushes) {
          for (const peer of to) this.send(peer, { kind: 'push-query', requestId: ++this.requestCounter, vertex });
        }
        for (const v of issue.issueLocally) this.issueOwnVertex(v);
    }
  }

  /** Up to Parents parents, uniformly from the strongly virtuous frontier (AvalancheGo issueBatch). */
  private pickParents(): VertexId[] {
    let frontier = [...this.consensus.virtuous()].toSorted((a, b) => a - b);
    if (frontier.length === 0) frontier = [...this.acceptedEdge];
    const n = Math.min(this.cfg.params.parents, frontier.length);
    for (let i = 0; i < n; i++) {
      const j = i + uniformInt(this.random, frontier.length - i);
      const t = frontier[i]!;
      frontier[i] = frontier[j]!;
      frontier[j] = t;
    }
    return frontier.slice(0, n);
  }

  private mintVertex(parents: readonly VertexId[], txs: readonly AvaTx[]): Vertex {
    if (this.vertexCounter >= 2 ** 32 - 1) throw new RangeError(`node ${this.host.id}: vertex counter exhausted`);
    let height = 0;
    for (const p of parents) height = Math.max(height, this.getVertex(p)?.height ?? 0);
    const model = this.cfg.messageModel;
    const vertex: Vertex = {
      id: vertexIdOf(this.host.id, ++this.vertexCounter),
      parents: [...parents],
      txs: [...txs],
      height: height + 1,
      issuer: this.host.id,
      sizeBytes: model.vertexSizeBytes(parents.length, txs.length),
      builtAt: this.host.now(),
    };
    this.host.chargeCpu(model.buildCostUs(txs.length));
    return vertex;
  }

  private issueOwnVertex(v: Vertex): void {
    this.observer.onVertexBuilt?.(v, this.host.id, this.host.now());
    this.issueFrom(this.host.id, v);
  }

  // ------------------------------------------------------------- timers

  private onFrontierTimer(): void {
    this.connected.refresh();
    if (this.behaviour !== HONEST_DAG) this.applyIssue(this.behaviour.tick(this.issueContext([])));
    if (this.consensus.numProcessing() > 0 && !this.canQuiesce()) this.repoll();
    this.attemptToIssueTxs();
  }

  /** AvalancheGo Gossip: one random accepted-frontier vertex to one random peer. */
  private gossip(): void {
    const edge = this.acceptedEdge;
    if (edge.length === 0) return;
    const v = this.servable.get(edge[uniformInt(this.random, edge.length)]!);
    if (v === undefined || v.id === GENESIS_VERTEX_ID) return;
    const peer = this.cfg.validators.uniformPeers(this.random, 1, this.host.id)[0];
    if (peer === undefined || !this.behaviour.serveVertex(this.view, peer, v)) return;
    this.send(peer, { kind: 'put', requestId: 0, vertex: v });
  }

  // ------------------------------------------------------------- plumbing

  private setTimer(delay: Micros, kind: TimerKind, arg: number): TimerHandle {
    return this.host.setTimer(delay, arg * TAG_KINDS + kind);
  }

  /** Messages to self go through a zero-delay timer (AvalancheGo's asynchronous loopback; engine/sender.ts). */
  private send(to: NodeId, msg: DagMessage): void {
    this.sender.send(to, msg);
  }

  private makeView(): DagNodeView {
    return makeDagNodeView({
      id: this.host.id,
      validators: this.cfg.validators,
      now: () => this.host.now(),
      consensus: () => this.consensus,
      held: () => this.known.values(),
      vertex: (id) => this.getVertex(id),
      numProcessing: () => this.numProcessing(),
    });
  }
}
