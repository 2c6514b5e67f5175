/**
 * One validator in a real node process: the very SnowmanNode the simulator
 * runs, driven by a RealHost (real time, real timers, CPU as real work), its
 * messages carried by the TCP transport through the latency emulation of
 * LinkScheduler, its accepted chain in a RocksDB store, its reports in an
 * append-only history, and (optionally) real ML-DSA-65 signatures on every
 * transaction and block.
 *
 * Receive path: frame -> emulation error (actual − intended arrival) ->
 * codec decode (a bad payload closes the connection) -> downlink
 * serialisation at the scenario's download bandwidth -> signature admission
 * -> node.onMessage. Send path: node -> host.send -> codec encode (once per
 * message object) + attachments -> Network.route (uplink, partition, loss,
 * latency, added delay) -> delay queue -> socket.
 */
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { HONEST } from '../../consensus/engine/behaviour.js';
import type { Message, MessageKind } from '../../consensus/engine/messages.js';
import { MessageModel } from '../../consensus/engine/messages.js';
import type { NodeObserver } from '../../consensus/engine/observer.js';
import { SnowmanNode } from '../../consensus/engine/snowman-node.js';
import { SNOWMAN_WIRE_CODEC } from '../../consensus/engine/wire-codec.js';
import type { Micros, NodeId } from '../../consensus/host.js';
import { ID_STRIDE, type Block, type TxId } from '../../consensus/snowman/block.js';
import { networkConfigOf } from '../../runner/network-config.js';
import { sharedNodeConfigOf } from '../../consensus/snowman/scenario-config.js';
import { MetricsObserver } from '../../consensus/snowman/metrics-observer.js';
import { TeeObserver } from '../../consensus/engine/tee-observer.js';
import type { RunMetrics } from '../../consensus/protocol.js';
import type { SnowmanAcceptance } from '../../consensus/snowman/safety-check.js';
import { stakeUnitsOf } from '../../runner/stake-of.js';
import type { Scenario } from '../../scenario/schema.js';
import { networkForRun, type Network } from '../../sim/network.js';
import { validateFault } from '../../sim/faults.js';
import type { Fault } from '../../sim/types.js';
import { encodeAttachments, NO_ATTACHMENTS, type Attachments, type SignedTx } from '../crypto/attachments.js';
import { signatureCosts } from '../crypto/ml-dsa.js';
import { SignatureLayer } from '../crypto/signature-layer.js';
import { busyWorkSpentUs, cpuNowUs } from '../host/busy-work.js';
import type { RunClock } from '../host/clock.js';
import { RealHost } from '../host/real-host.js';
import { EmulationError } from '../net/emulation-error.js';
import { encodeMessageFrame, FLAG_SENDER_FROZEN, FLAGS_OFFSET, FRAME_OVERHEAD_BYTES, type Frame } from '../net/frame.js';
import { LinkScheduler } from '../net/link-scheduler.js';
import { decodeIncoming } from '../net/incoming.js';
import { TcpTransport, type PeerAddress } from '../net/transport.js';
import { checkDataDir } from '../../ops/store/data-dir.js';
import { ChainStore, type Reservation } from '../store/chain-store.js';
import { HistoryFile, lastReported, outstandingSubmissions, type HistoryRecord } from './history.js';
import { handlerReceivedAt, ReceiveQueue } from './receive-queue.js';
import { StallTracker } from './stall-tracker.js';
import { behaviourFor, SwitchableBehaviour, type ByzantineSpec } from './switchable-behaviour.js';
import { RealNodeMetrics } from '../../ops/metrics/real-node-metrics.js';

export interface RealNodeOptions {
  id: NodeId;
  seed: number;
  scenario: Scenario;
  /** Frames of other runs are refused. */
  runTag: number;
  listenHost: string;
  /** Port to listen on (the one of the previous incarnation, or 0 for any). */
  port: number;
  dataDir: string;
  realSignatures: boolean;
  /** Every Byzantine node of the run (colluding strategies coordinate through it). */
  byzantineIds: readonly NodeId[];
  /** This node's strategy, when it is Byzantine. */
  byzantine: ByzantineSpec | undefined;
  clock: RunClock;
  /** Every history line, for the control API's event stream (`poll` lines are marked). */
  publish: (line: string, poll: boolean) => void;
  log: (text: string) => void;
  /** Pay modelled CPU as busy work (default true). */
  payCpu?: boolean;
  /** Where this validator serves /metrics (Prometheus): port 0 picks one; absent = listenHost, 0. */
  metricsHost?: string;
  metricsPort?: number;
  /** A taken transport port is an error, not a fallback (standalone nodes). */
  strictPort?: boolean;
}

