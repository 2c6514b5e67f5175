/**
 * A Byzantine behaviour that is active only in [fromUs, untilUs): outside the
 * window the node behaves honestly (scenario `byzantine.from` / `until`).
 */
import {
  HONEST,
  type Behaviour,
  type NodeView,
  type Proposal,
  type ProposalContext,
  type QueryAnswer,
  type QueryContext,
} from '../consensus/engine/behaviour.js';
import type { Block, TxId } from '../consensus/snowman/block.js';
import type { Micros, NodeId } from '../consensus/host.js';

export class WindowedBehaviour implements Behaviour {
  readonly name: string;
  constructor(
    private readonly inner: Behaviour,
    private readonly fromUs: Micros,
    private readonly untilUs: Micros,
  ) {
    this.name = inner.name;
  }

  private pick(view: NodeView): Behaviour {
    const t = view.now();
    return t >= this.fromUs && t < this.untilUs ? this.inner : HONEST;
  }

  answerQuery(ctx: QueryContext): QueryAnswer {
    return this.pick(ctx.view).answerQuery(ctx);
  }
  propose(ctx: ProposalContext): Proposal {
    return this.pick(ctx.view).propose(ctx);
  }
  relayTxs(view: NodeView, txs: readonly TxId[]): boolean {
    return this.pick(view).relayTxs(view, txs);
  }
  serveBlock(view: NodeView, from: NodeId, block: Block): boolean {
    return this.pick(view).serveBlock(view, from, block);
  }
}
