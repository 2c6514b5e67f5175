/**
 * What a Byzantine node remembers of the blocks it has been asked about, by
 * height, so that it can name a *conflicting* block (a sibling at the same
 * height) in its votes. The NodeView looks blocks up by id only; this memory
 * is fed with every id the node sees in queries and in its own honest answer.
 *
 * An id seen before the node holds the block (a push-query is answered before
 * the block is issued; a pull-query may name a block not fetched yet) waits in
 * a small unresolved list and is placed once the block is held. Everything is
 * bounded: heights at or below the last accepted one are dropped, at most
 * MAX_PER_HEIGHT ids per height, MAX_HEIGHTS heights, MAX_UNRESOLVED waiting ids.
 */
import type { NodeView } from '../consensus/engine/behaviour.js';
import type { BlockId } from '../consensus/snowman/block.js';

export const MAX_PER_HEIGHT = 16;
export const MAX_HEIGHTS = 4_096;
export const MAX_UNRESOLVED = 256;
/** Ancestors walked from a learned block (processing chains are short). */
const MAX_WALK = 64;

export class BlockMemory {
  private readonly byHeight = new Map<number, BlockId[]>();
  private unresolved: BlockId[] = [];

  /** Remember `ids` (and the held ancestors of each, down to the last accepted height). */
  learn(view: NodeView, ids: readonly BlockId[]): void {
    const floor = view.lastAccepted().height;
    const waiting = this.unresolved;
    this.unresolved = [];
    for (const id of [...waiting, ...ids]) this.place(view, id, floor);
    for (const h of this.byHeight.keys()) if (h <= floor) this.byHeight.delete(h); // deleting while iterating a Map is well-defined
  }

  private place(view: NodeView, id: BlockId, floor: number): void {
    let b = view.block(id);
    if (b === undefined) {
      if (!this.unresolved.includes(id) && this.unresolved.length < MAX_UNRESOLVED) this.unresolved.push(id);
      return;
    }
    for (let i = 0; i < MAX_WALK && b !== undefined && b.height > floor; i++) {
      let ids = this.byHeight.get(b.height);
      if (ids === undefined) {
        if (this.byHeight.size >= MAX_HEIGHTS) return;
        ids = [];
        this.byHeight.set(b.height, ids);
      }
      if (ids.includes(b.id)) return; // its ancestors are already placed
      if (ids.length < MAX_PER_HEIGHT) ids.push(b.id);
      b = view.block(b.parent);
    }
  }

  /** Held, undecided-height blocks remembered at `height`, ascending id (deterministic). */
  blocksAt(view: NodeView, height: number): BlockId[] {
    if (height <= view.lastAccepted().height) return [];
    const ids = this.byHeight.get(height) ?? [];
    return ids.filter((id) => view.block(id) !== undefined).toSorted((a, b) => a - b);
  }

  /** The ancestor of `id` at `height` (itself if it is there), when the chain is held. */
  static ancestorAt(view: NodeView, id: BlockId, height: number): BlockId | undefined {
    let b = view.block(id);
    for (let i = 0; i < MAX_WALK && b !== undefined; i++) {
      if (b.height === height) return b.id;
      if (b.height < height) return undefined;
      b = view.block(b.parent);
    }
    return undefined;
  }

  /** Height of `id` if held. */
  static heightOf(view: NodeView, id: BlockId): number | undefined {
    return view.block(id)?.height;
  }
}
