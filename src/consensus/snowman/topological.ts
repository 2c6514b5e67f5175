/**
 * Topological: the Snowman block tree (AvalancheGo snow/consensus/snowman/
 * topological.go and snowman_block.go), sans-I/O and with integer ids.
 *
 * The tree holds the last accepted block and every processing block above it.
 * Each block with children owns one decision instance over its children,
 * created when its first child is added, initially preferring that child.
 *
 * recordPoll(votes), as AvalancheGo:
 * 1. If the bag holds fewer than AlphaPreference votes nothing can succeed:
 *    the whole tree is marked to falter (lazy reset) and nothing else happens.
 * 2. Votes are pushed transitively towards the last accepted block: a vote for
 *    a block counts for it in its parent's instance, and for each ancestor in
 *    that ancestor's parent's instance. Votes for unknown or decided blocks are
 *    dropped.
 * 3. Every block whose children received at least AlphaPreference votes in
 *    total is on the "vote stack" (with AlphaPreference > K/2 and at most K
 *    votes this is one chain from the last accepted block downwards). They
 *    are visited root first: a block marked to falter first records an
 *    unsuccessful poll and passes the mark to all its children; the instance
 *    records its children's votes (see the note below); if the instance is
 *    finalised and the block is the last accepted one, its preferred child
 *    is accepted (siblings and all their
 *    descendants rejected), which may happen several times in one poll;
 *    children other than the next block on the stack are marked to falter
 *    (they got fewer than AlphaPreference votes: an unsuccessful poll, applied
 *    lazily when next visited).
 * 4. The preferred chain is recomputed unless the new preferred block was
 *    already on it.
 *
 * The per-block instance (parent-decision.ts) is AvalancheGo's snowball Tree
 * by default: a bit-trie over the children's ids (least significant bit
 * first, id-bits.ts), fed the children's vote bag. `instance: 'flat'` keeps
 * avsim's original single n-ary instance fed the mode of the bag. With one
 * or two children and AlphaPreference > K/2 the two record the same thing;
 * from three siblings on the trie also counts groups that share a bit prefix
 * (for block ids, the low bits of the proposer's id, block.ts).
 */
import { assertValidParams, type ConsensusParams } from '../params.js';
import { type DecisionFactory, type DecisionKind, decisionFactory } from '../snowball/factory.js';
import type { Block, BlockId } from './block.js';
import type { PollDecisions, SnowmanConsensus, VoteBag } from './consensus.js';
import { type ParentDecision, type ParentDecisionFactory, type ParentDecisionKind, parentDecisionFactory } from './parent-decision.js';

interface TreeNode {
  readonly id: BlockId;
  /** Undefined only for the initial last accepted block (e.g. genesis), known by id and height. */
  readonly block: Block | undefined;
  readonly parentId: BlockId | undefined;
  /** Parent while processing; cleared once accepted so the accepted history can be collected. */
  parent: TreeNode | undefined;
  readonly height: number;
  /** Set when this block's children got < AlphaPreference votes: reset its instance before the next vote. */
  shouldFalter: boolean;
  /** Decision over the children; created with the first child. */
  sb: ParentDecision | undefined;
  children: TreeNode[] | undefined;
  /** False once removed from the tree (rejected, or accepted and superseded). */
  live: boolean;
  // Per-poll scratch, valid when stamp equals the poll number.
  stamp: number;
  /** Votes naming this block. */
  direct: number;
  /** Votes naming a descendant of this block (the size of the bag its instance sees). */
  childVotes: number;
}

export interface TopologicalOptions {
  /** Algorithm of each decision: AvalancheGo's Snowman uses Snowflake (the default). */
  readonly decision?: DecisionKind;
  /** Form of each block's decision over its children: AvalancheGo's bit-trie (the default) or one flat n-ary instance. */
  readonly instance?: ParentDecisionKind;
}

export class Topological implements SnowmanConsensus {
  readonly params: ConsensusParams;
  private readonly factory: DecisionFactory;
  private readonly newDecision: ParentDecisionFactory;
  private readonly instanceKind: ParentDecisionKind;
  private readonly alpha: number;
  private readonly blocks = new Map<BlockId, TreeNode>();
  private last: TreeNode;
  private pref: BlockId;
  /** prefChain[i] is the preferred block at height lastAccepted.height + 1 + i. */
  private prefChain: BlockId[] = [];
  private pollNumber = 0;
  private lastRecord: { readonly id: BlockId; readonly height: number };
  // Reused scratch arrays (no allocation per poll beyond the decisions).
  private readonly voteStack: TreeNode[] = [];
  private readonly work: TreeNode[] = [];

