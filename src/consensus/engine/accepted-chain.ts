/**
 * A node's accepted chain: its persisted state (it survives a crash; the real
 * node keeps it in a durable store). Blocks by height; every accepted block
 * is served to get and get-ancestors requests (AvalancheGo serves its whole
 * database). The newest `servableDepth` (and genesis) are indexed by id;
 * older ones are found by a scan down the chain, which only a peer that
 * fell far behind or is bootstrapping causes.
 */
import type { Block, BlockId } from '../snowman/block.js';

export class AcceptedChain {
  /** blocks[h] is the accepted block at height h. */
  private readonly blocks: Block[];
  /** Id -> height of the servable accepted blocks (the newest `servableDepth`, and genesis). */
  private readonly servable = new Map<BlockId, number>();

  constructor(
    genesis: Block,
    private readonly servableDepth: number,
  ) {
    this.blocks = [genesis];
    this.servable.set(genesis.id, 0);
  }

  /** Genesis first. */
  all(): readonly Block[] {
    return this.blocks;
  }

  get height(): number {
    return this.blocks.length - 1;
  }

  last(): Block {
    return this.blocks[this.blocks.length - 1]!;
  }

  at(height: number): Block | undefined {
    return this.blocks[height];
  }

  /** The accepted block with this id, if any. */
  servableBlock(id: BlockId): Block | undefined {
    const h = this.servable.get(id);
    if (h !== undefined) return this.blocks[h];
    for (let i = this.blocks.length - 1 - this.servableDepth; i > 0; i--) if (this.blocks[i]!.id === id) return this.blocks[i];
    return undefined;
  }

  /** Appends the next block; throws (an engine bug) unless it is at the next height. */
  append(b: Block, node: number): void {
    if (b.height !== this.blocks.length) {
      throw new Error(`SnowmanNode ${node}: accepted block ${b.id} at height ${b.height}, expected ${this.blocks.length}`);
    }
    this.push(b);
  }

  /** Appends a block read back from a store; a RangeError unless it extends the last accepted block. */
  restore(b: Block, node: number): void {
    const last = this.last();
    if (b.height !== this.blocks.length || b.parent !== last.id) {
      throw new RangeError(`SnowmanNode ${node}: restored block ${b.id} at height ${b.height} does not extend block ${last.id} at height ${last.height}`);
    }
    this.push(b);
  }

  private push(b: Block): void {
    this.blocks.push(b);
    this.servable.set(b.id, b.height);
    const evicted = b.height - this.servableDepth;
    if (evicted > 0) this.servable.delete(this.blocks[evicted]!.id);
  }
}
