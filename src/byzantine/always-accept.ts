/**
 * always-accept: votes for whatever block it is asked about (the pushed
 * block or the pulled id), conflicting blocks included, so each asker hears
 * its own choice confirmed. Proposes, relays and serves honestly.
 */
import { HonestBehaviour, type QueryAnswer, type QueryContext } from '../consensus/engine/behaviour.js';
import { voteFor } from './forge.js';
import type { StrategyDefinition } from './strategy.js';

export class AlwaysAcceptBehaviour extends HonestBehaviour {
  override readonly name = 'always-accept';
  override answerQuery(ctx: QueryContext): QueryAnswer {
    return voteFor(ctx.honest, ctx.queried);
  }
}

export const alwaysAccept: StrategyDefinition = {
  name: 'always-accept',
  description: 'votes for whatever block it is asked about, conflicting ones included',
  options: [],
  create: () => new AlwaysAcceptBehaviour(),
};
