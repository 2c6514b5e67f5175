/**
 * Snowman bootstrapping (AvalancheGo snow/engine/snowman/bootstrap/
 * bootstrapper.go, storage.go, interval/): the protocol-neutral rounds of
 * rounds.ts (startup gate, frontier polls, GetAncestors bookkeeping,
 * repeat-while-shrinking) over a chain store:
 *
 * - an Ancestors answer is the requested block and its ancestors, newest
 *   first; blocks are kept by height above the last accepted block (the
 *   interval tree), following parent links only; the parent of the lowest
 *   one, if above the last accepted height and not held, is fetched next;
 * - once nothing is missing, the held blocks are accepted in height order.
 *
 * While bootstrapping a node answers no queries and ignores chits and puts
 * (the bootstrapper's no-op handlers); it serves Get, GetAncestors and the
 * frontier requests as always. That is the caller's part.
 */
import type { NodeId } from '../../host.js';
import type { Block, BlockId } from '../../snowman/block.js';
import type { RequestId } from '../messages.js';
import { BootstrapRounds, type BootstrapPhase, type BootstrapStats, type FetchStore, type RoundsPort } from './rounds.js';

export { MAX_OUTSTANDING_BROADCAST_REQUESTS, type BootstrapPhase, type BootstrapStats } from './rounds.js';

export interface BootstrapPort extends RoundsPort {
  lastAccepted(): Block;
  /** Accept a fetched block (its parent is the last accepted block). */
  accept(block: Block): void;
}

/** Fetched blocks by height above the last accepted block (storage.go and the interval tree). */
class ChainStore implements FetchStore<Block> {
  private readonly held = new Map<number, Block>();

  constructor(private readonly port: BootstrapPort) {}

  has(id: BlockId): boolean {
    if (id === this.port.lastAccepted().id) return true;
    for (const b of this.held.values()) if (b.id === id) return true;
    return false;
  }

  /** storage.go process: keeps blk and the ancestors that chain from it; fetches the next missing parent. */
  process(first: Block, rest: readonly Block[], resolved: (id: BlockId) => void, need: (id: BlockId) => void): number {
    const byId = new Map<BlockId, Block>();
    for (const b of rest) byId.set(b.id, b);
    const lastHeight = this.port.lastAccepted().height;
    let kept = 0;
    let blk = first;
    for (;;) {
      resolved(blk.id);
      if (blk.height <= lastHeight || this.held.has(blk.height)) return kept;
      this.held.set(blk.height, blk);
      kept++;
      const below = blk.height - 1;
      if (below === lastHeight || this.held.has(below)) return kept;
      const parent = byId.get(blk.parent);
      if (parent === undefined || parent.height !== below) {
        need(blk.parent);
        return kept;
      }
      blk = parent;
    }
  }

  /** Accepts the held blocks in height order from the last accepted one. */
  execute(): number {
    let executed = 0;
    let la = this.port.lastAccepted();
    const heights = [...this.held.keys()].toSorted((a, b) => a - b);
    for (const h of heights) {
      const b = this.held.get(h)!;
      this.held.delete(h);
      if (h <= la.height) continue;
      // Only a block on the accepted block's chain can be accepted; anything else was not fetched by parent links.
      if (h !== la.height + 1 || b.parent !== la.id) break;
      this.port.accept(b);
      executed++;
      la = b;
    }
    this.held.clear();
    return executed;
  }
}

/** The Snowman bootstrapper: the shared rounds over a chain store. */
export class Bootstrapper {
  private readonly rounds: BootstrapRounds<Block>;

  constructor(port: BootstrapPort) {
    this.rounds = new BootstrapRounds(port, new ChainStore(port));
  }

  status(): BootstrapPhase {
    return this.rounds.status();
  }

  done(): boolean {
    return this.rounds.done();
  }

  statistics(): BootstrapStats {
    return this.rounds.statistics();
  }

  start(): void {
    this.rounds.start();
  }

  onConnected(): void {
    this.rounds.onConnected();
  }

  /** AcceptedFrontier in Snowman names one block, the peer's last accepted. */
  onAcceptedFrontier(from: NodeId, requestId: RequestId, acceptedId: BlockId | undefined): void {
    this.rounds.onAcceptedFrontier(from, requestId, acceptedId === undefined ? [] : [acceptedId]);
  }

  onGetAcceptedFrontierFailed(from: NodeId, requestId: RequestId): void {
    this.rounds.onGetAcceptedFrontierFailed(from, requestId);
  }

  onAccepted(from: NodeId, requestId: RequestId, ids: readonly BlockId[]): void {
    this.rounds.onAccepted(from, requestId, ids);
  }

  onGetAcceptedFailed(from: NodeId, requestId: RequestId): void {
    this.rounds.onGetAcceptedFailed(from, requestId);
  }

  expectsAncestors(from: NodeId, requestId: RequestId): boolean {
    return this.rounds.expectsAncestors(from, requestId);
  }

  onAncestors(from: NodeId, requestId: RequestId, blocks: readonly Block[]): void {
    this.rounds.onAncestors(from, requestId, blocks);
  }

  onGetAncestorsFailed(from: NodeId, requestId: RequestId): void {
    this.rounds.onGetAncestorsFailed(from, requestId);
  }
}
