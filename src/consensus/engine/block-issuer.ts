/**
 * Issuing blocks to consensus (AvalancheGo engine.go issueFrom / issue and
 * issuer.go, with the unverified-block tree of its ancestor package): a
 * block waits (pending) until its parent is issued, is then verified and
 * added to consensus; a missing ancestor is fetched; a block whose wait is
 * abandoned is kept as unverified if it hangs off the processing tree, so
 * votes for it can still reach a processing ancestor.
 */
import type { Micros, NodeId } from '../host.js';
import type { Block, BlockId } from '../snowman/block.js';
import type { NodeContext } from './node-context.js';

/** Walk limit for ancestor lookups (processing chains are far shorter). */
export const MAX_WALK = 100_000;

export class BlockIssuer {
  /** Non-accepted blocks this node holds: processing, pending, or unverified (abandoned). */
  readonly known = new Map<BlockId, Block>();
  /** Blocks issued but waiting for their parent. */
  private readonly pending = new Set<BlockId>();
  /** When each processing block entered consensus (health, latency). */
  readonly issuedAt = new Map<BlockId, Micros>();

  constructor(private readonly ctx: NodeContext) {}

  /** Any block this node can serve: a held one, or a servable accepted one. */
  getBlock(id: BlockId): Block | undefined {
    return this.known.get(id) ?? this.ctx.chain.servableBlock(id);
  }

  isDecided(b: Block): boolean {
    const la = this.ctx.consensus.lastAccepted();
    if (b.height <= la.height) return true;
    return b.height === la.height + 1 && b.parent !== la.id;
  }

  /** Whether a vote naming `id` must wait for it (it is on its way: pending, or requested). */
  canDependOn(id: BlockId): boolean {
    return this.pending.has(id) || this.ctx.fetcher.isRequested(id);
  }

  /** Parent used by vote graphs: defined for processing blocks only. */
  votableParent(id: BlockId): BlockId | undefined {
    const c = this.ctx.consensus;
    return c.processing(id) ? c.parentOf(id) : undefined;
  }

  /**
   * Nearest processing block at or above `id`, walking through blocks held but
   * not issued (AvalancheGo getProcessingAncestor over its unverified tree).
   */
  processingAncestor(id: BlockId): BlockId | undefined {
    const consensus = this.ctx.consensus;
    let cur = id;
    for (let i = 0; i < MAX_WALK; i++) {
      if (consensus.processing(cur)) return cur;
      if (this.pending.has(cur)) return undefined;
      const b = this.known.get(cur);
      if (b === undefined || this.isDecided(b)) return undefined;
      cur = b.parent;
    }
    return undefined;
  }

  issueFromById(from: NodeId, id: BlockId): void {
    const b = this.getBlock(id);
    if (b === undefined) this.ctx.fetcher.request(from, id);
    else this.issueFrom(from, b);
  }

  /** Issue `block` and whichever of its ancestors are missing (AvalancheGo issueFrom); `push`: this node built it. */
  issueFrom(from: NodeId, block: Block, push = false): void {
    let b = block;
    for (let i = 0; i < MAX_WALK && this.shouldIssue(b); i++) {
      if (!this.issue(b, push)) return;
      const parent = this.getBlock(b.parent);
      if (parent === undefined) {
        this.ctx.fetcher.request(from, b.parent);
        return;
      }
      b = parent;
      push = false;
    }
    this.ctx.fetcher.forget(b.id);
    if (!this.pending.has(b.id)) this.ctx.jobs.abandon(b.id);
  }

  private shouldIssue(b: Block): boolean {
    return !this.isDecided(b) && !this.pending.has(b.id) && !this.ctx.consensus.processing(b.id);
  }

  private canIssueChildOn(parent: BlockId): boolean {
    const c = this.ctx.consensus;
    return parent === c.lastAccepted().id || c.processing(parent);
  }

  /**
   * Mark pending and schedule delivery once the parent is issued. Never
   * refused: AvalancheGo uses MaxOutstandingItems only in its health check.
   */
  private issue(b: Block, push: boolean): boolean {
    const ctx = this.ctx;
    this.pending.add(b.id);
    this.known.set(b.id, b);
    ctx.fetcher.forget(b.id);
    const deps = this.canIssueChildOn(b.parent) ? [] : [b.parent];
    const incarnation = ctx.incarnation;
    ctx.jobs.schedule(
      {
        run: (abandoned) => {
          if (!ctx.alive || ctx.incarnation !== incarnation) return;
          if (abandoned) {
            this.pending.delete(b.id);
            this.markAsUnverified(b);
            ctx.jobs.abandon(b.id);
          } else {
            this.deliver(b, push);
          }
        },
      },
      deps,
    );
    return true;
  }

  /** The parent is issued: verify `b` (CPU), add it to consensus, and query for it if it is preferred. */
  private deliver(b: Block, push: boolean): void {
    const ctx = this.ctx;
    const consensus = ctx.consensus;
    this.pending.delete(b.id);
    if (!this.canIssueChildOn(b.parent) || consensus.processing(b.id)) {
      ctx.jobs.abandon(b.id);
      return;
    }
    ctx.host.chargeCpu(ctx.cfg.messageModel.blockVerifyCostUs(b));
    consensus.add(b);
    const now = ctx.host.now();
    this.issuedAt.set(b.id, now);
    ctx.observer.onBlockIssued?.(b, ctx.id, now);
    if (consensus.isPreferred(b.id)) ctx.voter.sendQuery(b.id, push ? b : undefined);
    ctx.jobs.fulfill(b.id);
    if (consensus.numProcessing() > 0) ctx.voter.repoll();
  }

  /** Keep an abandoned block for vote bubbling if it hangs off the processing tree (markAsUnverified). */
  private markAsUnverified(b: Block): void {
    const c = this.ctx.consensus;
    if (c.processing(b.id)) return;
    const p = b.parent;
    const parentUnverified = this.known.has(p) && !this.pending.has(p) && !c.processing(p);
    if (!(parentUnverified || c.processing(p))) this.known.delete(b.id);
  }

  /** A block left consensus (accepted or rejected). */
  decided(b: Block): void {
    this.known.delete(b.id);
    this.issuedAt.delete(b.id);
  }

  /** Forget held blocks that can no longer be issued (decided by height or by a rejected parent). */
  pruneDecided(): void {
    for (const [id, b] of this.known) {
      if (this.pending.has(id) || this.ctx.consensus.processing(id)) continue;
      if (this.isDecided(b)) this.known.delete(id);
    }
  }

  clear(): void {
    this.known.clear();
    this.pending.clear();
    this.issuedAt.clear();
  }
}
