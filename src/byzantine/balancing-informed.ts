/**
 * balancing-informed: the balancing attack of Kniep et al. (ESORICS 2024) by
 * an adversary that knows the network state. Its proposals equivocate
 * (equivocating-proposer.ts); every query from an honest node tells the
 * group's shared NetworkOracle (group.ts) which block that node prefers; asked
 * about a height where it holds two or more blocks, it votes for whichever of
 * the two lowest-id ones fewer honest nodes prefer (ties: the higher id, so
 * that a fresh split is pushed away from the lowest-id side colluders and
 * honest tie-breaks tend to favour). Elsewhere it answers honestly.
 */
import type { Proposal, ProposalContext, QueryAnswer, QueryContext } from '../consensus/engine/behaviour.js';
import type { NodeId } from '../consensus/host.js';
import { equivocate } from './equivocating-proposer.js';
import { voteFor } from './forge.js';
import { sharedOracle, type NetworkOracle } from './group.js';
import { RememberingBehaviour } from './remembering.js';
import type { StrategyDefinition } from './strategy.js';

export class BalancingInformedBehaviour extends RememberingBehaviour {
  override readonly name = 'balancing-informed';
  constructor(
    private readonly nodeCount: number,
    private readonly byzantine: readonly NodeId[],
    private readonly oracle: NetworkOracle,
  ) {
    super();
  }
  override answerQuery(ctx: QueryContext): QueryAnswer {
    this.oracle.observe(ctx.from, ctx.queried);
    return super.answerQuery(ctx);
  }
  protected answer(ctx: QueryContext): QueryAnswer {
    const held = this.memory.blocksAt(ctx.view, ctx.requestedHeight);
    const [a, b] = held;
    if (a === undefined || b === undefined) return ctx.honest;
    const [na, nb] = this.oracle.support(ctx.view, [a, b], ctx.requestedHeight) as [number, number];
    return voteFor(ctx.honest, na < nb ? a : b);
  }
  override propose(ctx: ProposalContext): Proposal {
    return equivocate(ctx, this.nodeCount, this.byzantine);
  }
}

export const balancingInformed: StrategyDefinition = {
  name: 'balancing-informed',
  description: 'balancing attack with network knowledge: equivocating proposals, votes for the less-preferred branch',
  options: [],
  sharesInMemory: 'one network oracle (every honest node\'s last query)',
  create: (ctx) => new BalancingInformedBehaviour(ctx.nodeCount, ctx.byzantine, sharedOracle(ctx)),
};
