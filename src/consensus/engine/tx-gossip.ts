/**
 * Transactions at a Snowman node: client submissions, push gossip of newly
 * seen transactions to a few peers in batches (AvalancheGo's AppGossip of
 * txs), and client-observed acceptance of the transactions submitted here.
 */
import type { Micros, TimerHandle } from '../host.js';
import type { Block, TxId } from '../snowman/block.js';
import { HONEST } from './behaviour.js';
import type { NodeContext } from './node-context.js';
import { setTimer, TimerKind } from './timer-tags.js';

export class TxGossip {
  private readonly queue: TxId[] = [];
  private timer: TimerHandle | undefined;
  /** Transactions clients submitted here and not yet accepted (for client-observed latency). */
  private readonly ownTxs = new Set<TxId>();
  /** Newly seen transactions of the message being handled: the first `freshCount` entries (reused, never shrunk: no array per message). */
  private readonly fresh: TxId[] = [];
  private freshCount = 0;
  /** Bounded backlog: beyond 64 batches, new txs are not relayed (pull-free push gossip is best effort). */
  private readonly cap: number;

  constructor(private readonly ctx: NodeContext) {
    this.cap = ctx.cfg.options.maxTxGossipBatch * 64;
  }

  /** A client submits a transaction here. */
  onClient(tx: TxId): void {
    const ctx = this.ctx;
    ctx.host.chargeCpu(ctx.cfg.messageModel.txVerifyCostUs(1));
    const now = ctx.host.now();
    const r = ctx.mempool.add(tx);
    if (r === 'full') {
      ctx.observer.onDrop?.('mempool-full', ctx.id, now);
      return;
    }
    if (r !== 'added') return;
    ctx.observer.onTxSubmitted?.(tx, ctx.id, now);
    if (this.ownTxs.size < ctx.cfg.options.mempool.maxTxs) this.ownTxs.add(tx);
    this.fresh[0] = tx;
    this.freshCount = 1;
    this.relayFresh();
    ctx.builder.tryBuild();
  }

  /** Transactions gossiped by a peer: the new ones are verified (CPU), relayed, and may fill a block. */
  onGossip(txs: readonly TxId[]): void {
    const ctx = this.ctx;
    const fresh = this.fresh;
    const mempool = ctx.mempool;
    let n = 0;
    for (let i = 0; i < txs.length; i++) {
      const r = mempool.add(txs[i]!);
      if (r === 'added') fresh[n++] = txs[i]!;
      else if (r === 'full') ctx.observer.onDrop?.('mempool-full', ctx.id, ctx.host.now());
    }
    if (n === 0) return;
    this.freshCount = n;
    ctx.host.chargeCpu(ctx.cfg.messageModel.txVerifyCostUs(n));
    this.relayFresh();
    ctx.builder.tryBuild();
  }

  /** Queue the newly seen transactions for the next gossip batch (the behaviour may refuse to relay; honest nodes relay all). */
  private relayFresh(): void {
    const ctx = this.ctx;
    const o = ctx.cfg.options;
    const n = this.freshCount;
    if (o.txGossipFanout === 0) return;
    if (ctx.behaviour !== HONEST && !ctx.behaviour.relayTxs(ctx.view, this.fresh.slice(0, n))) return;
    const queue = this.queue;
    for (let i = 0; i < n && queue.length < this.cap; i++) queue.push(this.fresh[i]!);
    if (this.timer === undefined && queue.length > 0) this.timer = setTimer(ctx.host, o.txGossipIntervalUs, TimerKind.TxGossip, 0);
  }

  /** The gossip timer: one batch to `txGossipFanout` uniform peers, and again later while txs are queued. */
  flush(): void {
    const ctx = this.ctx;
    const o = ctx.cfg.options;
    this.timer = undefined;
    const batch = this.queue.splice(0, o.maxTxGossipBatch);
    if (batch.length > 0) {
      for (const peer of ctx.cfg.validators.uniformPeers(ctx.random, o.txGossipFanout, ctx.id)) ctx.sender.send(peer, { kind: 'tx-gossip', txs: batch });
    }
    if (this.queue.length > 0) this.timer = setTimer(ctx.host, o.txGossipIntervalUs, TimerKind.TxGossip, 0);
  }

  /** An accepted block: the transactions submitted here that it holds are accepted, as the client sees it. */
  ownTxsAccepted(b: Block, now: Micros): void {
    if (this.ownTxs.size === 0) return;
    for (const tx of b.txs) {
      if (this.ownTxs.delete(tx)) this.ctx.observer.onTxAccepted?.(tx, this.ctx.id, now);
    }
  }

  /**
   * A crash: the gossip backlog and its timer go. The transactions clients submitted here and still wait for stay:
   * the client holds them, not the node, and after the restart it sees each accepted once this node accepts the
   * block that holds it (by bootstrapping or by consensus), as a client polling its node's tx status would. (Cleared
   * here, every transaction submitted in the last moments before a kill that the network accepted while the node
   * was down was never reported accepted: 18 such in the sk-real-soak scenario, simulated and real.)
   */
  clear(): void {
    if (this.timer !== undefined) this.ctx.host.cancelTimer(this.timer);
    this.timer = undefined;
    this.queue.length = 0;
  }

  /** Transactions clients submitted here before this node's process was restarted, still waiting (the real node reads them from its history). */
  resumeOwn(txs: Iterable<TxId>): void {
    for (const tx of txs) if (this.ownTxs.size < this.ctx.cfg.options.mempool.maxTxs) this.ownTxs.add(tx);
  }
}
