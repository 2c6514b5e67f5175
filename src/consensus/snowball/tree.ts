/**
 * AvalancheGo's snowball Tree (snow/consensus/snowball/tree.go): a decision
 * over any number of choices as a modified patricia trie of unary and binary
 * instances over the choices' bits. Snowman decides among a block's children
 * with one Tree per parent (snowman_block.go `AddChild`).
 *
 * - A unary node stands for a run of bits [decidedPrefix, commonPrefix) on
 *   which every choice below it agrees; its instance counts every vote that
 *   reaches it (so a group of siblings sharing a prefix gathers confidence as
 *   a group).
 * - A binary node decides the one bit at which its two subtrees differ; its
 *   votes are split by that bit, and only the side with AlphaPreference votes
 *   (bit 1 is checked first, as there) goes on down.
 * - When a node finalises it is replaced by the child on its decided side, so
 *   the tree's root is always the first undecided instance, and choices that
 *   differ from the preference inside the decided prefix are rejected: later
 *   votes for them are filtered out and adding them is a no-op.
 * - Resets are lazy: a subtree that did not get AlphaPreference votes is
 *   marked and records its unsuccessful poll the next time votes reach it.
 *
 * Bits are those of integer ids, least significant first, over 53 bits
 * (id-bits.ts). With one choice the tree is one unary instance; with two, and
 * AlphaPreference > K/2, it decides exactly as one flat n-ary instance fed the
 * mode of the votes (see topological.ts). With three or more it differs: a
 * vote for one choice also counts for the unary prefix its group shares.
 *
 * Votes are passed as parallel arrays (ids, counts) over a range; the tree
 * reorders entries inside the range (partitioning them by bit) instead of
 * allocating split bags, so a poll allocates nothing.
 */
import type { DecisionFactory } from './factory.js';
import { assertChoiceId, bitOf, equalSubset, firstDifference, ID_BITS } from './id-bits.js';
import type { BinaryInstance, Bit, UnaryInstance } from './types.js';

/** A poll's votes in entries [lo, hi) of two parallel arrays; the tree may reorder entries in the range. */
interface Votes {
  readonly ids: number[];
  readonly counts: number[];
}

interface TreeContext {
  readonly factory: DecisionFactory;
  readonly alphaPreference: number;
}

interface TreeNode {
  preference(): number;
  /** Bits [0, decidedPrefix) are decided for every choice still in this subtree. */
  decidedPrefix(): number;
  add(choice: number): TreeNode;
  /** Applies votes[lo, hi); returns the node that replaces this one and whether the poll was successful here. */
  recordPoll(v: Votes, lo: number, hi: number, reset: boolean): readonly [TreeNode, boolean];
  finalized(): boolean;
  confidence(): readonly number[];
  /** Line for String() and the children to print below it (AvalancheGo Printable). */
  printable(): readonly [string, readonly TreeNode[]];
}

function sumCounts(v: Votes, lo: number, hi: number): number {
  let n = 0;
  for (let i = lo; i < hi; i++) n += v.counts[i]!;
  return n;
}

function swap(v: Votes, i: number, j: number): void {
  const id = v.ids[i]!;
  v.ids[i] = v.ids[j]!;
  v.ids[j] = id;
  const c = v.counts[i]!;
  v.counts[i] = v.counts[j]!;
  v.counts[j] = c;
}

/** Reorders [lo, hi) so that entries with `bit` = 0 come first; returns the first index with bit 1. */
function partitionByBit(v: Votes, lo: number, hi: number, bit: number): number {
  let mid = lo;
  for (let i = lo; i < hi; i++) {
    if (bitOf(v.ids[i]!, bit) === 0) {
      if (i !== mid) swap(v, i, mid);
      mid++;
    }
  }
  return mid;
}

class UnaryNode implements TreeNode {
  /** Set when this node's poll failed: the child records an unsuccessful poll before its next vote. */
  private shouldReset = false;
  child: TreeNode | undefined;

  constructor(
    private readonly ctx: TreeContext,
    private pref: number,
    /** First bit of the run this node votes on. */
    private decided: number,
    /** End (exclusive) of the run; the child, if any, starts here. */
    private common: number,
    private readonly snow: UnaryInstance,
    child?: TreeNode,
  ) {
    this.child = child;
  }

  preference(): number {
    return this.pref;
  }

  decidedPrefix(): number {
    return this.decided;
  }

  finalized(): boolean {
    return this.snow.finalized();
  }

