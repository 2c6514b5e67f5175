/** Small statistics for reports: means with 95% confidence intervals, and the a + b·ln(N) fit. */
import { mean, sampleStandardDeviation } from 'simple-statistics';

/** Two-sided 95% Student t quantiles for 1..30 degrees of freedom; 1.96 beyond. */
const T95 = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131, 2.12, 2.11, 2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042];

export interface MeanCi {
  mean: number;
  /** 95% confidence interval of the mean (equal to the mean for one sample). */
  lo: number;
  hi: number;
  n: number;
}

/** Over the finite values (a null, a run with nothing to measure, is left out; n says how many counted). */
export function meanCi(values: ReadonlyArray<number | null>): MeanCi {
  const xs = values.filter((x): x is number => x !== null && Number.isFinite(x));
  if (xs.length === 0) return { mean: Number.NaN, lo: Number.NaN, hi: Number.NaN, n: 0 };
  const m = mean(xs);
  if (xs.length === 1) return { mean: m, lo: m, hi: m, n: 1 };
  const half = (T95[xs.length - 2] ?? 1.96) * (sampleStandardDeviation(xs) / Math.sqrt(xs.length));
  return { mean: m, lo: m - half, hi: m + half, n: xs.length };
}

export interface LogFit {
  a: number;
  b: number;
  r2: number;
}

/** Least squares y = a + b·ln(x); null with fewer than two distinct x. */
export function fitLog(points: ReadonlyArray<{ x: number; y: number }>): LogFit | null {
  const ps = points.filter((p) => p.x > 0 && Number.isFinite(p.y));
  if (new Set(ps.map((p) => p.x)).size < 2) return null;
  const lx = ps.map((p) => Math.log(p.x));
  const ys = ps.map((p) => p.y);
  const mx = mean(lx);
  const my = mean(ys);
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < ps.length; i++) {
    const dx = (lx[i] ?? 0) - mx;
    const dy = (ys[i] ?? 0) - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  const b = sxy / sxx;
  const a = my - b * mx;
  // All y equal: the flat line fits exactly.
  const r2 = syy === 0 ? 1 : (sxy * sxy) / (sxx * syy);
  return { a, b, r2 };
}