/** Ids reserved per store write: an incarnation uses at most this many before it reserves more. */
const BLOCK_RESERVE = 1_024;
const REQUEST_RESERVE = 1 << 20;
/** Requests travel as u32. */
const MAX_REQUEST_ID = 2 ** 32 - 1;
const STATS_INTERVAL_MS = 1_000;

/** How late the event loop (the node's one service queue) runs its work: the real side's CPU queueing delay. */
const loopDelay = monitorEventLoopDelay({ resolution: 10 });
loopDelay.enable();

interface KindStats {
  sent: number;
  received: number;
  /** Real handling CPU time (admission, engine) excluding modelled busy work and signature checks, µs. */
  handleUs: number;
}

/** What a reopened store holds that the history has not reported, collected one stored block at a time. */
class RecoveredReports {
  readonly missing: Block[] = [];
  readonly acceptedTxs: TxId[] = [];
  constructor(
    readonly seen: { readonly height: number; readonly lastT: Micros },
    private readonly waiting: Set<TxId>,
  ) {}

  see(b: Block): void {
    if (b.height > this.seen.height) this.missing.push(b);
    if (this.waiting.size === 0) return;
    for (const tx of b.txs) if (this.waiting.delete(tx)) this.acceptedTxs.push(tx);
  }
}

interface AcceptGroup {
  readonly reports: HistoryRecord[];
  durable: boolean;
}

export class RealNode {
  readonly id: NodeId;
  private readonly opts: RealNodeOptions;
  private readonly model: MessageModel;
  private readonly net: Network;
  private readonly host: RealHost<Message>;
  private readonly node: SnowmanNode;
  private readonly behaviour = new SwitchableBehaviour();
  private readonly transport: TcpTransport;
  private readonly links: LinkScheduler;
  private readonly rx: ReceiveQueue;
  private readonly store: ChainStore;
  private readonly history: HistoryFile;
  private readonly sigs: SignatureLayer | undefined;
  private readonly emu = new EmulationError();
  private readonly encoded = new WeakMap<Message, { payload: Uint8Array; attachments: Uint8Array }>();
  private readonly intended = new Map<TxId, Micros>();
  private readonly kinds = new Map<MessageKind, KindStats>();
  private incarnation = 1;
  private reserved: Reservation = { blocks: 0, requests: 0, incarnations: 0 };
  private reserving = false;
  /** The acceptance whose store write was queued last, and its reports held until the write is durable. */
  private lastAccept: AcceptGroup | undefined;
  private booted = false;
  private closed = false;
  private statsTimer: NodeJS.Timeout | undefined;
  private polls = { cnt: 0, ok: 0 };
  /** The engine's protocol counters (RunMetrics.count: drops.<reason>, bootstrapMs.node<id>, …) of this incarnation. */
  private readonly counters = new Map<string, number>();
  /** Bootstrapped and no successful poll since (RunSummary.nodeRecovery). */
  private awaitingFirstPoll = false;
  private totals = { sent: 0, sentBytes: 0, received: 0, codecErrors: 0, refusedMessages: 0, txRejected: 0, submitted: 0, frozenArrivals: 0 };
  private readonly stalls: StallTracker;
  /** Prometheus metrics of this validator (src/ops/metrics), served at /metrics. */
  private readonly prom: RealNodeMetrics;
  port = 0;
  metricsPort = 0;
  /** Stored blocks handed to the engine at boot (the depth it indexes; it reads older ones from the store). */
  private readonly tailKept: number;

