/**
 * Block building at a Snowman node (AvalancheGo's block builder with the
 * Snowman++ proposer windows simplified to one stake-weighted proposer per
 * slot): in its own slot, with fewer than optimalProcessing blocks
 * processing, a proposer builds on its preferred tip once the parent is old
 * enough and the mempool offers transactions; the Byzantine behaviour decides
 * what is proposed.
 */
import type { TimerHandle } from '../host.js';
import type { Block, BlockId, TxId } from '../snowman/block.js';
import { blockIdOf } from '../snowman/block.js';
import type { Proposal } from './behaviour.js';
import { MAX_WALK } from './block-issuer.js';
import type { NodeContext } from './node-context.js';
import { setTimer, TimerKind } from './timer-tags.js';

/** Slots scanned ahead for this node's next proposer slot before re-arming a scan. */
const SLOT_SCAN_HORIZON = 1_024;

export class BlockBuilder {
  private slotTimer: TimerHandle | undefined;
  private retryTimer: TimerHandle | undefined;
  /** The slot this node is currently proposer of, if any. */
  private proposingSlot: number | undefined;

  constructor(private readonly ctx: NodeContext) {}

  /** At boot: wait for this node's next slot. */
  start(): void {
    this.armSlotScan(this.ctx.cfg.schedule.slotAt(this.ctx.host.now()));
  }

  /** Arm a timer at the start of this node's next proposer slot at or after `from`. */
  private armSlotScan(from: number): void {
    const ctx = this.ctx;
    const s = ctx.cfg.schedule;
    const mine = s.nextSlotOf(ctx.id, from, SLOT_SCAN_HORIZON);
    const target = mine ?? from + SLOT_SCAN_HORIZON; // re-scan from there
    const delay = Math.max(0, s.slotStart(target) - ctx.host.now());
    if (this.slotTimer !== undefined) ctx.host.cancelTimer(this.slotTimer);
    this.slotTimer = setTimer(ctx.host, delay, TimerKind.SlotStart, target);
  }

  onSlotStart(slot: number): void {
    this.slotTimer = undefined;
    if (this.ctx.cfg.schedule.proposerOf(slot) === this.ctx.id) {
      this.proposingSlot = slot;
      this.tryBuild();
      this.armSlotScan(slot + 1);
    } else {
      this.armSlotScan(slot);
    }
  }

  onRetry(): void {
    this.retryTimer = undefined;
    this.tryBuild();
  }

  private inOwnSlot(): boolean {
    return this.proposingSlot !== undefined && this.ctx.cfg.schedule.slotAt(this.ctx.host.now()) === this.proposingSlot;
  }

  /** Txs of the processing blocks from `tip` down to the last accepted block. */
  private txsInProcessingChain(tip: BlockId): Set<TxId> {
    const out = new Set<TxId>();
    const known = this.ctx.issuer.known;
    let cur = tip;
    for (let i = 0; i < MAX_WALK && this.ctx.consensus.processing(cur); i++) {
      const b = known.get(cur);
      if (b === undefined) break;
      for (const tx of b.txs) out.add(tx);
      cur = b.parent;
    }
    return out;
  }

  /**
   * Build on the preferred tip if this node is the slot's proposer, fewer than
   * optimalProcessing blocks are processing, the parent is old enough and the
   * mempool offers something. Called on slot start, tx arrival, decisions.
   */
  tryBuild(): void {
    const ctx = this.ctx;
    if (!ctx.alive || !this.inOwnSlot() || this.retryTimer !== undefined) return;
    if (ctx.consensus.numProcessing() >= ctx.cfg.params.optimalProcessing) return;
    const parent = ctx.issuer.getBlock(ctx.consensus.preference());
    if (parent === undefined) return;
    const now = ctx.host.now();
    const o = ctx.cfg.options;
    const earliest = parent.builtAt + o.minBlockDelayUs;
    if (now < earliest) {
      this.retryTimer = setTimer(ctx.host, earliest - now, TimerKind.BuildRetry, 0);
      return;
    }
    const txs = ctx.mempool.select(o.maxBlockTxs, this.txsInProcessingChain(parent.id));
    if (txs.length === 0) return;
    const proposal: Proposal = ctx.behaviour.propose({
      view: ctx.view,
      parent,
      txs,
      buildBlock: (p, t) => this.mintBlock(p, t),
    });
    switch (proposal.kind) {
      case 'none':
        break;
      case 'honest':
        this.issueOwnBlock(proposal.block);
        break;
      case 'custom':
        for (const { block, to } of proposal.pushes) {
          const requestedHeight = ctx.consensus.lastAccepted().height + 1;
          for (const peer of to) ctx.sender.send(peer, { kind: 'push-query', requestId: ++ctx.requestCounter, block, requestedHeight });
        }
        if (proposal.issueLocally !== undefined) this.issueOwnBlock(proposal.issueLocally);
        break;
    }
    // At most one proposal per call; look again after the minimum delay.
    if (this.retryTimer === undefined) this.retryTimer = setTimer(ctx.host, Math.max(1, o.minBlockDelayUs), TimerKind.BuildRetry, 0);
  }

  private mintBlock(parent: Block, txs: readonly TxId[]): Block {
    const ctx = this.ctx;
    const model = ctx.cfg.messageModel;
    if (ctx.blockCounter >= 2 ** 32 - 1) throw new RangeError(`node ${ctx.id}: block counter exhausted`);
    const block: Block = {
      id: blockIdOf(ctx.id, ++ctx.blockCounter),
      parent: parent.id,
      height: parent.height + 1,
      proposer: ctx.id,
      txs: [...txs],
      sizeBytes: model.blockSizeBytes(txs.length),
      builtAt: ctx.host.now(),
    };
    ctx.host.chargeCpu(model.buildCostUs(txs.length));
    return block;
  }

  private issueOwnBlock(block: Block): void {
    const ctx = this.ctx;
    ctx.observer.onBlockBuilt?.(block, ctx.id, ctx.host.now());
    ctx.issuer.issueFrom(ctx.id, block, true);
    const fanout = ctx.cfg.options.blockGossipFanout;
    if (fanout > 0) {
      for (const peer of ctx.cfg.validators.uniformPeers(ctx.random, fanout, ctx.id)) ctx.sender.send(peer, { kind: 'put', requestId: 0, block });
    }
  }

  clear(): void {
    for (const t of [this.slotTimer, this.retryTimer]) if (t !== undefined) this.ctx.host.cancelTimer(t);
    this.slotTimer = this.retryTimer = undefined;
    this.proposingSlot = undefined;
  }
}
