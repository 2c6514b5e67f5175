/**
 * always-accept (DAG): votes for whatever vertex it is asked about, rogue
 * ones included, so each asker hears its own choice confirmed. Issues and
 * serves honestly.
 */
import { HonestDagBehaviour, type DagQueryAnswer, type DagQueryContext } from '../../consensus/avalanche/engine/behaviour.js';
import { voteFor } from './forge.js';
import type { DagStrategyDefinition } from './strategy.js';

export class DagAlwaysAcceptBehaviour extends HonestDagBehaviour {
  override readonly name = 'always-accept';
  override answerQuery(ctx: DagQueryContext): DagQueryAnswer {
    return voteFor(ctx.honest, [ctx.queried]);
  }
}

export const dagAlwaysAccept: DagStrategyDefinition = {
  name: 'always-accept',
  description: 'votes for whatever vertex it is asked about, rogue ones included',
  options: [],
  create: () => new DagAlwaysAcceptBehaviour(),
};
