/**
 * Forged chits. The asker applies a chit to the nearest processing ancestor of
 * `preferredId`, else of `preferredIdAtHeight`, else drops it
 * (snowman-node.ts castVote), so a forged vote names its target in both
 * fields. A vote for the last accepted block has no processing ancestor at the
 * asker: it is received (the poll can end early) but counts for nothing.
 */
import type { ChitsAnswer } from '../consensus/engine/behaviour.js';
import type { BlockId } from '../consensus/snowman/block.js';

/** Chits voting for `target`, keeping the honest last-accepted report. */
export function voteFor(honest: ChitsAnswer, target: BlockId): ChitsAnswer {
  return { ...honest, preferredId: target, preferredIdAtHeight: target };
}

/** Chits that vote for nothing still processing: the answerer's last accepted block. */
export function voteLastAccepted(honest: ChitsAnswer): ChitsAnswer {
  return voteFor(honest, honest.acceptedId);
}
