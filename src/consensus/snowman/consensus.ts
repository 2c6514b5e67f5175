/**
 * The Snowman consensus interface (mirrors AvalancheGo snow/consensus/snowman
 * Consensus): a tree of processing blocks above the last accepted block, one
 * decision instance per processing block's children, transitive voting.
 * Implemented by Topological (topological.ts).
 */
import type { Block, BlockId } from './block.js';

/** Votes of one finished poll: block id -> number of votes (a validator may fill several slots). */
export type VoteBag = ReadonlyMap<BlockId, number>;

/** What one recordPoll decided, in decision order (ancestors first). */
export interface PollDecisions {
  accepted: Block[];
  rejected: Block[];
}

export interface SnowmanConsensus {
  numProcessing(): number;
  /** Add a block whose parent is the last accepted block or processing. Throws otherwise, or on a duplicate. */
  add(block: Block): void;
  processing(id: BlockId): boolean;
  /** True for the last accepted block and processing blocks on the preferred chain. */
  isPreferred(id: BlockId): boolean;
  lastAccepted(): { id: BlockId; height: number };
  /** Tail of the strongly preferred chain. */
  preference(): BlockId;
  /** Preferred block at a height (last accepted or processing heights only). */
  preferenceAtHeight(height: number): BlockId | undefined;
  /** Known parent of an accepted-or-processing block. */
  parentOf(id: BlockId): BlockId | undefined;
  /**
   * Apply one finished poll. Votes must name processing blocks (or the last
   * accepted block); the engine maps raw chits to the nearest processing
   * ancestor before calling this. A vote for a block is a vote for all its
   * processing ancestors (transitive voting).
   */
  recordPoll(votes: VoteBag): PollDecisions;
}