  confidence(): readonly number[] {
    return this.snow.confidence();
  }

  /** The five cases of tree.go `unaryNode.Add` (its comment draws each of them). */
  add(newChoice: number): TreeNode {
    if (this.finalized()) return this; // a finalised tree, or a leaf
    const index = firstDifference(this.decided, this.common, this.pref, newChoice);
    if (index < 0) {
      // No difference in this run: the new choice belongs below the child (or is already here).
      if (this.child !== undefined) this.child = this.child.add(newChoice);
      return this;
    }
    const bit = bitOf(this.pref, index);
    const b = new BinaryNode(this.ctx, index, this.snow.extend(bit), this.shouldReset);
    b.preferences[bit] = this.pref;
    b.preferences[1 - bit] = newChoice;
    // The new child assumes this branch has decided in its favour, and has no conflicts below it.
    const newChild = new UnaryNode(this.ctx, newChoice, index + 1, ID_BITS, this.ctx.factory.newUnary());

    if (this.decided === this.common - 1) {
      // (2) This node voted on one bit only: it becomes the binary node.
      b.children[bit] = this.child;
      if (this.child !== undefined) b.children[1 - bit] = newChild;
      return b;
    }
    if (index === this.decided) {
      // (3) Split on the first bit: this node moves below the binary node.
      this.decided++;
      b.children[bit] = this;
      b.children[1 - bit] = newChild;
      return b;
    }
    if (index === this.common - 1) {
      // (4) Split on the last bit: the binary node goes between this node and its child.
      this.common--;
      b.children[bit] = this.child;
      if (this.child !== undefined) b.children[1 - bit] = newChild;
      this.child = b;
      return this;
    }
    // (5) Split on an interior bit: a copy of this node keeps the bits above, this node the bits below.
    const originalDecided = this.decided;
    this.decided = index + 1;
    b.children[bit] = this;
    b.children[1 - bit] = newChild;
    return new UnaryNode(this.ctx, this.pref, originalDecided, index, this.snow.clone(), b);
  }

  recordPoll(v: Votes, lo: number, hi: number, reset: boolean): readonly [TreeNode, boolean] {
    // Every vote here agrees with the preference on [decided, common) (they were added under it).
    if (reset) {
      // My parent did not get enough votes previously, so neither did I.
      this.snow.recordUnsuccessfulPoll();
      this.shouldReset = true; // and my child must reset too
    }
    const numVotes = sumCounts(v, lo, hi);
    if (numVotes < this.ctx.alphaPreference) {
      this.snow.recordUnsuccessfulPoll();
      this.shouldReset = true;
      return [this, false];
    }
    this.snow.recordPoll(numVotes);
    if (this.child !== undefined) {
      const [newChild] = this.child.recordPoll(v, lo, hi, this.shouldReset);
      // Decided here: the child takes this node's place.
      if (this.finalized()) return [newChild, true];
      this.pref = this.child.preference();
    }
    this.shouldReset = false; // passed down
    return [this, true];
  }

  printable(): readonly [string, readonly TreeNode[]] {
    const s = `${this.snow.toString()} Bits = [${this.decided}, ${this.common})`;
    return [s, this.child === undefined ? [] : [this.child]];
  }
}

class BinaryNode implements TreeNode {
  readonly preferences: [number, number] = [0, 0];
  readonly children: [TreeNode | undefined, TreeNode | undefined] = [undefined, undefined];
  private readonly shouldReset: [boolean, boolean];

  constructor(
    private readonly ctx: TreeContext,
    /** The bit this node decides. */
    private readonly bit: number,
    private readonly snow: BinaryInstance,
    reset: boolean,
  ) {
    this.shouldReset = [reset, reset];
  }

  preference(): number {
    return this.preferences[this.snow.preference()];
  }

  decidedPrefix(): number {
    return this.bit;
  }

  finalized(): boolean {
    return this.snow.finalized();
  }

  confidence(): readonly number[] {
    return this.snow.confidence();
  }

  add(choice: number): TreeNode {
    const side = bitOf(choice, this.bit);
    // No child on that side: the choice is already in the tree (ids equal up to the last bit).
    const child = this.children[side];
    if (child !== undefined) this.children[side] = child.add(choice);
    return this;
  }

