/**
 * Decision-instance interfaces (AvalancheGo snow/consensus/snowball/consensus.go).
 * Instances are synchronous: the caller samples K nodes, counts the votes for
 * the poll's choice and calls recordPoll(count, choice); a poll that reached
 * no AlphaPreference majority is reported with recordUnsuccessfulPoll().
 *
 * `confidence()` is read-only state for tests and metrics: one consecutive
 * success counter per termination condition (index i counts polls that reached
 * terminationConditions[i].alphaConfidence). Slush has no counters ([]).
 */

/** Choice of a binary instance. */
export type Bit = 0 | 1;

export interface BinaryInstance {
  preference(): Bit;
  recordPoll(count: number, choice: Bit): void;
  recordUnsuccessfulPoll(): void;
  finalized(): boolean;
  confidence(): readonly number[];
}

/** An instance over an unbounded set of integer choices (block ids). */
export interface NnaryInstance {
  preference(): number;
  recordPoll(count: number, choice: number): void;
  recordUnsuccessfulPoll(): void;
  finalized(): boolean;
  confidence(): readonly number[];
}

/** An instance over one value: only confidence, no preference (AvalancheGo Unary). */
export interface UnaryInstance {
  recordPoll(count: number): void;
  recordUnsuccessfulPoll(): void;
  finalized(): boolean;
  confidence(): readonly number[];
  /** A binary instance with the same confidence, preferring `originalPreference`. */
  extend(originalPreference: Bit): BinaryInstance;
  /** An independent copy of this instance. */
  clone(): UnaryInstance;
}
