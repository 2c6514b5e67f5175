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
  /** Outstanding validators -> slots they fill. */
  private readonly polled = new Map<NodeId, number>();
  private remaining = 0;
  private received = 0;
  private readonly votes = new Map<BlockId, number>();
  private reason: TerminationReason | undefined;

  constructor(
    private readonly cfg: EarlyTermConfig,
    /** One entry per sample slot; repeats are multiplicities. */
    slots: readonly NodeId[],
  ) {
    for (const v of slots) this.polled.set(v, (this.polled.get(v) ?? 0) + 1);
    this.remaining = slots.length;
  }

  /** Slots in the original sample. */
  get size(): number {
    return this.remaining + this.received + this.droppedSlots;
  }
  private droppedSlots = 0;

  /** Validators that have neither voted nor been dropped, in sample order. */
  outstanding(): NodeId[] {
    return [...this.polled.keys()];
  }

  isOutstanding(vdr: NodeId): boolean {
    return this.polled.has(vdr);
  }

  /** Record vdr's answer; ignored if vdr was not polled or already answered. */
  vote(vdr: NodeId, block: BlockId): void {
    const count = this.polled.get(vdr);
    if (count === undefined) return;
    this.polled.delete(vdr);
    this.remaining -= count;
    this.received += count;
    this.votes.set(block, (this.votes.get(block) ?? 0) + count);
  }

  /** vdr will not answer (or its answer names nothing votable). */
  drop(vdr: NodeId): void {
    const count = this.polled.get(vdr);
    if (count === undefined) return;
    this.polled.delete(vdr);
    this.remaining -= count;
    this.droppedSlots += count;
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
    // No votes yet: waiting can always improve the result.
    if (this.votes.size === 0) return false;
    if (this.votes.size === 1) {
      // Fast path (the usual case: every answer named the same block). The
      // vote graph is then one chain from the voted block down to a root, and
      // every vertex's transitive count is the votes received, with no
      // sibling groups: the graph walk would test this one count only.
      if (!settledCount(this.received, remaining, alphaPreference, alphaConfidence)) return false;
      this.reason = 'early-alpha';
      return true;
    }
    const { counts } = voteCounts(this.votes, this.cfg.parentOf, this.cfg.prefixVoteCounts);
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

  /** Votes received so far: block -> slots. */
  result(): ReadonlyMap<BlockId, number> {
    return this.votes;
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
