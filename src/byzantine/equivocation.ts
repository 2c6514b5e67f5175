/**
 * equivocation: a Byzantine proposer sends two conflicting blocks at the same
 * height to the two halves of the honest network (equivocating-proposer.ts);
 * it answers queries, relays and serves honestly, so the honest majority is
 * left to resolve the split on its own.
 */
import { HonestBehaviour, type Proposal, type ProposalContext } from '../consensus/engine/behaviour.js';
import type { NodeId } from '../consensus/host.js';
import { equivocate } from './equivocating-proposer.js';
import type { StrategyDefinition } from './strategy.js';

export class EquivocationBehaviour extends HonestBehaviour {
  override readonly name = 'equivocation';
  constructor(
    private readonly nodeCount: number,
    private readonly byzantine: readonly NodeId[],
  ) {
    super();
  }
  override propose(ctx: ProposalContext): Proposal {
    return equivocate(ctx, this.nodeCount, this.byzantine);
  }
}

export const equivocation: StrategyDefinition = {
  name: 'equivocation',
  description: 'as proposer, sends two conflicting blocks to the two halves of the network; votes honestly',
  options: [],
  create: (ctx) => new EquivocationBehaviour(ctx.nodeCount, ctx.byzantine),
};
