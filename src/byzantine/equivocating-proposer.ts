/**
 * The equivocating proposal: in its slot a Byzantine proposer builds two
 * conflicting children of the honest parent (same transactions, different
 * ids) and push-queries one to the first half of the honest validators and
 * the other to the second half (ascending id order). Every Byzantine node gets
 * both, so colluders know both branches. Nothing is issued locally, so no
 * third party learns of either block through the proposer's gossip.
 */
import type { Proposal, ProposalContext } from '../consensus/engine/behaviour.js';
import type { NodeId } from '../consensus/host.js';

export function equivocate(ctx: ProposalContext, nodeCount: number, byzantine: readonly NodeId[]): Proposal {
  const a = ctx.buildBlock(ctx.parent, ctx.txs);
  const b = ctx.buildBlock(ctx.parent, ctx.txs);
  const byz = new Set(byzantine);
  const honest: NodeId[] = [];
  for (let id = 0; id < nodeCount; id++) if (!byz.has(id)) honest.push(id);
  const half = Math.ceil(honest.length / 2);
  const self = ctx.view.id;
  const colluders = byzantine.filter((id) => id !== self);
  return {
    kind: 'custom',
    pushes: [
      { block: a, to: [...honest.slice(0, half), ...colluders] },
      { block: b, to: [...honest.slice(half), ...colluders] },
    ],
  };
}
