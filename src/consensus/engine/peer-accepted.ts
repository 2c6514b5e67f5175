/**
 * The last accepted block each peer reported in its chits (AvalancheGo
 * tracker.Accepted), one entry per validator. At 10,000 nodes every node
 * ends up with an entry for nearly every peer (10^8 entries in one
 * simulation), so entries are two Int32Array cells per validator, allocated
 * once, instead of a Map of records (~70 bytes an entry, growing with the
 * run until every peer has answered). A value that does not fit an int32
 * (a hostile peer's id or height) goes to a small Map instead, so every
 * value is kept exactly.
 */
import type { NodeId } from '../host.js';
import type { BlockId } from '../snowman/block.js';

export interface AcceptedReport {
  readonly id: BlockId;
  readonly height: number;
}

/** Marks "nothing reported" in `ids` (block ids are non-negative). */
const NONE = -1;

const fitsCell = (v: number): boolean => (v | 0) === v && v !== NONE;

export class PeerAccepted {
  private readonly ids: Int32Array;
  private readonly heights: Int32Array;
  /** Reports that do not fit the cells (or come from an id outside the validator range). */
  private readonly wide = new Map<NodeId, AcceptedReport>();

  constructor(validators: number) {
    this.ids = new Int32Array(validators).fill(NONE);
    this.heights = new Int32Array(validators);
  }

  get(peer: NodeId): AcceptedReport | undefined {
    if (peer >= 0 && peer < this.ids.length) {
      const id = this.ids[peer]!;
      if (id !== NONE) return { id, height: this.heights[peer]! };
    }
    return this.wide.get(peer);
  }

  set(peer: NodeId, id: BlockId, height: number): void {
    if (peer >= 0 && peer < this.ids.length && (peer | 0) === peer && fitsCell(id) && fitsCell(height)) {
      this.ids[peer] = id;
      this.heights[peer] = height;
      if (this.wide.size > 0) this.wide.delete(peer);
      return;
    }
    if (peer >= 0 && peer < this.ids.length && (peer | 0) === peer) this.ids[peer] = NONE;
    this.wide.set(peer, { id, height });
  }

  clear(): void {
    this.ids.fill(NONE);
    this.wide.clear();
  }
}
