/**
 * Flat (AvalancheGo flat.go): a vote-bag front for an n-ary instance. A poll's
 * bag is reduced to its mode (the choice with the most votes) and that count
 * is recorded; the poll was successful when the mode reached AlphaPreference.
 *
 * Ties: AlphaPreference > K/2 and a bag of at most K votes make a tie at or
 * above AlphaPreference impossible, so the winner only matters below it,
 * where the poll is unsuccessful whichever choice is named. AvalancheGo picks
 * by map order; this picks the smallest id, so results never depend on the
 * bag's insertion order.
 */
import type { NnaryInstance } from './types.js';

/** Votes of one poll: choice -> votes. */
export type VoteBag = ReadonlyMap<number, number>;

export interface Mode {
  choice: number;
  count: number;
}

/** Whether `votes` for `c` beat the mode so far (`count` votes for `choice`): more votes, or as many and a smaller id. */
function beats(c: number, votes: number, choice: number, count: number): boolean {
  return votes > count || (votes === count && votes > 0 && c < choice);
}

/** Most-voted choice (smallest id on ties); count 0 and choice NaN for an empty bag. */
export function modeOf(bag: VoteBag): Mode {
  let choice = Number.NaN;
  let count = 0;
  for (const [c, n] of bag) {
    if (beats(c, n, choice, count)) {
      choice = c;
      count = n;
    }
  }
  return { choice, count };
}

/** modeOf over the first `n` (ids[i], counts[i]) entries (a bag without a Map, for hot paths). */
export function modeOfEntries(ids: readonly number[], counts: readonly number[], n: number): Mode {
  let choice = Number.NaN;
  let count = 0;
  for (let i = 0; i < n; i++) {
    if (beats(ids[i]!, counts[i]!, choice, count)) {
      choice = ids[i]!;
      count = counts[i]!;
    }
  }
  return { choice, count };
}

export class Flat {
  constructor(
    readonly instance: NnaryInstance,
    private readonly alphaPreference: number,
  ) {}

  /** Records the bag's mode; returns whether the poll was successful (mode >= AlphaPreference). */
  recordVotes(bag: VoteBag): boolean {
    const { choice, count } = modeOf(bag);
    // An empty bag names no choice; as in AvalancheGo it is recorded as a poll
    // of 0 votes (unsuccessful, and ignored once finalised).
    this.instance.recordPoll(count, count === 0 ? this.instance.preference() : choice);
    return count >= this.alphaPreference;
  }

  preference(): number {
    return this.instance.preference();
  }

  recordUnsuccessfulPoll(): void {
    this.instance.recordUnsuccessfulPoll();
  }

  finalized(): boolean {
    return this.instance.finalized();
  }

  confidence(): readonly number[] {
    return this.instance.confidence();
  }
}
