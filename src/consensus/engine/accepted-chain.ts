/**
 * A node's accepted chain: its persisted state (it survives a crash; the real
 * node keeps it in a durable store). Blocks by height; every accepted block
 * is served to get and get-ancestors requests (AvalancheGo serves its whole
 * database). The newest `servableDepth` (and genesis) are indexed by id.
 *
 * Without a store (the simulator, whose nodes have no database) every block
 * stays in memory and older ones are found by a scan down the chain, which
 * only a peer that fell far behind or is bootstrapping causes. With one (the
 * real node's RocksDB, given through SnowmanHost.acceptedStore) only the
 * newest `servableDepth` to 2 x `servableDepth` blocks stay in memory, as
 * AvalancheGo keeps its accepted blocks in its database behind a cache:
 * older ones are read from the store, by height or through its id index.
 * Both answer every lookup the same, so a store changes no protocol outcome.
 */
import type { Host } from '../host.js';
import type { Block, BlockId } from '../snowman/block.js';
import type { Message } from './messages.js';

/**
 * The durable store of a node's accepted blocks, read synchronously (the
 * engine is sans-I/O and answers a request in one step). It must hold every
 * block the node accepted (at least those the chain no longer keeps in
 * memory), written or queued for writing, from the moment onAccept is observed.
 */
export interface AcceptedStore {
  /** The accepted block at this height (1 and up), if stored. */
  blockAt(height: number): Block | undefined;
  /** The height of the accepted block with this id, if stored. */
  heightOf(id: BlockId): number | undefined;
}

/** The host a Snowman node runs on: a Host, and optionally the store behind its accepted chain. */
export type SnowmanHost = Host<Message> & { readonly acceptedStore?: AcceptedStore | undefined };

export class AcceptedChain {
  /** blocks[0] is genesis; blocks[i], i >= 1, is the accepted block at height base + i - 1 (base is 1 without a store). */
  private blocks: Block[];
  private base = 1;
  /** Id -> height of the servable accepted blocks (the newest `servableDepth`, and genesis). */
  private readonly servable = new Map<BlockId, number>();

  constructor(
    genesis: Block,
    private readonly servableDepth: number,
    private readonly store?: AcceptedStore,
  ) {
    this.blocks = [genesis];
    this.servable.set(genesis.id, 0);
  }

  /** Genesis first. Only without a store (with one, the older blocks are in the store, not here). */
  all(): readonly Block[] {
    if (this.store !== undefined) throw new Error('AcceptedChain.all: the chain is backed by a store; read older blocks from the store');
    return this.blocks;
  }

  get height(): number {
    return this.base + this.blocks.length - 2;
  }

  /** Accepted blocks held in memory (genesis not counted). */
  get inMemory(): number {
    return this.blocks.length - 1;
  }

  last(): Block {
    return this.blocks[this.blocks.length - 1]!;
  }

  at(height: number): Block | undefined {
    if (height === 0) return this.blocks[0];
    if (height >= this.base) return this.blocks[height - this.base + 1];
    return height > 0 ? this.store?.blockAt(height) : undefined;
  }

  /** The accepted block with this id, if any. */
  servableBlock(id: BlockId): Block | undefined {
    const h = this.servable.get(id);
    if (h !== undefined) return this.at(h);
    if (this.store !== undefined) {
      const sh = this.store.heightOf(id);
      const b = sh === undefined || sh > this.height ? undefined : this.at(sh);
      return b?.id === id ? b : undefined;
    }
    for (let i = this.blocks.length - 1 - this.servableDepth; i > 0; i--) if (this.blocks[i]!.id === id) return this.blocks[i];
    return undefined;
  }

  /** Appends the next block; throws (an engine bug) unless it is at the next height. */
  append(b: Block, node: number): void {
    if (b.height !== this.height + 1) {
      throw new Error(`SnowmanNode ${node}: accepted block ${b.id} at height ${b.height}, expected ${this.height + 1}`);
    }
    this.push(b);
  }

  /**
   * Appends a block read back from a store; a RangeError unless it extends the
   * last accepted block. With a store the first block restored may be above
   * height 1 (the tail of a long chain): its parent must be the stored block
   * below it.
   */
  restore(b: Block, node: number): void {
    if (this.store !== undefined && this.blocks.length === 1 && b.height > 1) {
      const parentHeight = this.store.heightOf(b.parent);
      if (parentHeight !== b.height - 1) {
        throw new RangeError(`SnowmanNode ${node}: restored block ${b.id} at height ${b.height}: its parent ${b.parent} is not the stored block at height ${b.height - 1}`);
      }
      this.base = b.height;
      this.push(b);
      return;
    }
    const last = this.last();
    if (b.height !== this.height + 1 || b.parent !== last.id) {
      throw new RangeError(`SnowmanNode ${node}: restored block ${b.id} at height ${b.height} does not extend block ${last.id} at height ${last.height}`);
    }
    this.push(b);
  }

  private push(b: Block): void {
    this.blocks.push(b);
    this.servable.set(b.id, b.height);
    const evicted = b.height - this.servableDepth;
    if (evicted >= this.base) this.servable.delete(this.blocks[evicted - this.base + 1]!.id);
    // With a store: drop the older half once twice the indexed depth is held (the store has them).
    if (this.store !== undefined && this.blocks.length - 1 > 2 * this.servableDepth) {
      const drop = this.blocks.length - 1 - this.servableDepth;
      const kept = this.blocks.slice(drop + 1);
      kept.unshift(this.blocks[0]!);
      this.blocks = kept;
      this.base += drop;
    }
  }
}