  constructor(opts: RealNodeOptions) {
    this.opts = opts;
    this.id = opts.id;
    const s = opts.scenario;
    const stake = stakeUnitsOf(s);
    const shared = sharedNodeConfigOf(s, opts.seed, stake);
    this.tailKept = shared.options.servableAcceptedDepth;
    const base = shared.messageModel;
    // With real signatures the signature work is done for real (SignatureLayer), so the model must not charge it too.
    this.model = opts.realSignatures ? new MessageModel(base.size, { ...base.cpu, sigVerifyUs: 0, sigSignUs: 0 }) : base;
    this.net = networkForRun(networkConfigOf(s), s.nodes.count, opts.seed);
    this.prom = new RealNodeMetrics(opts.id, opts.runTag, s.name);
    this.host = new RealHost<Message>({ id: opts.id, seed: opts.seed, clock: opts.clock, send: (to, m) => this.send(to, m), connected: (p) => this.transport.isConnected(p), connectivityVersion: () => this.transport.stats.connects + this.transport.stats.disconnects, payCpu: opts.payCpu ?? true, acceptedStore: { blockAt: (h) => this.store.blockAt(h), heightOf: (id) => this.store.heightOf(id) } });
    if (opts.byzantine !== undefined) this.behaviour.set(behaviourFor(opts.byzantine, opts.id, s.nodes.count, opts.byzantineIds, opts.seed));
    this.node = new SnowmanNode(this.host, {
      ...shared,
      messageModel: this.model,
      // The simulator charges message handling in its CPU queue; here the node charges it to its host (paid as real work).
      options: { ...shared.options, chargeHandlingCpu: true },
      behaviour: this.behaviour,
      observer: this.observer(),
    });

    this.host.attach(this.node);
    // Signatures and bodies of accepted blocks no longer in memory come from the store (the layer keeps a bounded number).
    const stored = { signatureOf: (id: number) => this.store.signatureOf(id), txBodyOf: (tx: number) => this.store.txBodyOf(tx) };
    this.sigs = opts.realSignatures ? new SignatureLayer(opts.seed, opts.id, s.cpu.reverifyTxSignaturesInBlocks, stored) : undefined;
    // Before anything is created in it: a directory that is neither new nor a node's is refused.
    checkDataDir(opts.dataDir, `node ${opts.id} dataDir`);
    this.store = new ChainStore(join(opts.dataDir, 'db'));
    this.history = new HistoryFile(join(opts.dataDir, 'history.jsonl'));
    this.transport = new TcpTransport({
      nodeId: opts.id,
      nodeCount: s.nodes.count,
      runTag: opts.runTag,
      host: opts.listenHost,
      port: opts.port,
      ...(opts.strictPort === true ? { strictPort: true } : {}),
      onMessage: (from, f) => this.receive(from, f),
      onEvent: (e) => opts.log(`node ${opts.id}: ${e}`),
    });
    this.links = new LinkScheduler(opts.id, this.net, opts.seed, opts.clock, (to, frame, dueUs) => {
      // Held here through a freeze of this process: the receiver must not count its lateness as emulation error.
      if (this.stalls.frozenAt(dueUs)) frame[FLAGS_OFFSET] = FLAG_SENDER_FROZEN;
      this.transport.send(to, frame);
    });
    this.rx = new ReceiveQueue(opts.clock, (from, msg, att, receivedAt) => this.deliver(from, msg, att, receivedAt));
    this.stalls = new StallTracker(opts.clock);
  }