  constructor(params: ConsensusParams, lastAccepted: { id: BlockId; height: number }, options: TopologicalOptions = {}) {
    this.params = assertValidParams(params);
    this.alpha = params.alphaPreference;
    this.factory = decisionFactory(options.decision ?? 'snowflake', params);
    this.instanceKind = options.instance ?? 'tree';
    this.newDecision = parentDecisionFactory(this.instanceKind, this.factory, this.alpha);
    if (!Number.isSafeInteger(lastAccepted.height) || lastAccepted.height < 0) {
      throw new RangeError(`lastAccepted.height must be a non-negative integer (got ${lastAccepted.height})`);
    }
    this.last = newNode(lastAccepted.id, undefined, undefined, undefined, lastAccepted.height);
    this.blocks.set(lastAccepted.id, this.last);
    this.pref = lastAccepted.id;
    this.lastRecord = Object.freeze({ id: lastAccepted.id, height: lastAccepted.height });
  }

  /** The decision algorithm in use. */
  decisionKind(): DecisionKind {
    return this.factory.kind;
  }

  /** The per-parent decision form in use. */
  parentDecisionKind(): ParentDecisionKind {
    return this.instanceKind;
  }

  numProcessing(): number {
    return this.blocks.size - 1;
  }

  add(block: Block): void {
    if (this.blocks.has(block.id)) throw new Error(`duplicate block add: block ${block.id} is already in the tree`);
    const parent = this.blocks.get(block.parent);
    if (parent === undefined) {
      throw new Error(`unknown parent block: block ${block.id} names parent ${block.parent}, neither last accepted nor processing`);
    }
    if (block.height !== parent.height + 1) {
      throw new RangeError(`block ${block.id}: height must be parent height + 1 (${parent.height + 1}), got ${block.height}`);
    }
    const node = newNode(block.id, block, block.parent, parent, block.height);
    if (parent.sb === undefined || parent.children === undefined) {
      parent.sb = this.newDecision(block.id);
      parent.children = [node];
    } else {
      parent.sb.add(block.id);
      parent.children.push(node);
    }
    this.blocks.set(block.id, node);
    // Extending the preferred tail makes the new block the preference.
    if (this.pref === block.parent) {
      this.pref = block.id;
      this.prefChain.push(block.id);
    }
  }

  processing(id: BlockId): boolean {
    return id !== this.last.id && this.blocks.has(id);
  }

  isPreferred(id: BlockId): boolean {
    return id === this.last.id || this.onPreferredChain(id);
  }

  lastAccepted(): { readonly id: BlockId; readonly height: number } {
    // One frozen record per accepted block: callers read it on hot paths, so it is not rebuilt per call.
    let r = this.lastRecord;
    if (r.id !== this.last.id) {
      r = Object.freeze({ id: this.last.id, height: this.last.height });
      this.lastRecord = r;
    }
    return r;
  }

  preference(): BlockId {
    return this.pref;
  }

  preferenceAtHeight(height: number): BlockId | undefined {
    if (height === this.last.height) return this.last.id;
    const i = height - this.last.height - 1;
    return i >= 0 ? this.prefChain[i] : undefined;
  }

  parentOf(id: BlockId): BlockId | undefined {
    return this.blocks.get(id)?.parentId;
  }

  /** Read-only view of a processing block's decision (for tests and metrics). */
  decisionOf(id: BlockId): { preference: BlockId; confidence: readonly number[]; finalized: boolean } | undefined {
    const sb = this.blocks.get(id)?.sb;
    return sb === undefined ? undefined : { preference: sb.preference(), confidence: sb.confidence(), finalized: sb.finalized() };
  }

