/**
 * Zod building blocks whose error messages read as rules
 * (`must be an integer >= 1`), so that every validation line names the field
 * and the rule it broke.
 */
import { z } from 'zod';
import { DURATION_PATTERN, DURATION_RULE, parseDuration } from './duration.js';

/** The rule as a zod error map: a missing field says so instead of quoting the rule. */
export function rule(text: string) {
  return (issue: { input?: unknown }): string => (issue.input === undefined ? 'is required' : text);
}

/** An integer in [min, max]; every failure says the whole rule. */
export function int(min: number, max?: number) {
  const text = max === undefined ? `must be an integer >= ${min}` : `must be an integer from ${min} to ${max}`;
  const r = rule(text);
  const base = z.number({ error: r }).int({ error: r }).min(min, { error: r });
  return max === undefined ? base : base.max(max, { error: r });
}

/** A finite number in a range; `minExclusive`/`maxExclusive` make that end open. */
export function num(opts: { min?: number; max?: number; minExclusive?: boolean; maxExclusive?: boolean }) {
  const parts: string[] = [];
  if (opts.min !== undefined) parts.push(`${opts.minExclusive === true ? '>' : '>='} ${opts.min}`);
  if (opts.max !== undefined) parts.push(`${opts.maxExclusive === true ? '<' : '<='} ${opts.max}`);
  const r = rule(parts.length === 0 ? 'must be a number' : `must be a number ${parts.join(' and ')}`);
  let s = z.number({ error: r });
  if (opts.min !== undefined) s = opts.minExclusive === true ? s.gt(opts.min, { error: r }) : s.min(opts.min, { error: r });
  if (opts.max !== undefined) s = opts.maxExclusive === true ? s.lt(opts.max, { error: r }) : s.max(opts.max, { error: r });
  return s;
}

const DURATION_RE = new RegExp(DURATION_PATTERN);

/** The rule a malformed duration broke: a negative one is told the real rule (>= 0), not the unit syntax. */
function durationRule(issue: { input?: unknown }): string {
  const text = issue.input;
  if (typeof text === 'string' && text.startsWith('-') && DURATION_RE.test(text.slice(1))) return `must be a duration >= 0, got "${text}"`;
  return DURATION_RULE;
}

/** A duration string (`250ms`, `10m`) parsed to integer microseconds. */
export const duration = z
  .string({
    error: (issue) => {
      if (issue.input === undefined) return 'is required';
      if (typeof issue.input === 'number') return issue.input < 0 ? `must be a duration >= 0 with a unit, got ${issue.input}` : `${DURATION_RULE}; got the bare number ${issue.input}`;
      return DURATION_RULE;
    },
  })
  .regex(DURATION_RE, { error: durationRule })
  .transform((text, ctx) => {
    const micros = parseDuration(text);
    if (micros === null) {
      ctx.addIssue({ code: 'custom', message: `${DURATION_RULE} (at most 400d)` });
      return z.NEVER;
    }
    return micros;
  })
  .meta({ description: 'duration with a unit: us, ms, s, m, h, d (e.g. 250ms, 10m, 24h)' });

/** A strictly positive duration. */
export const positiveDuration = duration.refine((us) => us > 0, { error: 'must be a duration > 0' });