  /**
   * Opens the store, restores the chain, reserves ids and listens. Returns the transport port. A boot reads only what
   * it needs, never the whole stored chain: meta/last (the last accepted block and the chain's running totals), and
   * the blocks from the lower of the history's last reported height + 1 and the engine's in-memory window
   * (`servableAcceptedDepth`) to the top. The engine reads older blocks from the store (AcceptedStore) when asked.
   * So what a boot reads, and the memory it leaves, does not grow with the chain.
   */
  async open(): Promise<number> {
    await this.store.open();
    await this.store.claim({ scenario: this.opts.scenario.name, seed: this.opts.seed, runTag: this.opts.runTag, node: this.id });
    const waiting = outstandingSubmissions(this.history.path);
    const seen = lastReported(this.history.path);
    const recovered = new RecoveredReports(seen, waiting);
    const top = (await this.store.lastAccepted()) ?? { height: 0, id: 0, txs: 0, bytes: 0 };
    const keep = this.tailKept;
    const tail: Block[] = [];
    // Blocks above the last reported height were durable but not reported (a kill between fsync and report); a
    // client transaction accepted in such a block, or in one of the same acceptance batch, lies in this range too.
    for await (const e of this.store.range(Math.min(seen.height + 1, top.height - keep + 1), top.height)) {
      const b = e.block;
      recovered.see(b);
      if (this.sigs !== undefined) {
        const bodies: SignedTx[] = [];
        for (const tx of b.txs) {
          const body = await this.store.txBody(tx);
          if (body !== undefined) bodies.push(body);
        }
        this.sigs.restoreBlock(e.signature, bodies);
      }
      tail.push(b);
      if (tail.length > 2 * keep) tail.splice(0, tail.length - keep);
    }
    this.reportRecovered(recovered);
    const r = await this.store.reservation();
    this.incarnation = r.incarnations + 1;
    this.reserved = { blocks: r.blocks + BLOCK_RESERVE, requests: Math.min(MAX_REQUEST_ID, r.requests + REQUEST_RESERVE), incarnations: this.incarnation };
    await this.store.reserve(this.reserved);
    this.node.restore(tail.slice(-keep), { blocks: r.blocks, requests: r.requests });
    this.node.resumeClientTxs(waiting);
    this.prom.restored(top.height, top.height, top.txs, top.bytes);
    this.port = await this.transport.listen();
    this.metricsPort = await this.prom.listen(this.opts.metricsHost ?? this.opts.listenHost, this.opts.metricsPort ?? 0, `node ${this.id} metrics`);
    const last = this.node.lastAcceptedBlock();
    this.opts.log(`node ${this.id}: incarnation ${this.incarnation}, restored ${top.height} accepted blocks (read ${this.store.blocksRead}) (last ${last.id} at height ${last.height}), transport on ${this.opts.listenHost}:${this.port}`);
    return this.port;
  }

  /**
   * Acceptances are reported once durable, so a SIGKILL between a batch's fsync and its report leaves blocks in the
   * store that the history never saw: report them now, at the time of the history's last line (they were accepted
   * after it, before this incarnation), so that the history holds exactly the stored chain (the harness's restart
   * check and the PromQL-vs-logs cross-check read it). A client transaction whose block is already in the store
   * (accepted, its `acc` line lost to the kill) is reported accepted now; the rest (`waiting`) the engine reports
   * when it accepts their block.
   */
  private reportRecovered(r: RecoveredReports): void {
    const t = r.seen.lastT;
    for (const b of r.missing) this.record({ k: 'chk', n: this.id, t, in: { id: b.id, height: b.height, parent: b.parent, txs: b.txs } });
    if (r.missing.length > 0) this.opts.log(`node ${this.id}: ${r.missing.length} stored block(s) above the last reported height ${r.seen.height} reported now`);
    for (const tx of r.acceptedTxs) this.record({ k: 'acc', n: this.id, t, tx });
  }

  setPeers(peers: ReadonlyMap<NodeId, PeerAddress>): void {
    this.transport.setPeers(peers);
  }

  /** Boots the engine (once the run's epoch has come). */
  boot(): void {
    if (this.booted || this.closed) return;
    this.booted = true;
    const last = this.node.lastAcceptedBlock();
    this.record({ k: 'boot', n: this.id, t: this.host.now(), inc: this.incarnation, h: last.height, last: last.id });
    this.node.onStart();
    this.statsTimer = setInterval(() => this.writeStats(), STATS_INTERVAL_MS);
  }

  isBooted(): boolean {
    return this.booted;
  }

  /** A client's transaction; with real signatures its signed body must verify. */
  submit(tx: TxId, intendedUs: Micros | undefined, body: SignedTx | undefined): 'submitted' | 'rejected' | 'not-running' {
    if (!this.booted || this.closed) return 'not-running';
    if (this.sigs !== undefined && (body === undefined || body.id !== tx || !this.sigs.admitClientTx(body))) {
      this.totals.txRejected++;
      return 'rejected';
    }
    if (intendedUs !== undefined) this.intended.set(tx, intendedUs);
    this.node.onClient({ id: tx });
    this.intended.delete(tx);
    return 'submitted';
  }

