/**
 * The set of decided ids, in memory that does not grow with the number of
 * decisions (the pruning AvalancheGo's topological.go leaves as a TODO).
 *
 * Ids are (owner, counter) pairs (vertex.ts: ownerOfId / counterOfId): one
 * owner's ids are created with increasing counters and are decided roughly in
 * that order. Per owner the set keeps
 *   - a watermark w: every counter below w is decided, except
 *   - `missing`: the few counters below w that are not (ids this node never
 *     saw decided: never received, still processing, or never existed), and
 *   - `above`: the decided counters >= w (decided out of order).
 * Adding counter w advances the watermark over every decided counter after
 * it. So memory is O(owners + ids decided out of order + gaps), not
 * O(decisions). When an owner's `above` grows past `maxOutOfOrder` (a gap
 * that will not fill, e.g. an id that never reached this node), the
 * watermark jumps past the oldest half of them and the counters it skips are
 * recorded in `missing`, so membership stays exact.
 *
 * Owners number their ids from `firstCounter` (the engine's counters start
 * at 1, `++counter`), so the watermark starts there: starting it at 0 left
 * every owner waiting for a counter 0 that never comes, holding up to
 * maxOutOfOrder ids each. The rare ids below `firstCounter` (the genesis
 * vertex, id 0) are kept exactly in a set of their own.
 */
import { counterOfId, ownerOfId } from './vertex.js';

interface OwnerRecord {
  w: number;
  above: Set<number> | undefined;
  missing: Set<number> | undefined;
}

export const DEFAULT_MAX_OUT_OF_ORDER = 64;

export class DecidedIds {
  private readonly owners = new Map<number, OwnerRecord>();
  /** Decided ids whose counter is below firstCounter. */
  private readonly early = new Set<number>();
  private count = 0;

  constructor(
    private readonly maxOutOfOrder = DEFAULT_MAX_OUT_OF_ORDER,
    private readonly firstCounter = 0,
  ) {
    if (!(Number.isSafeInteger(maxOutOfOrder) && maxOutOfOrder > 0)) {
      throw new RangeError(`maxOutOfOrder must be a positive integer (got ${maxOutOfOrder})`);
    }
    if (!(Number.isSafeInteger(firstCounter) && firstCounter >= 0)) {
      throw new RangeError(`firstCounter must be an integer >= 0 (got ${firstCounter})`);
    }
  }

  /** Number of ids added (and not already present). */
  size(): number {
    return this.count;
  }

  has(id: number): boolean {
    const c = counterOfId(id);
    if (c < this.firstCounter) return this.early.has(id);
    const r = this.owners.get(ownerOfId(id));
    if (r === undefined) return false;
    return c < r.w ? r.missing?.has(c) !== true : r.above?.has(c) === true;
  }

  add(id: number): void {
    const owner = ownerOfId(id);
    const c = counterOfId(id);
    if (c < this.firstCounter) {
      if (!this.early.has(id)) {
        this.early.add(id);
        this.count++;
      }
      return;
    }
    let r = this.owners.get(owner);
    if (r === undefined) {
      r = { w: this.firstCounter, above: undefined, missing: undefined };
      this.owners.set(owner, r);
    }
    if (c < r.w) {
      if (r.missing?.delete(c) === true) {
        this.count++;
        if (r.missing.size === 0) r.missing = undefined;
      }
      return;
    }
    if (c === r.w) {
      this.count++;
      r.w++;
      this.drain(r);
      return;
    }
    r.above ??= new Set();
    if (r.above.has(c)) return;
    r.above.add(c);
    this.count++;
    if (r.above.size > this.maxOutOfOrder) this.jump(r);
  }

  /** Counters held per owner beyond the watermark (for tests and memory figures). */
  heldEntries(): number {
    let n = this.early.size;
    for (const r of this.owners.values()) n += 1 + (r.above?.size ?? 0) + (r.missing?.size ?? 0);
    return n;
  }

  private drain(r: OwnerRecord): void {
    const above = r.above;
    if (above === undefined) return;
    while (above.delete(r.w)) r.w++;
    if (above.size === 0) r.above = undefined;
  }

  /**
   * Moves the watermark past the oldest half of the out-of-order counters,
   * remembering the counters it skips as missing (one sort per jump, so the
   * cost is amortised over maxOutOfOrder / 2 additions).
   */
  private jump(r: OwnerRecord): void {
    const above = r.above!;
    const sorted = [...above].toSorted((a, b) => a - b);
    const cut = sorted.length - Math.floor(this.maxOutOfOrder / 2);
    const missing = (r.missing ??= new Set());
    for (let i = 0; i < cut; i++) {
      const c = sorted[i]!;
      for (let g = r.w; g < c; g++) missing.add(g);
      r.w = c + 1;
      above.delete(c);
    }
    this.drain(r);
  }
}
