/**
 * Base for strategies that need to know the blocks competing at a height:
 * every query first feeds the node's BlockMemory with the queried block and
 * the node's own honest preferences.
 */
import { HonestBehaviour, type QueryAnswer, type QueryContext } from '../consensus/engine/behaviour.js';
import { BlockMemory } from './block-memory.js';

export abstract class RememberingBehaviour extends HonestBehaviour {
  protected readonly memory = new BlockMemory();

  override answerQuery(ctx: QueryContext): QueryAnswer {
    this.memory.learn(ctx.view, [ctx.queried, ctx.honest.preferredId, ctx.honest.preferredIdAtHeight]);
    return this.answer(ctx);
  }

  protected abstract answer(ctx: QueryContext): QueryAnswer;

  /** Blocks held at `height` other than `not` and its ancestor/descendant at that height. */
  protected conflictsAt(ctx: QueryContext, height: number, not: number): number[] {
    const mine = BlockMemory.ancestorAt(ctx.view, not, height) ?? not;
    return this.memory.blocksAt(ctx.view, height).filter((id) => id !== mine);
  }
}