  /** A network rule, as the simulator's faults say it (every node applies it to its own sends). */
  setNetwork(f: Fault): void {
    validateFault(f, this.opts.scenario.nodes.count);
    switch (f.kind) {
      case 'partition':
        this.net.addGrudge(f.grudge);
        return;
      case 'heal':
        this.net.heal();
        return;
      case 'set-loss':
        this.net.setLoss(f.probability, f.nodes);
        return;
      case 'set-duplication':
        this.net.setDuplication(f.probability);
        return;
      case 'add-delay':
        this.net.setExtraDelay(f.extraUs, f.nodes);
        return;
      default:
        throw new RangeError(`kind: ${f.kind} is a process fault (the harness applies it with signals), not a network rule`);
    }
  }

  setByzantine(spec: ByzantineSpec | undefined): string {
    const s = this.opts.scenario;
    if (spec === undefined) this.behaviour.set(HONEST);
    else this.behaviour.set(behaviourFor(spec, this.id, s.nodes.count, this.opts.byzantineIds, this.opts.seed));
    return this.behaviour.name;
  }

  status(): Record<string, unknown> {
    const last = this.node.lastAcceptedBlock();
    return {
      id: this.id,
      incarnation: this.incarnation,
      booted: this.booted,
      height: last.height,
      lastAccepted: last.id,
      processing: this.node.numProcessing(),
      openPolls: this.node.numOpenPolls(),
      mempool: this.node.mempoolSize(),
      peers: this.transport.connectedPeers(),
      behaviour: this.behaviour.name,
      healthy: this.node.health().healthy,
      port: this.port,
    };
  }

  /** Stops sending, flushes the history and the store. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.statsTimer !== undefined) clearInterval(this.statsTimer);
    if (this.booted) this.writeStats();
    this.host.stop();
    this.links.stop();
    this.rx.stop();
    this.stalls.stop();
    await this.transport.close();
    await this.prom.close();
    await this.store.close();
    this.history.close();
  }

  // ----------------------------------------------------------------- wiring

  private record(r: HistoryRecord): void {
    const line = this.history.append(r);
    this.opts.publish(line, r.k === 'poll');
  }

  private kind(k: MessageKind): KindStats {
    let s = this.kinds.get(k);
    if (s === undefined) {
      s = { sent: 0, received: 0, handleUs: 0 };
      this.kinds.set(k, s);
    }
    return s;
  }

  /**
   * The node's reports: the run metrics (the same calls the simulator's
   * collector gets, through the same MetricsObserver) go to the history; the
   * store and the id reservations watch acceptances and builds.
   */
  private observer(): NodeObserver {
    const metrics: RunMetrics<SnowmanAcceptance> = {
      check: (b, node, time) => this.reportAcceptance({ k: 'chk', n: node, t: time, in: { id: b.id, height: b.height, parent: (b as Partial<Block>).parent, txs: b.txs } }),
      unitAccepted: (node, height, builtAt, time) => this.reportAcceptance({ k: 'unit', n: node, t: time, h: height, b: builtAt }),
      pollFinished: (node, successful, time) => {
        this.polls.cnt++;
        if (!successful) return;
        this.polls.ok++;
        // The first success after bootstrapping is written at once, so that the summary's recovery time is exact.
        if (this.awaitingFirstPoll) {
          this.awaitingFirstPoll = false;
          this.record({ k: 'poll', n: node, t: time, cnt: this.polls.cnt, ok: this.polls.ok });
          this.polls = { cnt: 0, ok: 0 };
        }
      },
      nodeBootstrapped: (node, startedAt, time) => {
        this.record({ k: 'bst', n: node, t: time, from: startedAt });
        this.awaitingFirstPoll = true;
      },
      txSubmitted: (tx, node, time) => {
        this.totals.submitted++;
        const it = this.intended.get(tx);
        this.record(it === undefined ? { k: 'sub', n: node, t: time, tx } : { k: 'sub', n: node, t: time, tx, it });
      },
      txAccepted: (tx, node, time) => this.reportAcceptance({ k: 'acc', n: node, t: time, tx }),
      // Cumulative in every stats line (the simulator's collector gets the same calls; collect.ts sums the incarnations).
      count: (name, delta) => this.counters.set(name, (this.counters.get(name) ?? 0) + delta),
    };
    const local: NodeObserver = {
      onBlockBuilt: (b: Block) => {
        const counter = Math.floor((b.id - 1) / ID_STRIDE);
        if (counter + BLOCK_RESERVE / 4 >= this.reserved.blocks) this.extendReservation();
      },
      onAccept: (b: Block) => {
        const bodies: SignedTx[] = [];
        if (this.sigs !== undefined) {
          for (const tx of b.txs) {
            const body = this.sigs.body(tx);
            if (body !== undefined) bodies.push(body);
          }
        }
        const sig = this.sigs?.signatureOf(b.id);
        // The reports of this acceptance (made next, by the metrics observer and the engine's tx reports) wait for its batch.
        const g: AcceptGroup = { reports: [], durable: false };
        this.lastAccept = g;
        this.store
          .appendAccepted(sig === undefined ? { block: b } : { block: b, signature: sig }, bodies, () => this.reportDurable(g))
          .catch((e: unknown) => this.fatal(e));
      },
    };
    // `local` first: the block's write is queued before the metrics observer reports its acceptance.
    return new TeeObserver(new TeeObserver(local, new MetricsObserver(metrics)), this.prom.metrics);
  }

