/**
 * balancing-naive: the balancing attack of Kniep et al. (ESORICS 2024)
 * without knowledge of the network state. Its proposals equivocate, creating
 * two conflicting branches at one height (equivocating-proposer.ts: without
 * conflicting blocks there is nothing to balance); asked about a height where
 * it holds two or more blocks, it votes for one of the two lowest-id ones with
 * probability 1/2 each, so honest polls keep seeing a split. Elsewhere it
 * answers honestly.
 */
import type { Proposal, ProposalContext, QueryAnswer, QueryContext } from '../consensus/engine/behaviour.js';
import type { NodeId } from '../consensus/host.js';
import type { RandomStream } from '../sim/rng.js';
import { equivocate } from './equivocating-proposer.js';
import { voteFor } from './forge.js';
import { RememberingBehaviour } from './remembering.js';
import type { StrategyDefinition } from './strategy.js';

export class BalancingNaiveBehaviour extends RememberingBehaviour {
  override readonly name = 'balancing-naive';
  constructor(
    private readonly nodeCount: number,
    private readonly byzantine: readonly NodeId[],
    private readonly rng: RandomStream,
  ) {
    super();
  }
  protected answer(ctx: QueryContext): QueryAnswer {
    const held = this.memory.blocksAt(ctx.view, ctx.requestedHeight);
    const [a, b] = held;
    if (a === undefined || b === undefined) return ctx.honest;
    return voteFor(ctx.honest, this.rng.next() < 0.5 ? a : b);
  }
  override propose(ctx: ProposalContext): Proposal {
    return equivocate(ctx, this.nodeCount, this.byzantine);
  }
}

export const balancingNaive: StrategyDefinition = {
  name: 'balancing-naive',
  description: 'balancing attack without network knowledge: equivocating proposals, votes 1/2 for each branch',
  options: [],
  create: (ctx) => new BalancingNaiveBehaviour(ctx.nodeCount, ctx.byzantine, ctx.rng),
};
