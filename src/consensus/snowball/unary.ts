/**
 * Unary Snowflake and Snowball (AvalancheGo unary_snowflake.go /
 * unary_snowball.go): confidence in a single value, used where a decision has
 * no conflict yet; extend() turns it into a binary instance that keeps the
 * confidence gathered so far (what AvalancheGo's snowball tree does when a
 * conflicting choice appears).
 *
 * As in AvalancheGo, recordPoll(count) does not check AlphaPreference (its
 * caller does) and keeps counting after finalisation.
 */
import type { TerminationCondition } from '../params.js';
import { BinarySnowball } from './binary-snowball.js';
import { ConfidenceCounters } from './confidence.js';
import { BinarySnowflake, goInts } from './snowflake.js';
import type { BinaryInstance, Bit, UnaryInstance } from './types.js';

export class UnarySnowflake implements UnaryInstance {
  protected counters: ConfidenceCounters;
  protected done = false;

  constructor(
    protected readonly alphaPreference: number,
    protected readonly terminationConditions: readonly TerminationCondition[],
  ) {
    this.counters = new ConfidenceCounters(terminationConditions);
  }

  recordPoll(count: number): void {
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

  /** AvalancheGo's String(): `SF(Confidence = [c], Finalized = f)`. */
  toString(): string {
    return `SF(Confidence = ${goInts(this.counters.values())}, Finalized = ${this.done})`;
  }

  extend(originalPreference: Bit): BinaryInstance {
    return new BinarySnowflake(
      this.alphaPreference,
      this.terminationConditions,
      originalPreference,
      this.counters.clone(),
      this.done,
    );
  }

  clone(): UnaryInstance {
    const c = new UnarySnowflake(this.alphaPreference, this.terminationConditions);
    this.copyInto(c);
    return c;
  }

  protected copyInto(c: UnarySnowflake): void {
    c.counters = this.counters.clone();
    c.done = this.done;
  }
}

export class UnarySnowball extends UnarySnowflake {
  /** Number of polls that reached AlphaPreference. */
  private strength = 0;

  override recordPoll(count: number): void {
    if (count >= this.alphaPreference) this.strength++;
    super.recordPoll(count);
  }

  preferenceStrength(): number {
    return this.strength;
  }

  override toString(): string {
    return `SB(PreferenceStrength = ${this.strength}, ${super.toString()})`;
  }

  override extend(originalPreference: Bit): BinaryInstance {
    const b = new BinarySnowball(
      this.alphaPreference,
      this.terminationConditions,
      originalPreference,
      this.counters.clone(),
      this.done,
    );
    return BinarySnowball.withStrength(b, originalPreference, this.strength);
  }

  override clone(): UnaryInstance {
    const c = new UnarySnowball(this.alphaPreference, this.terminationConditions);
    this.copyInto(c);
    c.strength = this.strength;
    return c;
  }
}
