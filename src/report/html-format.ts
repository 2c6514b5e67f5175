/** Text helpers of the report page (src/report/html.ts) and its tables. */
import type { RunSummary } from '../metrics/summary.js';
import type { MeanCi } from './stats.js';

export function escapeHtml(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;').replaceAll("'", '&#39;');
}

export const fmt = (x: number | null | undefined, digits = 1): string => (x === null || x === undefined || !Number.isFinite(x) ? '–' : x.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }));
export const ci = (m: MeanCi, digits = 1): string => (m.n > 1 ? `${fmt(m.mean, digits)} <span class="ci">±${fmt((m.hi - m.lo) / 2, digits)}</span>` : fmt(m.mean, digits));
export const pct = (x: number): string => (Number.isFinite(x) ? `${(x * 100).toFixed(1)}%` : '–');
/** A sweep point as the report shows it: `k=v, k=v`, or a dash for a plain run. */
export const pointLabel = (p: RunSummary['point']): string => Object.entries(p).map(([k, v]) => `${k}=${String(v)}`).join(', ') || '–';
