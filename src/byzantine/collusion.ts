/**
 * collusion: the Byzantine group votes as one for a branch the adversary
 * chooses, without exchanging messages: at the requested height, the
 * lowest-id held block proposed by a colluder, else the lowest-id held block.
 * Every colluder receives both blocks of a colluding proposer's equivocation
 * (its proposals equivocate, equivocating-proposer.ts), so all of them name
 * the same block. With no block held at that height it answers honestly.
 */
import type { Proposal, ProposalContext, QueryAnswer, QueryContext } from '../consensus/engine/behaviour.js';
import type { NodeId } from '../consensus/host.js';
import { proposerOfBlockId } from '../consensus/snowman/block.js';
import { equivocate } from './equivocating-proposer.js';
import { voteFor } from './forge.js';
import { RememberingBehaviour } from './remembering.js';
import type { StrategyDefinition } from './strategy.js';

export class CollusionBehaviour extends RememberingBehaviour {
  override readonly name = 'collusion';
  private readonly colluders: ReadonlySet<NodeId>;
  constructor(
    private readonly nodeCount: number,
    private readonly byzantine: readonly NodeId[],
  ) {
    super();
    this.colluders = new Set(byzantine);
  }
  protected answer(ctx: QueryContext): QueryAnswer {
    const held = this.memory.blocksAt(ctx.view, ctx.requestedHeight);
    const target = held.find((id) => this.colluders.has(proposerOfBlockId(id))) ?? held[0];
    return target === undefined ? ctx.honest : voteFor(ctx.honest, target);
  }
  override propose(ctx: ProposalContext): Proposal {
    return equivocate(ctx, this.nodeCount, this.byzantine);
  }
}

export const collusion: StrategyDefinition = {
  name: 'collusion',
  description: 'the group votes together for the lowest-id colluder block at the contested height; proposals equivocate',
  options: [],
  create: (ctx) => new CollusionBehaviour(ctx.nodeCount, ctx.byzantine),
};