  /**
   * An acceptance report (safety-checker input, unit, client tx) is written
   * only once the accepted block is durable in the store: a node killed in
   * between comes back at the height it had reported, never below it. The
   * report's time is then the moment it could truthfully be made (after the
   * fsync), as in AvalancheGo, where a block is accepted once its batch is
   * committed.
   */
  private reportAcceptance(r: HistoryRecord): void {
    const g = this.lastAccept;
    // The engine reports an acceptance right after onAccept queued its block; a group already durable takes it at once.
    if (g === undefined || g.durable) this.record(r);
    else g.reports.push(r);
  }

  private reportDurable(g: AcceptGroup): void {
    g.durable = true;
    const t = this.host.now();
    for (const r of g.reports) this.record({ ...r, t });
    g.reports.length = 0;
  }

  private extendReservation(): void {
    if (this.reserving) return;
    this.reserving = true;
    const next: Reservation = { ...this.reserved, blocks: this.reserved.blocks + BLOCK_RESERVE, requests: Math.min(MAX_REQUEST_ID, this.reserved.requests + REQUEST_RESERVE) };
    this.store
      .reserve(next)
      .then(() => {
        this.reserved = next;
        this.reserving = false;
      })
      .catch((e: unknown) => this.fatal(e));
  }

  private fatal(e: unknown): void {
    this.opts.log(`node ${this.id}: store write failed: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(70);
  }

  private send(to: NodeId, msg: Message): void {
    if (this.closed) return;
    let enc = this.encoded.get(msg);
    if (enc === undefined) {
      const att = this.sigs === undefined ? NO_ATTACHMENTS : this.sigs.attachmentsFor(msg);
      enc = { payload: SNOWMAN_WIRE_CODEC.encode(msg), attachments: encodeAttachments(att) };
      this.encoded.set(msg, enc);
    }
    if ('requestId' in msg && msg.requestId + REQUEST_RESERVE / 4 >= this.reserved.requests) this.extendReservation();
    const modelled = this.model.sizeBytes(msg);
    const { payload, attachments } = enc;
    // The frame is padded to the size the simulator gives this message (its bytes then weigh the same on both sides).
    const wire = Math.max(modelled, FRAME_OVERHEAD_BYTES + payload.length + attachments.length);
    this.totals.sent++;
    this.totals.sentBytes += modelled;
    this.kind(msg.kind).sent++;
    this.prom.metrics.onFrame('sent', msg.kind, modelled);
    this.links.send(to, wire, (sentAt, intendedAt) => encodeMessageFrame(sentAt, intendedAt, payload, attachments, wire));
  }

  private receive(from: NodeId, f: Extract<Frame, { type: 'message' }>): string | undefined {
    const now = this.host.now();
    if ((f.flags & FLAG_SENDER_FROZEN) !== 0 || this.stalls.frozenAt(f.intendedArrivalUs)) this.totals.frozenArrivals++;
    else {
      this.emu.record(now, f.intendedArrivalUs);
      this.prom.metrics.onDelivery(f.intendedArrivalUs - f.sentAtUs, now - f.sentAtUs);
    }
    const c0 = cpuNowUs();
    const d = decodeIncoming(f);
    if (!d.ok) {
      this.totals.codecErrors++;
      return d.reason;
    }
    this.kind(d.msg.kind).handleUs += cpuNowUs() - c0;
    this.totals.received++;
    const ready = this.net.downlink(this.id, f.wireBytes, now);
    this.rx.push(ready, from, d.msg, d.attachments, handlerReceivedAt(now, ready, f.sentAtUs, f.intendedArrivalUs));
    return undefined;
  }

  private deliver(from: NodeId, msg: Message, att: Attachments, receivedAt: Micros): void {
    if (this.closed || !this.booted) return;
    // CPU time, not wall time: on a shared machine the wall clock also counts time this process was descheduled.
    const t0 = cpuNowUs();
    const busy0 = busyWorkSpentUs();
    const sigUs0 = signatureCosts.verifyUs + signatureCosts.signUs;
    let m = msg;
    if (this.sigs !== undefined) {
      const r = this.sigs.admit(msg, att);
      if (!r.ok) {
        this.totals.refusedMessages++;
        return;
      }
      m = r.msg;
    }
    // The engine drops a request that waited past its deadline (drops.expired), as in the simulator.
    this.node.onMessage(from, m, receivedAt);
    const k = this.kind(msg.kind);
    k.received++;
    this.prom.metrics.onFrame('received', msg.kind, this.model.sizeBytes(msg));
    const spent = cpuNowUs() - t0;
    k.handleUs += Math.max(0, spent - (busyWorkSpentUs() - busy0) - (signatureCosts.verifyUs + signatureCosts.signUs - sigUs0));
  }

  private writeStats(): void {
    const t = this.host.now();
    const tr = this.transport.stats;
    this.prom.sync({
      droppedPartition: this.links.stats.droppedPartition,
      droppedLoss: this.links.stats.droppedLoss,
      droppedNotConnected: tr.dropped['not-connected'],
      droppedQueueFull: tr.dropped['queue-full'],
      badFrames: tr.badFrames,
      chargedUs: this.host.chargedUs,
      peers: this.transport.connectedPeers().length,
    });
    if (this.polls.cnt > 0) {
      this.record({ k: 'poll', n: this.id, t, cnt: this.polls.cnt, ok: this.polls.ok });
      this.polls = { cnt: 0, ok: 0 };
    }
    const cpu = process.cpuUsage();
    const last = this.node.lastAcceptedBlock();
    this.record({
      k: 'stats',
      n: this.id,
      t,
      inc: this.incarnation,
      height: last.height,
      ...this.totals,
      kinds: Object.fromEntries([...this.kinds.entries()].toSorted(([a], [b]) => a.localeCompare(b))),
      cnt: Object.fromEntries([...this.counters.entries()].toSorted(([a], [b]) => a.localeCompare(b))),
      links: { ...this.links.stats },
      transport: { ...this.transport.stats, dropped: { ...this.transport.stats.dropped }, badFrames: { ...this.transport.stats.badFrames } },
      emulation: this.emu.toData(),
      chargedUs: this.host.chargedUs,
      busyUs: busyWorkSpentUs(),
      sig: { ...signatureCosts, refused: this.sigs?.refused ?? 0 },
      store: { writes: this.store.writes, writeUs: Math.round(this.store.writeUsTotal) },
      // Process-wide (shared by the nodes of one process).
      process: { pid: process.pid, cpuUserUs: cpu.user, cpuSystemUs: cpu.system, rssBytes: process.memoryUsage.rss(), eventLoopDelayMeanUs: Math.round(loopDelay.mean / 1000) },
      peers: this.transport.connectedPeers().length,
    });
  }
}
