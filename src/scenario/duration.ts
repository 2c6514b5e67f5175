/**
 * Durations in scenario files are strings with a unit (`250ms`, `10m`, `24h`,
 * `1.5s`), parsed to integer microseconds so that no floating-point time ever
 * reaches the engine (DESIGN.md, determinism contract).
 */
import type { Micros } from '../sim/time.js';

const UNIT_MICROS: Record<string, number> = {
  us: 1,
  µs: 1,
  ms: 1_000,
  s: 1_000_000,
  m: 60_000_000,
  h: 3_600_000_000,
  d: 86_400_000_000,
};

/** Longest duration a scenario may name: 400 days, far past the 7-day soak. */
export const MAX_DURATION_MICROS: Micros = 400 * 86_400_000_000;

export const DURATION_PATTERN = '^(0|[0-9]+(\\.[0-9]+)?(us|µs|ms|s|m|h|d))$';
const DURATION_RE = new RegExp(DURATION_PATTERN);

export const DURATION_RULE = 'must be a duration with a unit (us, ms, s, m, h, d), e.g. 250ms or 10m';

/** Parses `10m` to 600_000_000. Returns null for anything that is not a duration string. */
export function parseDuration(text: string): Micros | null {
  if (!DURATION_RE.test(text)) return null;
  if (text === '0') return 0;
  const m = /^([0-9]+(?:\.[0-9]+)?)(us|µs|ms|s|m|h|d)$/.exec(text);
  if (m === null) return null;
  const [, num, unit] = m;
  const per = UNIT_MICROS[unit ?? ''];
  if (num === undefined || per === undefined) return null;
  const micros = Math.round(Number(num) * per);
  if (!Number.isSafeInteger(micros) || micros > MAX_DURATION_MICROS) return null;
  return micros;
}

/** Formats integer microseconds with the largest unit that divides them exactly (`600000000` -> `10m`). */
export function formatDuration(micros: Micros): string {
  if (micros === 0) return '0';
  for (const unit of ['d', 'h', 'm', 's', 'ms'] as const) {
    const per = UNIT_MICROS[unit] ?? 1;
    if (micros % per === 0) return `${micros / per}${unit}`;
  }
  return `${micros}us`;
}
