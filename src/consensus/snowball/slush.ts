/**
 * Slush (AvalancheGo binary_slush.go / nnary_slush.go): the preference is the
 * choice of the last successful poll, or the initial choice before any.
 *
 * AvalancheGo's slush only holds a preference and is told of successful polls
 * by Snowflake; here it is also a stand-alone instance, so recordPoll applies
 * the AlphaPreference threshold itself. Slush never finalises and keeps no
 * confidence.
 */
import type { BinaryInstance, Bit, NnaryInstance } from './types.js';

const NO_CONFIDENCE: readonly number[] = Object.freeze([]);

export class Slush<C extends number> {
  private pref: C;

  constructor(
    private readonly alphaPreference: number,
    initialChoice: C,
  ) {
    this.pref = initialChoice;
  }

  preference(): C {
    return this.pref;
  }

  /** The poll reached AlphaPreference for `choice` (what Snowflake reports). */
  recordSuccessfulPoll(choice: C): void {
    this.pref = choice;
  }

  recordPoll(count: number, choice: C): void {
    if (count >= this.alphaPreference) this.pref = choice;
  }

  recordUnsuccessfulPoll(): void {}

  finalized(): boolean {
    return false;
  }

  confidence(): readonly number[] {
    return NO_CONFIDENCE;
  }

  /** AvalancheGo's String(): `SL(Preference = p)`. */
  toString(): string {
    return `SL(Preference = ${this.pref})`;
  }
}

export class BinarySlush extends Slush<Bit> implements BinaryInstance {}
export class NnarySlush extends Slush<number> implements NnaryInstance {}
