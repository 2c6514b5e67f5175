/**
 * always-reject (DAG): votes against whatever it is asked about: for a held
 * processing vertex whose transactions conflict with the queried vertex's
 * (the lowest id, so all rejecters agree), else a vote that counts for
 * nothing. It never votes for the queried vertex. Issues and serves honestly.
 */
import { HonestDagBehaviour, type DagQueryAnswer, type DagQueryContext } from '../../consensus/avalanche/engine/behaviour.js';
import { voteFor, voteNothing } from './forge.js';
import type { DagStrategyDefinition } from './strategy.js';

export class DagAlwaysRejectBehaviour extends HonestDagBehaviour {
  override readonly name = 'always-reject';
  override answerQuery(ctx: DagQueryContext): DagQueryAnswer {
    const against = ctx.view.conflictingVertices(ctx.queried);
    return against.length > 0 ? voteFor(ctx.honest, [against[0]!]) : voteNothing(ctx.honest);
  }
}

export const dagAlwaysReject: DagStrategyDefinition = {
  name: 'always-reject',
  description: 'votes for a vertex conflicting with the queried one if held, else for nothing; never for the queried vertex',
  options: [],
  create: () => new DagAlwaysRejectBehaviour(),
};
