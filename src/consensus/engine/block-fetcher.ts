/**
 * Fetching missing blocks (AvalancheGo engine.go sendRequest / Put /
 * GetFailed): a get goes to the peer that mentioned the block; each block is
 * requested at most once at a time, so request ids and block ids pair one to
 * one (a BiMap, as AvalancheGo's blkReqs), and the request tracker holds the
 * peer asked and the timeout (the router's entry). A get to a peer that is
 * not connected or benched fails at once (sender.go: GetFailed delivered
 * once, the block free to be asked of another peer), but its router entry
 * stays until the peer answers (a benchlist response; the block goes no
 * further) or the timeout fires (a benchlist failure), as chain_router.go
 * keeps the entries of early internal failures; so does a get whose block
 * arrives some other way. Gets do not feed the adaptive timeout
 * (chain_router.go RegisterRequest leaves the Put op unmeasured).
 */
import type { NodeId } from '../host.js';
import type { Block, BlockId } from '../snowman/block.js';
import { BiMap } from './bimap.js';
import type { RequestId } from './messages.js';
import type { NodeContext } from './node-context.js';
import { RequestTracker } from './request-tracker.js';
import { TimerKind } from './timer-tags.js';

export class BlockFetcher {
  private readonly blocks = new BiMap<RequestId, BlockId>();
  private readonly requests: RequestTracker<unknown>;
  /** Open requests no longer the engine's: GetFailed delivered already (failed at once), or the block came another way. */
  private readonly handled = new Set<RequestId>();

  constructor(private readonly ctx: NodeContext) {
    this.requests = new RequestTracker(ctx.host, TimerKind.GetTimeout, () => ctx.timeouts, false);
  }

  /** Gets in flight. */
  get size(): number {
    return this.blocks.size;
  }

  isRequested(id: BlockId): boolean {
    return this.blocks.hasValue(id);
  }

  /**
   * Ask `from` for block `id`, unless it is already asked for or `from` is
   * this node. No limit on what is outstanding: AvalancheGo checks
   * MaxOutstandingItems only in its health check. An unreachable or benched
   * peer fails at once (GetFailed).
   */
  request(from: NodeId, id: BlockId): void {
    const ctx = this.ctx;
    if (this.blocks.hasValue(id)) return;
    if (from === ctx.id) return; // nobody to ask
    const requestId = ++ctx.requestCounter;
    const deadlineUs = this.requests.register(requestId, from);
    this.blocks.set(requestId, id);
    if (!ctx.sender.request(from, { kind: 'get', requestId, blockId: id, deadlineUs }, () => this.failedEarly(from, requestId))) {
      ctx.observer.onDrop?.('failed-fast', ctx.id, ctx.host.now());
    }
  }

  /**
   * The block is here: the get for it, if any, is no longer the engine's
   * (engine.go deletes its blkReqs entry). A get still open (the block came
   * some other way) keeps its router entry until the peer answers (a
   * benchlist response, going no further) or the timeout fires (a benchlist
   * failure), as chain_router.go clears an entry only then.
   */
  forget(id: BlockId): void {
    const requestId = this.blocks.deleteValue(id);
    if (requestId !== undefined && this.requests.has(requestId)) this.handled.add(requestId);
  }

  /**
   * A put. Unsolicited gossip (request id 0) is taken; otherwise only the
   * answer to an open get of this node to that peer (chain_router.go drops
   * late and unrequested responses: 'unrequested'); an answer with another
   * block fails the get. True when the block should be issued.
   */
  acceptPut(from: NodeId, requestId: RequestId, block: Block): boolean {
    if (requestId === 0) return true;
    const ctx = this.ctx;
    const asked = this.blocks.valueOf(requestId);
    if (this.requests.peerOf(requestId) !== from || (asked === undefined && !this.handled.has(requestId))) {
      ctx.observer.onDrop?.('unrequested', ctx.id, ctx.host.now());
      return false;
    }
    ctx.benchlist.registerResponse(from, ctx.host.now());
    if (this.handled.delete(requestId)) {
      // Its failure was delivered (failed at once) or its block came another way: the answer settles the entry and goes no further.
      this.requests.settle(requestId, true);
      return false;
    }
    if (asked !== block.id) {
      this.failed(from, requestId);
      return false;
    }
    // The router clears the entry as the answer arrives (gets are not measured).
    this.requests.settle(requestId, true);
    return true;
  }

  /** The get timed out. */
  onTimeout(requestId: RequestId): void {
    const peer = this.requests.peerOf(requestId);
    if (peer === undefined) return;
    const now = this.ctx.host.now();
    this.ctx.observer.onDrop?.('get-timeout', this.ctx.id, now);
    this.ctx.benchlist.registerFailure(peer, now);
    this.requests.expire(requestId);
    if (!this.handled.delete(requestId)) this.giveUp(requestId);
  }

  /** The get failed at once (peer unreachable or benched): GetFailed now, the router entry kept until the answer or the timeout. */
  private failedEarly(from: NodeId, requestId: RequestId): void {
    if (this.requests.peerOf(requestId) !== from || this.handled.has(requestId)) return;
    this.handled.add(requestId);
    this.giveUp(requestId);
  }

  /** AvalancheGo GetFailed: the peer could not serve the block; jobs waiting for it are abandoned. */
  private failed(from: NodeId, requestId: RequestId): void {
    if (this.requests.peerOf(requestId) !== from) return;
    this.requests.settle(requestId);
    this.giveUp(requestId);
  }

  private giveUp(requestId: RequestId): void {
    const id = this.blocks.deleteKey(requestId);
    if (id !== undefined) this.ctx.jobs.abandon(id);
  }

  clear(): void {
    this.requests.clear();
    this.handled.clear();
    this.blocks.clear();
  }
}
