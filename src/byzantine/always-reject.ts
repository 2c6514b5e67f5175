/**
 * always-reject: votes against whatever it is asked about. The vote goes to a
 * held block conflicting with the queried one at its height (the lowest id,
 * so all rejecters agree), else to the last accepted block (a vote that counts
 * for nothing at the asker). It never votes for the queried block; asked about
 * its own last accepted block (a frontier poll, outside any vote), it stays
 * silent. Proposes, relays and serves honestly.
 */
import type { QueryAnswer, QueryContext } from '../consensus/engine/behaviour.js';
import { BlockMemory } from './block-memory.js';
import { voteFor, voteLastAccepted } from './forge.js';
import { RememberingBehaviour } from './remembering.js';
import type { StrategyDefinition } from './strategy.js';

export class AlwaysRejectBehaviour extends RememberingBehaviour {
  override readonly name: string = 'always-reject';
  protected answer(ctx: QueryContext): QueryAnswer {
    const height = BlockMemory.heightOf(ctx.view, ctx.queried) ?? ctx.requestedHeight;
    const others = this.conflictsAt(ctx, height, ctx.queried);
    const target = others[0];
    if (target !== undefined) return voteFor(ctx.honest, target);
    if (ctx.honest.acceptedId === ctx.queried) return { kind: 'silent' };
    return voteLastAccepted(ctx.honest);
  }
}

export const alwaysReject: StrategyDefinition = {
  name: 'always-reject',
  description: 'votes against what it is asked about: a conflicting block if held, else its last accepted block',
  options: [],
  create: () => new AlwaysRejectBehaviour(),
};
