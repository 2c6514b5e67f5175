/**
 * A continuous-time exponentially weighted average (AvalancheGo
 * utils/math/continuous_averager.go): an observation made `dt` after the
 * previous one scales the weight of everything before it by
 * exp(−dt · ln 2 / halflife), so after one halflife the past counts half.
 *
 *   weightedSum ← value + w · weightedSum
 *   normalizer  ← 1     + w · normalizer
 *   read()      =  weightedSum / normalizer
 *
 * Observations at the same instant add with weight 1 each; an observation
 * older than the last one is added with a discounted weight and does not
 * move the clock (AvalancheGo's out-of-order case). Time is integer
 * microseconds, as everywhere in src/consensus.
 */
import type { Micros } from '../host.js';

export class ContinuousAverager {
  /** halflife / ln 2: the time constant of the exponential decay. */
  private readonly tau: number;
  private weightedSum: number;
  private normalizer = 1;
  private lastUpdated: Micros;

  /** Starts at `initialPrediction`, worth one observation made at `now`. */
  constructor(initialPrediction: number, halflifeUs: Micros, now: Micros) {
    if (!(halflifeUs > 0)) throw new RangeError(`averager halflife must be > 0, got ${halflifeUs}`);
    this.tau = halflifeUs / Math.LN2;
    this.weightedSum = initialPrediction;
    this.lastUpdated = now;
  }

  observe(value: number, now: Micros): void {
    const delta = this.lastUpdated - now;
    if (delta < 0) {
      const w = Math.exp(delta / this.tau);
      this.weightedSum = value + w * this.weightedSum;
      this.normalizer = 1 + w * this.normalizer;
      this.lastUpdated = now;
    } else if (delta === 0) {
      this.weightedSum += value;
      this.normalizer += 1;
    } else {
      const w = Math.exp(-delta / this.tau);
      this.weightedSum += w * value;
      this.normalizer += w;
    }
  }

  read(): number {
    return this.weightedSum / this.normalizer;
  }
}
