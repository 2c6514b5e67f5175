/**
 * The seam for Byzantine strategies (issue #5): the node consults a
 * Behaviour at the three points where a validator can lie or withhold, and
 * does everything else honestly. A strategy is one object implementing this
 * interface (typically extending HonestBehaviour and overriding one method);
 * the node never needs editing.
 *
 * Strategies see the node through a read-only NodeView and must draw their
 * randomness from their own seeded stream (given to them at construction),
 * never from the node's consensus stream, so that honest draws do not shift.
 */
import type { Micros, NodeId } from '../host.js';
import type { Block, BlockId, TxId } from '../snowman/block.js';
import type { ValidatorSet } from './sampler.js';

/** Read-only view of a node's state for strategies. */
export interface NodeView {
  readonly id: NodeId;
  readonly validators: ValidatorSet;
  now(): Micros;
  preference(): BlockId;
  preferenceAtHeight(height: number): BlockId | undefined;
  lastAccepted(): { readonly id: BlockId; readonly height: number };
  /** Any block this node holds (accepted window, processing, waiting). */
  block(id: BlockId): Block | undefined;
  numProcessing(): number;
}

export interface ChitsAnswer {
  readonly kind: 'chits';
  readonly preferredId: BlockId;
  readonly preferredIdAtHeight: BlockId;
  readonly acceptedId: BlockId;
  readonly acceptedHeight: number;
}

/** How to answer one query: chits (honest or forged), or silence (the asker times out). */
export type QueryAnswer = ChitsAnswer | { readonly kind: 'silent' };

export interface QueryContext {
  readonly view: NodeView;
  readonly from: NodeId;
  /** The block the asker asked about: the pushed block, or the pulled block id (issue #5: always-accept votes for it). */
  readonly queried: BlockId;
  readonly requestedHeight: number;
  /** What an honest node would answer. */
  readonly honest: ChitsAnswer;
}

export interface ProposalContext {
  readonly view: NodeView;
  /** The tip this node prefers: the honest parent. */
  readonly parent: Block;
  /** The transactions an honest proposer would include. */
  readonly txs: readonly TxId[];
  /** Mint a well-formed block (fresh id, size, builtAt = now) on any known parent. */
  buildBlock(parent: Block, txs: readonly TxId[]): Block;
}

export type Proposal =
  /** Issue this block locally and query the network as usual (honest). */
  | { readonly kind: 'honest'; readonly block: Block }
  /** Build nothing this time. */
  | { readonly kind: 'none' }
  /**
   * Send chosen blocks to chosen peers as push-queries (their chits are not
   * counted in any poll), and optionally issue one block locally as well.
   * Equivocation: two children of one parent to two halves of the network.
   */
  | {
      readonly kind: 'custom';
      readonly issueLocally?: Block;
      readonly pushes: ReadonlyArray<{ readonly block: Block; readonly to: readonly NodeId[] }>;
    };

export interface Behaviour {
  /** Name shown in traces and reports. */
  readonly name: string;
  answerQuery(ctx: QueryContext): QueryAnswer;
  propose(ctx: ProposalContext): Proposal;
  /** Whether to relay newly seen transactions to peers. */
  relayTxs(view: NodeView, txs: readonly TxId[]): boolean;
  /** Whether to answer a get for a block this node holds. */
  serveBlock(view: NodeView, from: NodeId, block: Block): boolean;
}

export class HonestBehaviour implements Behaviour {
  readonly name: string = 'honest';
  answerQuery(ctx: QueryContext): QueryAnswer {
    return ctx.honest;
  }
  propose(ctx: ProposalContext): Proposal {
    return { kind: 'honest', block: ctx.buildBlock(ctx.parent, ctx.txs) };
  }
  relayTxs(_view: NodeView, _txs: readonly TxId[]): boolean {
    return true;
  }
  serveBlock(_view: NodeView, _from: NodeId, _block: Block): boolean {
    return true;
  }
}

export const HONEST: Behaviour = new HonestBehaviour();
