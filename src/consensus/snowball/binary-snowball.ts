/**
 * Binary Snowball (AvalancheGo binary_snowball.go): Snowflake plus preference
 * strength, the total number of successful polls (>= AlphaPreference) per
 * choice. The preference is the stronger choice; a tie keeps the current one
 * (lazy switch). Once finalised, the finalised snowflake choice is preferred
 * (it may, rarely, differ from the strength preference).
 */
import type { TerminationCondition } from '../params.js';
import type { ConfidenceCounters } from './confidence.js';
import { Snowflake } from './snowflake.js';
import type { BinaryInstance, Bit } from './types.js';

export class BinarySnowball extends Snowflake<Bit> implements BinaryInstance {
  private strengthPreference: Bit;
  private readonly strength: [number, number] = [0, 0];

  constructor(
    alphaPreference: number,
    terminationConditions: readonly TerminationCondition[],
    initialChoice: Bit,
    counters?: ConfidenceCounters,
    finalized = false,
  ) {
    super(alphaPreference, terminationConditions, initialChoice, counters, finalized);
    this.strengthPreference = initialChoice;
  }

  /** Seeds the strength of one choice (Unary.extend carries it over). */
  static withStrength(b: BinarySnowball, choice: Bit, strength: number): BinarySnowball {
    b.strength[choice] = strength;
    return b;
  }

  override preference(): Bit {
    return this.finalized() ? super.preference() : this.strengthPreference;
  }

  override recordPoll(count: number, choice: Bit): void {
    if (count >= this.alphaPreference) {
      const s = this.strength[choice] + 1;
      this.strength[choice] = s;
      if (s > this.strength[choice === 0 ? 1 : 0]) this.strengthPreference = choice;
    }
    super.recordPoll(count, choice);
  }

  preferenceStrength(choice: Bit): number {
    return this.strength[choice];
  }

  /** AvalancheGo's String(); `Preference` is the strength preference, as there. */
  override toString(): string {
    const [s0, s1] = this.strength;
    return `SB(Preference = ${this.strengthPreference}, PreferenceStrength[0] = ${s0}, PreferenceStrength[1] = ${s1}, ${super.toString()})`;
  }
}
