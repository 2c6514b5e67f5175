/**
 * The decision a processing block holds over its children (AvalancheGo
 * snowman_block.go: `sb snowball.Consensus`, created with the first child).
 * Two forms:
 *
 * - `tree` (the default, as AvalancheGo): a snowball Tree, the bit-trie over
 *   the children's ids (snowball/tree.ts). It receives the children's vote
 *   bag and can also gather confidence for groups of siblings that share a
 *   bit prefix.
 * - `flat`: one n-ary instance fed the mode of the children's votes (most
 *   votes, smallest id on ties), avsim's original form.
 *
 * With one or two children and AlphaPreference > K/2 both record the same
 * thing: one child, or the one of two that reached AlphaPreference, gets the
 * poll, and the tree's extra unary prefix above a two-way split counts all
 * votes, which only ever finalises no later than the split itself. They
 * differ from three siblings on.
 */
import type { DecisionFactory } from '../snowball/factory.js';
import { modeOfEntries } from '../snowball/flat.js';
import { SnowballTree } from '../snowball/tree.js';
import type { NnaryInstance } from '../snowball/types.js';
import type { BlockId } from './block.js';

/** Per-parent decision form; see the file header. */
export type ParentDecisionKind = 'tree' | 'flat';

export const PARENT_DECISION_KINDS: readonly ParentDecisionKind[] = ['tree', 'flat'];

/** What a decision reads of one child in a poll (topological.ts TreeNode). */
export interface ChildTally {
  readonly id: BlockId;
  /** The child's votes are valid for this poll only when stamp equals the poll number. */
  readonly stamp: number;
  /** Votes naming the child. */
  readonly direct: number;
  /** Votes naming a descendant of the child. */
  readonly childVotes: number;
}

export interface ParentDecision {
  /** A child added after the first (the first is the initial preference). */
  add(child: BlockId): void;
  /** Records this poll's votes for the children (each child's own plus its descendants'). */
  recordChildren(children: readonly ChildTally[], poll: number): void;
  recordUnsuccessfulPoll(): void;
  preference(): BlockId;
  finalized(): boolean;
  confidence(): readonly number[];
}

/** Vote entries shared by every decision of one consensus instance (a poll is applied to one parent at a time). */
interface Scratch {
  readonly ids: number[];
  readonly counts: number[];
}

/** The children's votes in this poll as (id, votes) entries in `scratch`; returns how many (children without votes left out). */
function tally(children: readonly ChildTally[], poll: number, scratch: Scratch): number {
  const { ids, counts } = scratch;
  let n = 0;
  for (const c of children) {
    if (c.stamp !== poll) continue;
    const votes = c.direct + c.childVotes;
    if (votes === 0) continue;
    ids[n] = c.id;
    counts[n++] = votes;
  }
  return n;
}

class FlatDecision implements ParentDecision {
  constructor(
    private readonly sb: NnaryInstance,
    private readonly scratch: Scratch,
  ) {}

  add(): void {}

  /** Flat semantics (snowball/flat.ts): the mode of the children's votes, smallest id on ties. */
  recordChildren(children: readonly ChildTally[], poll: number): void {
    const n = tally(children, poll, this.scratch);
    const { choice, count } = modeOfEntries(this.scratch.ids, this.scratch.counts, n);
    // No votes: an unsuccessful poll (count 0 < AlphaPreference), whatever the choice.
    this.sb.recordPoll(count, count === 0 ? this.sb.preference() : choice);
  }

  recordUnsuccessfulPoll(): void {
    this.sb.recordUnsuccessfulPoll();
  }

  preference(): BlockId {
    return this.sb.preference();
  }

  finalized(): boolean {
    return this.sb.finalized();
  }

  confidence(): readonly number[] {
    return this.sb.confidence();
  }
}

class TreeDecision implements ParentDecision {
  private readonly tree: SnowballTree;

  constructor(
    factory: DecisionFactory,
    alphaPreference: number,
    first: BlockId,
    private readonly scratch: Scratch,
  ) {
    this.tree = new SnowballTree(factory, alphaPreference, first);
  }

  add(child: BlockId): void {
    this.tree.add(child);
  }

  recordChildren(children: readonly ChildTally[], poll: number): void {
    const n = tally(children, poll, this.scratch);
    this.tree.recordPollEntries(this.scratch.ids, this.scratch.counts, n);
  }

  recordUnsuccessfulPoll(): void {
    this.tree.recordUnsuccessfulPoll();
  }

  preference(): BlockId {
    return this.tree.preference();
  }

  finalized(): boolean {
    return this.tree.finalized();
  }

  confidence(): readonly number[] {
    return this.tree.confidence();
  }
}

/** Creates the decision a parent starts when its first child arrives. */
export type ParentDecisionFactory = (firstChild: BlockId) => ParentDecision;

export function parentDecisionFactory(kind: ParentDecisionKind, factory: DecisionFactory, alphaPreference: number): ParentDecisionFactory {
  const scratch: Scratch = { ids: [], counts: [] };
  if (kind === 'flat') return (first) => new FlatDecision(factory.newNnary(first), scratch);
  if (factory.kind === 'slush') {
    throw new RangeError("decision slush has no unary instance, so it cannot run in a tree: use the flat per-parent instance");
  }
  return (first) => new TreeDecision(factory, alphaPreference, first, scratch);
}
