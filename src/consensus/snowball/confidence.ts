/**
 * Consecutive-success counters for one or more termination conditions, the
 * part shared by every Snowflake and Snowball variant (AvalancheGo keeps a
 * copy of this loop in each of unary/binary/nnary snowflake).
 *
 * Invariant (from AvalancheGo): conditions sorted by alphaConfidence ascending,
 * betas not increasing, so counts[i] >= counts[i+1] except after an early
 * finalisation. params.ts validates this.
 */
import type { TerminationCondition } from '../params.js';

export class ConfidenceCounters {
  private readonly counts: number[];

  constructor(private readonly conditions: readonly TerminationCondition[]) {
    this.counts = conditions.map(() => 0);
  }

  /**
   * Records a poll in which the preferred choice got `count` votes. Counters
   * whose alpha was reached are incremented in order; the first unreached alpha
   * clears its counter and every later one (a higher alpha cannot have been
   * reached either). Returns true when some counter reached its beta: the
   * caller finalises, and the remaining counters are left untouched.
   */
  record(count: number): boolean {
    const { conditions, counts } = this;
    for (let i = 0; i < conditions.length; i++) {
      const tc = conditions[i]!;
      if (count < tc.alphaConfidence) {
        counts.fill(0, i);
        return false;
      }
      const c = counts[i]! + 1;
      counts[i] = c;
      if (c >= tc.beta) return true;
    }
    return false;
  }

  reset(): void {
    this.counts.fill(0);
  }

  values(): readonly number[] {
    return this.counts;
  }

  /** Independent copy with the same counts (for Unary.extend/clone). */
  clone(): ConfidenceCounters {
    const c = new ConfidenceCounters(this.conditions);
    for (let i = 0; i < this.counts.length; i++) c.counts[i] = this.counts[i]!;
    return c;
  }
}
