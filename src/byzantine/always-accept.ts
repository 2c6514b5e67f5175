/**
 * always-accept: votes for whatever block it is asked about (the pushed
 * block or the pulled id), conflicting blocks included, so each asker hears
 * its own choice confirmed. Relays and serves honestly; proposes honestly
 * unless option `equivocate: true`, which makes its proposals equivocate
 * (equivocating-proposer.ts): then each honest half hears its own branch
 * confirmed by every Byzantine vote, the split-brain attack that breaks
 * safety once (1−f)·K/2 + f·K reaches alphaPreference (see
 * experiments/BFT-THRESHOLD.md).
 */
import { HonestBehaviour, type Proposal, type ProposalContext, type QueryAnswer, type QueryContext } from '../consensus/engine/behaviour.js';
import type { NodeId } from '../consensus/host.js';
import { equivocate } from './equivocating-proposer.js';
import { voteFor } from './forge.js';
import type { StrategyDefinition } from './strategy.js';

export class AlwaysAcceptBehaviour extends HonestBehaviour {
  override readonly name = 'always-accept';
  constructor(private readonly equivocation?: { nodeCount: number; byzantine: readonly NodeId[] }) {
    super();
  }
  override answerQuery(ctx: QueryContext): QueryAnswer {
    return voteFor(ctx.honest, ctx.queried);
  }
  override propose(ctx: ProposalContext): Proposal {
    if (this.equivocation === undefined) return super.propose(ctx);
    return equivocate(ctx, this.equivocation.nodeCount, this.equivocation.byzantine);
  }
}

export const alwaysAccept: StrategyDefinition = {
  name: 'always-accept',
  description: 'votes for whatever block it is asked about, conflicting ones included (option equivocate: its proposals equivocate)',
  options: ['equivocate'],
  create: (ctx) => {
    const eq = ctx.options.equivocate;
    if (eq !== undefined && typeof eq !== 'boolean') throw new RangeError(`byzantine.options.equivocate: must be true or false, got ${JSON.stringify(eq)}`);
    return new AlwaysAcceptBehaviour(eq === true ? { nodeCount: ctx.nodeCount, byzantine: ctx.byzantine } : undefined);
  },
};
