/**
 * One poll over a bag of validators with AvalancheGo's early termination
 * (snow/consensus/snowman/poll/early_term_traversal.go).
 *
 * The bag lists each sampled validator with its multiplicity (how many slots
 * of the K-sample it filled); its one answer counts that many times. A
 * validator answers at most once: a vote or a drop removes it from the bag.
 */
import type { NodeId } from '../host.js';
import type { BlockId } from '../snowman/block.js';
import { voteCounts, type ParentLookup } from './vote-graph.js';

export type TerminationReason =
  /** (1) nothing outstanding */
  | 'exhausted'
  /** (2) alphaPreference unreachable */
  | 'early-fail'
  /** (3) alphaPreference reached but alphaConfidence unreachable, or (4) alphaConfidence reached, for every count */
  | 'early-alpha';

export interface EarlyTermConfig {
  readonly alphaPreference: number;
  readonly alphaConfidence: number;
  /** See vote-graph.ts voteCounts: count shared-prefix groups of siblings (AvalancheGo's trie). */
  readonly prefixVoteCounts: boolean;
  /** Parent of a block that can still be voted on (processing); read at each check. */
  readonly parentOf: ParentLookup;
}

export class Poll {
  /**
   * The distinct sampled validators in sample order and the slots each fills;
   * a validator that voted or was dropped has its count set to 0. Flat
   * arrays, not a Map: a sample is K = 20 slots, a linear scan of at most 20
   * numbers beats hashing, and a poll costs two small arrays.
   */
  private readonly vdrs: NodeId[] = [];
  private readonly counts: number[] = [];
  private remaining = 0;
  private received = 0;
  private droppedSlots = 0;
  /** Votes: the first voted block and its slots inline; a Map (insertion order: first vote) only once a second block is voted. */
  private firstBlock: BlockId = 0;
  private firstVotes = 0;
  private multi: Map<BlockId, number> | undefined;
  private reason: TerminationReason | undefined;

  constructor(
    private readonly cfg: EarlyTermConfig,
    /** One entry per sample slot; repeats are multiplicities. */
    slots: readonly NodeId[],
  ) {
    const vdrs = this.vdrs;
    for (let i = 0; i < slots.length; i++) {
      const v = slots[i]!;
      const j = vdrs.indexOf(v);
      if (j < 0) {
        vdrs.push(v);
        this.counts.push(1);
      } else {
        this.counts[j]!++;
      }
    }
    this.remaining = slots.length;
  }

  /** Slots in the original sample. */
  get size(): number {
    return this.remaining + this.received + this.droppedSlots;
  }

  /** Validators that have neither voted nor been dropped, in sample order. */
  outstanding(): NodeId[] {
    const out: NodeId[] = [];
    for (let i = 0; i < this.vdrs.length; i++) if (this.counts[i]! > 0) out.push(this.vdrs[i]!);
    return out;
  }

  isOutstanding(vdr: NodeId): boolean {
    const j = this.vdrs.indexOf(vdr);
    return j >= 0 && this.counts[j]! > 0;
  }

  /** Takes vdr out of the outstanding ones: its slots, or 0 if it was not polled or already answered. */
  private take(vdr: NodeId): number {
    const j = this.vdrs.indexOf(vdr);
    if (j < 0) return 0;
    const count = this.counts[j]!;
    this.counts[j] = 0;
    this.remaining -= count;
    return count;
  }

  /** Record vdr's answer; ignored if vdr was not polled or already answered. */
  vote(vdr: NodeId, block: BlockId): void {
    const count = this.take(vdr);
    if (count === 0) return;
    this.received += count;
    if (this.firstVotes === 0) {
      this.firstBlock = block;
      this.firstVotes = count;
    } else if (this.multi === undefined && block === this.firstBlock) {
      this.firstVotes += count;
    } else {
      const m = (this.multi ??= new Map([[this.firstBlock, this.firstVotes]]));
      m.set(block, (m.get(block) ?? 0) + count);
    }
  }

  /** vdr will not answer (or its answer names nothing votable). */
  drop(vdr: NodeId): void {
    this.droppedSlots += this.take(vdr);
  }

  /** Distinct blocks voted for. */
  private get votedBlocks(): number {
    return this.multi !== undefined ? this.multi.size : this.firstVotes > 0 ? 1 : 0;
  }

  /** Once true, stays true (AvalancheGo caches `finished`). */
  finished(): boolean {
    if (this.reason !== undefined) return true;
    const { alphaPreference, alphaConfidence } = this.cfg;
    const remaining = this.remaining;
    if (remaining === 0) {
      this.reason = 'exhausted';
      return true;
    }
    if (this.received + remaining < alphaPreference) {
      this.reason = 'early-fail';
      return true;
    }
    const voted = this.votedBlocks;
    // No votes yet: waiting can always improve the result.
    if (voted === 0) return false;
    if (voted === 1) {
      // Fast path (the usual case: every answer named the same block). The
      // vote graph is then one chain from the voted block down to a root, and
      // every vertex's transitive count is the votes received, with no
      // sibling groups: the graph walk would test this one count only.
      if (!settledCount(this.received, remaining, alphaPreference, alphaConfidence)) return false;
      this.reason = 'early-alpha';
      return true;
    }
    const { counts } = voteCounts(this.multi!, this.cfg.parentOf, this.cfg.prefixVoteCounts);
    if (counts.length === 0) return false;
    for (const c of counts) {
      if (!settledCount(c, remaining, alphaPreference, alphaConfidence)) return false;
    }
    this.reason = 'early-alpha';
    return true;
  }

  terminationReason(): TerminationReason | undefined {
    return this.reason;
  }

  /** Votes received so far: block -> slots, in the order blocks were first voted for. */
  result(): ReadonlyMap<BlockId, number> {
    if (this.multi !== undefined) return this.multi;
    return this.firstVotes > 0 ? new Map([[this.firstBlock, this.firstVotes]]) : new Map();
  }

  receivedSlots(): number {
    return this.received;
  }
}

/** Whether an instance that has `c` votes, with `remaining` slots still to answer, can no longer change its outcome. */
function settledCount(c: number, remaining: number, alphaPreference: number, alphaConfidence: number): boolean {
  const max = c + remaining;
  return (
    max < alphaPreference || // (2) for this instance
    (c >= alphaPreference && max < alphaConfidence) || // (3)
    c >= alphaConfidence // (4)
  );
}
