/**
 * The Snowball counters of one transaction in the conflict graph (AvalancheGo
 * snow/consensus/snowstorm/snowball.go).
 *
 * How this is "one Snowball instance per conflict set": the transactions that
 * spend one input form a conflict set. With Alpha > K/2 at most one of them
 * can get Alpha votes in a poll, so
 *   - numSuccessfulPolls of each member is the set's Snowball strength for
 *     that choice (the whitepaper's d(T));
 *   - the set prefers the member with the most successful polls, ties to the
 *     one issued first (conflict-graph.ts: a transaction is preferred when no
 *     conflicting transaction is stronger; edges point at the stronger one);
 *   - confidence is the Snowflake counter of the set's last successful choice
 *     (the whitepaper's cnt): a success of another member, or a poll in which
 *     no member got Alpha votes, breaks the run, because `lastVote` then is
 *     not the previous poll. The reset is lazy: a member's counter is cleared
 *     when it next succeeds, not when the run breaks.
 * A transaction with several inputs sits in several sets and keeps one set of
 * counters for all of them, as AvalancheGo does.
 *
 * Finalisation: BetaVirtuous consecutive successes for a transaction never
 * seen in conflict (virtuous), BetaRogue once it has been (rogue; the flag
 * sticks even after the conflict is rejected).
 */
export interface TxSnowball {
  /** Polls in which this transaction got at least Alpha votes. */
  numSuccessfulPolls: number;
  /** Consecutive successful polls as of `lastVote`. */
  confidence: number;
  /** Number of the last poll this transaction succeeded in (0: never). */
  lastVote: number;
  /** Some other transaction spending one of its inputs has been seen. */
  rogue: boolean;
}

export function newTxSnowball(): TxSnowball {
  return { numSuccessfulPolls: 0, confidence: 0, lastVote: 0, rogue: false };
}

/** Confidence as of poll `currentPoll` (0 unless it succeeded in that very poll). */
export function confidenceAt(sb: TxSnowball, currentPoll: number): number {
  return sb.lastVote === currentPoll ? sb.confidence : 0;
}

/** Records a poll numbered `currentPoll` in which this transaction got at least Alpha votes. */
export function recordSuccessfulPoll(sb: TxSnowball, currentPoll: number): void {
  // Not voted for in the previous poll: the run was broken there.
  if (sb.lastVote + 1 !== currentPoll) sb.confidence = 0;
  sb.lastVote = currentPoll;
  sb.numSuccessfulPolls++;
  sb.confidence++;
}

export function isFinalized(sb: TxSnowball, betaVirtuous: number, betaRogue: number): boolean {
  return (!sb.rogue && sb.confidence >= betaVirtuous) || sb.confidence >= betaRogue;
}
