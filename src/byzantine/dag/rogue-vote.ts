/**
 * rogue-vote (DAG): votes for the rogue side. Asked anything, it answers
 * with every held processing vertex whose transaction its conflict set does
 * not prefer (the losing side of each conflict it knows), trying to keep
 * conflicts alive or to flip them; with nothing rogue held, honestly. To
 * have conflicts to vote for, it also double spends as double-spend does
 * (option `issue`, default true; `everyMs` as there).
 */
import { HonestDagBehaviour, type DagIssue, type DagIssueContext, type DagQueryAnswer, type DagQueryContext } from '../../consensus/avalanche/engine/behaviour.js';
import { DoubleSpendBehaviour, everyUsOf } from './double-spend.js';
import { voteFor } from './forge.js';
import type { DagStrategyDefinition } from './strategy.js';

export class RogueVoteBehaviour extends HonestDagBehaviour {
  override readonly name = 'rogue-vote';
  constructor(private readonly spender: DoubleSpendBehaviour | undefined) {
    super();
  }
  override answerQuery(ctx: DagQueryContext): DagQueryAnswer {
    const rogue = ctx.view.rogueVertices();
    return rogue.length === 0 ? ctx.honest : voteFor(ctx.honest, rogue);
  }
  override tick(ctx: DagIssueContext): DagIssue {
    return this.spender === undefined ? { kind: 'none' } : this.spender.tick(ctx);
  }
}

export const rogueVote: DagStrategyDefinition = {
  name: 'rogue-vote',
  description: 'votes for the non-preferred side of every conflict it holds; double spends too (option issue, default true; everyMs)',
  options: ['issue', 'everyMs'],
  create: (ctx) => {
    const issue = ctx.options.issue ?? true;
    if (typeof issue !== 'boolean') throw new RangeError(`byzantine.options.issue: must be true or false, got ${JSON.stringify(issue)}`);
    return new RogueVoteBehaviour(issue ? new DoubleSpendBehaviour(everyUsOf(ctx), ctx.nodeCount, ctx.byzantine) : undefined);
  },
};