  recordPoll(v: Votes, lo: number, hi: number, reset: boolean): readonly [TreeNode, boolean] {
    const mid = partitionByBit(v, lo, hi, this.bit);
    const alpha = this.ctx.alphaPreference;
    // Only the side that can be successful matters; bit 1 is checked first.
    const bit: Bit = sumCounts(v, mid, hi) >= alpha ? 1 : 0;
    if (reset) {
      this.snow.recordUnsuccessfulPoll();
      this.shouldReset[bit] = true; // the other side is marked below anyway
    }
    this.shouldReset[1 - bit] = true; // it did not get the threshold
    const [from, to] = bit === 1 ? [mid, hi] : [lo, mid];
    const numVotes = sumCounts(v, from, to);
    if (numVotes < alpha) {
      this.snow.recordUnsuccessfulPoll();
      this.shouldReset[bit] = true; // the winning side did not get enough votes either
      return [this, false];
    }
    this.snow.recordPoll(numVotes, bit);
    const child = this.children[bit];
    if (child !== undefined) {
      const [newChild] = child.recordPoll(v, from, to, this.shouldReset[bit]);
      // Decided by this very poll, so decided on `bit`: that side takes this node's place.
      if (this.snow.finalized()) return [newChild, true];
      this.preferences[bit] = newChild.preference();
    }
    this.shouldReset[bit] = false; // passed down
    return [this, true];
  }

  printable(): readonly [string, readonly TreeNode[]] {
    const s = `${this.snow.toString()} Bit = ${this.bit}`;
    const [c0, c1] = this.children;
    return [s, c0 === undefined || c1 === undefined ? [] : [c1, c0]];
  }
}

export class SnowballTree {
  private root: TreeNode;
  /** A poll that reached no AlphaPreference majority: the root resets before the next vote. */
  private shouldReset = false;
  private readonly scratch: Votes = { ids: [], counts: [] };

  /** Parameters are assumed valid; the factory must have unary instances (not Slush). */
  constructor(factory: DecisionFactory, alphaPreference: number, choice: number) {
    assertChoiceId(choice);
    const ctx: TreeContext = { factory, alphaPreference };
    // The initial state has no conflicts.
    this.root = new UnaryNode(ctx, choice, 0, ID_BITS, factory.newUnary());
  }

  /** Adds a choice; a no-op if it is already here or differs from the preference within the decided prefix (rejected). */
  add(choice: number): void {
    assertChoiceId(choice);
    if (equalSubset(0, this.root.decidedPrefix(), this.preference(), choice)) this.root = this.root.add(choice);
  }

  /**
   * Applies one poll given as entries [0, n) of parallel arrays; entries are
   * reordered in place. Returns whether the poll was successful (some instance
   * on the path got AlphaPreference votes all the way down to its end).
   */
  recordPollEntries(ids: number[], counts: number[], n: number): boolean {
    // Votes for ids that differ from the preference in the decided prefix are for rejected choices.
    const v: Votes = { ids, counts };
    const decided = this.root.decidedPrefix();
    const pref = this.preference();
    let valid = 0;
    for (let i = 0; i < n; i++) {
      if (equalSubset(0, decided, pref, ids[i]!)) {
        if (i !== valid) swap(v, i, valid);
        valid++;
      }
    }
    const [root, successful] = this.root.recordPoll(v, 0, valid, this.shouldReset);
    this.root = root;
    this.shouldReset = false; // passed into the root
    return successful;
  }

  /** recordPollEntries over a bag: choice -> votes. */
  recordPoll(votes: ReadonlyMap<number, number>): boolean {
    const { ids, counts } = this.scratch;
    let n = 0;
    for (const [id, c] of votes) {
      ids[n] = id;
      counts[n++] = c;
    }
    return this.recordPollEntries(ids, counts, n);
  }

  recordUnsuccessfulPoll(): void {
    this.shouldReset = true;
  }

  preference(): number {
    return this.root.preference();
  }

  finalized(): boolean {
    return this.root.finalized();
  }

  /** Confidence of the first undecided instance (the root). */
  confidence(): readonly number[] {
    return this.root.confidence();
  }

  /** AvalancheGo's Tree.String(): one line per node, pre-order, children indented by four spaces. */
  toString(): string {
    const lines: string[] = [];
    const prefixes: string[] = [''];
    const nodes: TreeNode[] = [this.root];
    while (nodes.length > 0) {
      const prefix = prefixes.pop()!;
      const node = nodes.pop()!;
      const [s, below] = node.printable();
      lines.push(prefix + s);
      for (const c of below) {
        prefixes.push(`${prefix}    `);
        nodes.push(c);
      }
    }
    return lines.join('\n');
  }
}
