/** Small statistics for the benches. */

/** Median; NaN for no values. */
export function median(xs: readonly number[]): number {
  if (xs.length === 0) return NaN;
  const s = xs.toSorted((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** Number formatting for tables: fixed decimals with thousands separators; '' for NaN. */
export function fmt(x: number, decimals = 0): string {
  if (!Number.isFinite(x)) return '';
  return x.toLocaleString('en-US', { maximumFractionDigits: decimals, minimumFractionDigits: decimals });
}

export const MiB = 2 ** 20;
export const GiB = 2 ** 30;