  recordPoll(votes: VoteBag): PollDecisions {
    const poll = ++this.pollNumber;
    const decisions: PollDecisions = { accepted: [], rejected: [] };
    let total = 0;
    for (const [id, n] of votes) {
      if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`vote count for block ${id} must be a non-negative integer (got ${n})`);
      total += n;
    }
    const stack = this.voteStack;
    stack.length = 0;
    if (total >= this.alpha) {
      this.pushVotes(votes, poll);
      this.buildVoteStack(poll);
    }
    const preferred = this.vote(stack, poll, decisions);
    stack.length = 0;
    if (!this.onPreferredChain(preferred)) this.recomputePreference(preferred);
    return decisions;
  }

  /** Adds every valid vote to the childVotes of each ancestor up to the last accepted block. */
  private pushVotes(votes: VoteBag, poll: number): void {
    const lastHeight = this.last.height;
    for (const [id, n] of votes) {
      if (n === 0) continue;
      const voted = this.blocks.get(id);
      // Votes for unknown blocks and for the last accepted block are dropped.
      if (voted === undefined || voted.height <= lastHeight) continue;
      touch(voted, poll);
      voted.direct += n;
      for (let x = voted; x.height > lastHeight; ) {
        const p = x.parent!;
        touch(p, poll);
        p.childVotes += n;
        x = p;
      }
    }
  }

  /**
   * Blocks whose children got >= AlphaPreference votes, parents before
   * children (pre-order from the last accepted block).
   */
  private buildVoteStack(poll: number): void {
    const { alpha, voteStack, work } = this;
    work.length = 0;
    if (this.last.stamp === poll && this.last.childVotes >= alpha) work.push(this.last);
    while (work.length > 0) {
      const n = work.pop()!;
      voteStack.push(n);
      const children = n.children;
      if (children === undefined) continue;
      for (let i = children.length - 1; i >= 0; i--) {
        const c = children[i]!;
        if (c.stamp === poll && c.childVotes >= alpha) work.push(c);
      }
    }
  }

  /**
   * Applies the vote stack root first; returns the preferred block after the
   * last stack block on the preferred branch (or the current preference when
   * nothing reached AlphaPreference).
   */
  private vote(stack: readonly TreeNode[], poll: number, decisions: PollDecisions): BlockId {
    if (stack.length === 0) {
      // No instance got AlphaPreference votes: the whole tree falters, lazily.
      this.last.shouldFalter = true;
      return this.pref;
    }
    let newPreferred = this.last.id;
    let onPreferredBranch = true;
    for (let i = 0; i < stack.length; i++) {
      const parent = stack[i]!;
      // Rejected by an acceptance earlier in this poll: stop applying votes.
      if (!parent.live) break;
      const sb = parent.sb!;
      const falter = parent.shouldFalter;
      if (falter) {
        sb.recordUnsuccessfulPoll();
        parent.shouldFalter = false;
      }
      sb.recordChildren(parent.children!, poll);
      // Accept only from the last accepted block.
      if (sb.finalized() && parent === this.last) {
        this.acceptPreferredChild(parent, decisions);
        this.blocks.delete(parent.id);
        parent.live = false;
      }
      const parentPreference = sb.preference();
      if (onPreferredBranch) newPreferred = parentPreference;
      const next = i + 1 < stack.length ? stack[i + 1] : undefined;
      onPreferredBranch = onPreferredBranch && next !== undefined && next.id === parentPreference;
      // Children that did not get AlphaPreference votes (or all of them, when
      // this block faltered) reset before their next vote.
      for (const child of parent.children!) {
        if (!falter && child === next) continue;
        if (child.live) child.shouldFalter = true;
      }
    }
    return newPreferred;
  }

  private acceptPreferredChild(parent: TreeNode, decisions: PollDecisions): void {
    const prefId = parent.sb!.preference();
    const children = parent.children!;
    const child = children.find((c) => c.id === prefId);
    if (child === undefined) throw new Error(`internal: finalised preference ${prefId} is not a child of block ${parent.id}`);
    this.last = child;
    child.parent = undefined; // let the accepted history be collected
    decisions.accepted.push(child.block!);
    // The accepted block leaves the preferred chain (it is now implied by being last accepted).
    if (this.prefChain[0] === child.id) this.prefChain.shift();
    else this.prefChain.length = 0; // stale: forces a recomputation after the poll
    // Reject the siblings, then all their descendants.
    const rejects = this.work;
    rejects.length = 0;
    for (const c of children) {
      if (c === child) continue;
      decisions.rejected.push(c.block!);
      rejects.push(c);
    }
    while (rejects.length > 0) {
      const r = rejects.pop()!;
      this.blocks.delete(r.id);
      r.live = false;
      if (r.children === undefined) continue;
      for (const c of r.children) {
        decisions.rejected.push(c.block!);
        rejects.push(c);
      }
    }
  }

  private onPreferredChain(id: BlockId): boolean {
    const node = this.blocks.get(id);
    if (node === undefined) return false;
    const i = node.height - this.last.height - 1;
    return i >= 0 && this.prefChain[i] === id;
  }

  /** Rebuilds the preferred chain through `start`: its ancestors, then the preferred children below it. */
  private recomputePreference(start: BlockId): void {
    const chain = this.prefChain;
    chain.length = 0;
    let node = this.blocks.get(start)!;
    for (let x: TreeNode | undefined = node; x !== undefined && x.height > this.last.height; x = x.parent) chain.push(x.id);
    chain.reverse();
    this.pref = start;
    while (node.sb !== undefined) {
      this.pref = node.sb.preference();
      chain.push(this.pref);
      node = this.blocks.get(this.pref)!;
    }
  }
}

function newNode(
  id: BlockId,
  block: Block | undefined,
  parentId: BlockId | undefined,
  parent: TreeNode | undefined,
  height: number,
): TreeNode {
  return {
    id,
    block,
    parentId,
    parent,
    height,
    shouldFalter: false,
    sb: undefined,
    children: undefined,
    live: true,
    stamp: 0,
    direct: 0,
    childVotes: 0,
  };
}

function touch(n: TreeNode, poll: number): void {
  if (n.stamp !== poll) {
    n.stamp = poll;
    n.direct = 0;
    n.childVotes = 0;
  }
}
