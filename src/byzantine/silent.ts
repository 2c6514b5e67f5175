/**
 * silent: never answers a query, never serves a block, never relays
 * transactions, never proposes. To honest pollers it looks like a crashed
 * validator that still holds its stake, so its sample slots time out.
 */
import { HonestBehaviour, type NodeView, type Proposal, type QueryAnswer } from '../consensus/engine/behaviour.js';
import type { Block, TxId } from '../consensus/snowman/block.js';
import type { NodeId } from '../consensus/host.js';
import type { StrategyDefinition } from './strategy.js';

export class SilentBehaviour extends HonestBehaviour {
  override readonly name = 'silent';
  override answerQuery(): QueryAnswer {
    return { kind: 'silent' };
  }
  override propose(): Proposal {
    return { kind: 'none' };
  }
  override relayTxs(_view: NodeView, _txs: readonly TxId[]): boolean {
    return false;
  }
  override serveBlock(_view: NodeView, _from: NodeId, _block: Block): boolean {
    return false;
  }
}

export const silent: StrategyDefinition = {
  name: 'silent',
  description: 'never answers queries, serves blocks, relays transactions or proposes',
  options: [],
  create: () => new SilentBehaviour(),
};
