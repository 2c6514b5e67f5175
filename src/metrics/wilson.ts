/**
 * Wilson score interval for a binomial proportion: k successes in n trials.
 *
 * Preferred over the normal ("Wald") interval because it stays inside [0, 1]
 * and keeps sensible coverage at k = 0 or k = n, which is exactly the case
 * that matters for violation rates across a handful of seeds (0 of 5 seeds
 * unsafe still leaves an upper bound of ~43%).
 *
 *   centre    = (p̂ + z²/2n) / (1 + z²/n)
 *   halfWidth = z / (1 + z²/n) · sqrt(p̂(1−p̂)/n + z²/4n²)
 */

/** Two-sided 95% normal quantile, Φ⁻¹(0.975). */
export const Z_95 = 1.959963984540054;

/** Largest trial count accepted; far beyond any seed sweep, keeps arithmetic exact in doubles. */
export const WILSON_MAX_TRIALS = 2 ** 40;

export interface ProportionInterval {
  /** Successes. */
  k: number;
  /** Trials. */
  n: number;
  /** Point estimate k/n (0 when n = 0). */
  estimate: number;
  lower: number;
  upper: number;
}

export function wilsonInterval(k: number, n: number, z: number = Z_95): ProportionInterval {
  if (!Number.isSafeInteger(n) || n < 0 || n > WILSON_MAX_TRIALS) {
    throw new RangeError(`wilson: n must be an integer in [0, 2^40], got ${n}`);
  }
  if (!Number.isSafeInteger(k) || k < 0 || k > n) {
    throw new RangeError(`wilson: k must be an integer in [0, n=${n}], got ${k}`);
  }
  if (!Number.isFinite(z) || z <= 0) {
    throw new RangeError(`wilson: z must be a positive finite number, got ${z}`);
  }
  // No trials: no information, the whole unit interval.
  if (n === 0) return { k, n, estimate: 0, lower: 0, upper: 1 };
  const p = k / n;
  const z2 = z * z;
  const denom = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denom;
  const half = (z / denom) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  // At k = 0 (k = n) the lower (upper) bound is exactly 0 (1) in exact arithmetic;
  // pin it so rounding never reports 1e-17.
  const lower = k === 0 ? 0 : Math.max(0, centre - half);
  const upper = k === n ? 1 : Math.min(1, centre + half);
  return { k, n, estimate: p, lower, upper };
}

/** `12.5% [4.1–32.6%]`: estimate with its interval, in percent, for tables. */
export function formatInterval(iv: ProportionInterval, digits = 1): string {
  const pct = (x: number): string => (100 * x).toFixed(digits);
  return `${pct(iv.estimate)}% [${pct(iv.lower)}–${pct(iv.upper)}%]`;
}
