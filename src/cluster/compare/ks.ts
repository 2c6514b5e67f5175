/**
 * Kolmogorov–Smirnov distance between two latency distributions given as
 * CDF points (ascending ms, fraction of samples <= ms), as run summaries
 * carry them (RunSummary.latencyCdf: 100 quantile points of a 0.1%-bucket
 * histogram). D = sup over x of |F1(x) − F2(x)|, both CDFs taken as step
 * functions through their points. Resolution: the histogram's 0.1% buckets
 * and 100 points, so D is exact to about 0.01.
 */
export interface CdfPoint {
  readonly ms: number;
  readonly fraction: number;
}

/** F(x): the largest fraction whose ms <= x (0 before the first point). */
export function cdfAt(cdf: readonly CdfPoint[], x: number): number {
  let lo = 0;
  let hi = cdf.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cdf[mid]!.ms <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo === 0 ? 0 : cdf[lo - 1]!.fraction;
}

export function ksDistance(a: readonly CdfPoint[], b: readonly CdfPoint[]): number {
  if (a.length === 0 || b.length === 0) return a.length === b.length ? 0 : 1;
  let d = 0;
  for (const x of [...a, ...b].map((p) => p.ms)) {
    const diff = Math.abs(cdfAt(a, x) - cdfAt(b, x));
    if (diff > d) d = diff;
  }
  return Math.round(d * 1e4) / 1e4;
}
