/**
 * Snowflake (AvalancheGo binary_snowflake.go / nnary_snowflake.go): Slush plus
 * consecutive-success counters; finalises when any termination condition's
 * counter reaches its beta.
 *
 * Resets, exactly as AvalancheGo:
 * - a poll below AlphaPreference is unsuccessful: all counters cleared;
 * - a successful poll for a choice other than the current (slush) preference
 *   clears all counters before counting this poll;
 * - a count below condition i's alphaConfidence clears counters i.. (confidence.ts).
 * Once finalised, polls are ignored.
 */
import type { TerminationCondition } from '../params.js';
import { ConfidenceCounters } from './confidence.js';
import type { BinaryInstance, Bit, NnaryInstance } from './types.js';

export class Snowflake<C extends number> {
  /**
   * Slush preference: last successful choice. Kept private (not via the
   * overridable preference()) because Snowball overrides preference() while
   * the reset on a change of preference compares against this one, as
   * AvalancheGo's embedded slush does.
   */
  private slushPreference: C;
  private readonly counters: ConfidenceCounters;
  private done = false;

  constructor(
    protected readonly alphaPreference: number,
    terminationConditions: readonly TerminationCondition[],
    initialChoice: C,
    counters?: ConfidenceCounters,
    finalized = false,
  ) {
    this.slushPreference = initialChoice;
    this.counters = counters ?? new ConfidenceCounters(terminationConditions);
    this.done = finalized;
  }

  preference(): C {
    return this.slushPreference;
  }

  recordPoll(count: number, choice: C): void {
    if (this.done) return;
    if (count < this.alphaPreference) {
      this.recordUnsuccessfulPoll();
      return;
    }
    if (choice !== this.slushPreference) this.counters.reset();
    this.slushPreference = choice;
    if (this.counters.record(count)) this.done = true;
  }

  recordUnsuccessfulPoll(): void {
    this.counters.reset();
  }

  finalized(): boolean {
    return this.done;
  }

  confidence(): readonly number[] {
    return this.counters.values();
  }

  /** AvalancheGo's String(): `SF(Confidence = [c], Finalized = f, SL(Preference = p))`. */
  toString(): string {
    return `SF(Confidence = ${goInts(this.counters.values())}, Finalized = ${this.done}, SL(Preference = ${this.slushPreference}))`;
  }
}

/** A list of integers as Go's %v prints it: `[1 2 3]`. */
export function goInts(xs: readonly number[]): string {
  return `[${xs.join(' ')}]`;
}

export class BinarySnowflake extends Snowflake<Bit> implements BinaryInstance {}
export class NnarySnowflake extends Snowflake<number> implements NnaryInstance {}
