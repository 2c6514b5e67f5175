/** Test-only: a scripted NodeView and query contexts for driving strategies directly. */
import type { ChitsAnswer, NodeView, ProposalContext, QueryContext } from '../consensus/engine/behaviour.js';
import { ValidatorSet } from '../consensus/engine/sampler.js';
import { blockIdOf, GENESIS_ID, type Block, type BlockId } from '../consensus/snowman/block.js';
import { createStream, type RandomStream } from '../sim/rng.js';
import type { StrategyContext } from './strategy.js';

export const GENESIS: Block = { id: GENESIS_ID, parent: -1, height: 0, proposer: -1, txs: [], sizeBytes: 0, builtAt: 0 };

export function child(proposer: number, counter: number, parent: Block): Block {
  return { id: blockIdOf(proposer, counter), parent: parent.id, height: parent.height + 1, proposer, txs: [counter], sizeBytes: 1_000, builtAt: 0 };
}

/** A node holding `blocks` (genesis accepted), preferring `preference`. */
export class FakeView implements NodeView {
  readonly validators: ValidatorSet;
  readonly blocks = new Map<BlockId, Block>([[GENESIS.id, GENESIS]]);
  pref: BlockId = GENESIS.id;
  accepted: Block = GENESIS;
  constructor(
    readonly id: number,
    nodeCount: number,
  ) {
    this.validators = new ValidatorSet(Array.from({ length: nodeCount }, () => 1));
  }
  hold(...bs: Block[]): this {
    for (const b of bs) this.blocks.set(b.id, b);
    return this;
  }
  now(): number {
    return 0;
  }
  preference(): BlockId {
    return this.pref;
  }
  preferenceAtHeight(height: number): BlockId | undefined {
    let b = this.blocks.get(this.pref);
    while (b !== undefined && b.height > height) b = this.blocks.get(b.parent);
    return b?.height === height ? b.id : undefined;
  }
  lastAccepted(): { id: BlockId; height: number } {
    return { id: this.accepted.id, height: this.accepted.height };
  }
  block(id: BlockId): Block | undefined {
    return this.blocks.get(id);
  }
  numProcessing(): number {
    return this.blocks.size - 1;
  }
}

export function honestChits(view: FakeView, requestedHeight: number): ChitsAnswer {
  const la = view.lastAccepted();
  return {
    kind: 'chits',
    preferredId: view.pref,
    preferredIdAtHeight: view.preferenceAtHeight(requestedHeight) ?? view.pref,
    acceptedId: la.id,
    acceptedHeight: la.height,
  };
}

export function query(view: FakeView, from: number, queried: BlockId, requestedHeight = view.accepted.height + 1): QueryContext {
  return { view, from, queried, requestedHeight, honest: honestChits(view, requestedHeight) };
}

export function strategyContext(node: number, nodeCount: number, byzantine: readonly number[], seed = 1): StrategyContext {
  return { node, nodeCount, byzantine, rng: createStream(seed, node, 'byzantine'), options: {} };
}

/** A proposal context whose buildBlock mints ids for `view.id` from a local counter. */
export function proposalContext(view: FakeView, parent: Block, txs: readonly number[]): ProposalContext {
  let counter = 100;
  return {
    view,
    parent,
    txs,
    buildBlock: (p, t) => ({ ...child(view.id, ++counter, p), txs: [...t] }),
  };
}

export type { RandomStream };
