/**
 * random-vote (DAG): on each query, with probability 1/2 the honest answer;
 * else a vote for one processing vertex on the rogue side of a conflict
 * (holding a transaction its conflict set does not prefer), uniformly among
 * the held ones, or, when none is held, a vote that counts for nothing.
 * Issues and serves honestly.
 */
import { HonestDagBehaviour, type DagQueryAnswer, type DagQueryContext } from '../../consensus/avalanche/engine/behaviour.js';
import type { RandomStream } from '../../sim/rng.js';
import { voteFor, voteNothing } from './forge.js';
import type { DagStrategyDefinition } from './strategy.js';

export class DagRandomVoteBehaviour extends HonestDagBehaviour {
  override readonly name = 'random-vote';
  constructor(private readonly rng: RandomStream) {
    super();
  }
  override answerQuery(ctx: DagQueryContext): DagQueryAnswer {
    if (this.rng.next() < 0.5) return ctx.honest;
    const rogue = ctx.view.rogueVertices();
    if (rogue.length === 0) return voteNothing(ctx.honest);
    return voteFor(ctx.honest, [rogue[this.rng.int(rogue.length)]!]);
  }
}

export const dagRandomVote: DagStrategyDefinition = {
  name: 'random-vote',
  description: 'answers honestly or for a rogue-side vertex, 50/50 per query',
  options: [],
  create: (ctx) => new DagRandomVoteBehaviour(ctx.rng),
};
