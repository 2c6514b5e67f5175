/**
 * random-vote: on each query, with probability 1/2 the honest answer; else a
 * vote for a block conflicting with the honest preference at the requested
 * height (drawn uniformly among the held ones), or, when none is held, a vote
 * for the last accepted block (which counts for nothing at the asker).
 * Proposes, relays and serves honestly.
 */
import type { QueryAnswer, QueryContext } from '../consensus/engine/behaviour.js';
import type { RandomStream } from '../sim/rng.js';
import { voteFor, voteLastAccepted } from './forge.js';
import { RememberingBehaviour } from './remembering.js';
import type { StrategyDefinition } from './strategy.js';

export class RandomVoteBehaviour extends RememberingBehaviour {
  override readonly name = 'random-vote';
  constructor(private readonly rng: RandomStream) {
    super();
  }
  protected answer(ctx: QueryContext): QueryAnswer {
    if (this.rng.next() < 0.5) return ctx.honest;
    const others = this.conflictsAt(ctx, ctx.requestedHeight, ctx.honest.preferredIdAtHeight);
    if (others.length === 0) return voteLastAccepted(ctx.honest);
    return voteFor(ctx.honest, others[this.rng.int(others.length)] as number);
  }
}

export const randomVote: StrategyDefinition = {
  name: 'random-vote',
  description: 'answers honestly or against the honest preference, 50/50 per query',
  options: [],
  create: (ctx) => new RandomVoteBehaviour(ctx.rng),
};
