/**
 * N-ary Snowball (AvalancheGo nnary_snowball.go): Snowflake plus preference
 * strength per choice. A choice becomes preferred when its strength exceeds
 * the largest strength seen so far (ties keep the current preference). Once
 * finalised, the finalised snowflake choice is preferred.
 */
import type { TerminationCondition } from '../params.js';
import { Snowflake } from './snowflake.js';
import type { NnaryInstance } from './types.js';

export class NnarySnowball extends Snowflake<number> implements NnaryInstance {
  private strengthPreference: number;
  private maxStrength = 0;
  /** Allocated on the first successful poll: most instances in Snowman never need it twice. */
  private strength: Map<number, number> | undefined;

  constructor(alphaPreference: number, terminationConditions: readonly TerminationCondition[], initialChoice: number) {
    super(alphaPreference, terminationConditions, initialChoice);
    this.strengthPreference = initialChoice;
  }

  override preference(): number {
    return this.finalized() ? super.preference() : this.strengthPreference;
  }

  override recordPoll(count: number, choice: number): void {
    if (count >= this.alphaPreference) {
      this.strength ??= new Map();
      const s = (this.strength.get(choice) ?? 0) + 1;
      this.strength.set(choice, s);
      if (s > this.maxStrength) {
        this.strengthPreference = choice;
        this.maxStrength = s;
      }
    }
    super.recordPoll(count, choice);
  }

  preferenceStrength(choice: number): number {
    return this.strength?.get(choice) ?? 0;
  }
}
