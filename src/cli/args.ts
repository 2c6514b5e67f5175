/** Parsers for flag values; each throws a UsageError naming the flag and the rule. */
import { parseDuration } from '../scenario/duration.js';
import { UsageError } from './errors.js';

export function parseSeed(text: string): number {
  if (!/^[0-9]+$/.test(text) || Number(text) > 2 ** 32 - 1) throw new UsageError(`--seed: must be an integer from 0 to ${2 ** 32 - 1}, got "${text}"`);
  return Number(text);
}

export function parseWorkers(text: string): number {
  if (!/^[0-9]+$/.test(text) || Number(text) < 1 || Number(text) > 256) throw new UsageError(`--workers: must be an integer from 1 to 256, got "${text}"`);
  return Number(text);
}

/** `1,2,17` -> [1, 2, 17]. */
export function parseNodeList(text: string): number[] {
  const parts = text.split(',').map((s) => s.trim());
  if (parts.length > 10_000 || parts.some((p) => !/^[0-9]+$/.test(p))) throw new UsageError(`--trace-nodes: must be comma-separated node ids, e.g. 1,2,17, got "${text}"`);
  return parts.map(Number);
}

/** `10s..20s` -> [10_000_000, 20_000_000] µs; either end may be empty. */
export function parseWindow(text: string): { fromMicros?: number; toMicros?: number } {
  // Split on the one '..'; each side may itself hold a decimal point (2.5s).
  const m = /^((?:[^.]|\.(?!\.))*)\.\.((?:[^.]|\.(?!\.))*)$/.exec(text);
  const rule = `--trace-window: must be FROM..TO with durations, e.g. 10s..20s or 1m.., got "${text}"`;
  if (m === null) throw new UsageError(rule);
  const [, a = '', b = ''] = m;
  const from = a === '' ? undefined : parseDuration(a);
  const to = b === '' ? undefined : parseDuration(b);
  if (from === null || to === null) throw new UsageError(rule);
  if (from !== undefined && to !== undefined && to <= from) throw new UsageError(`--trace-window: FROM must be before TO, got "${text}"`);
  return { ...(from === undefined ? {} : { fromMicros: from }), ...(to === undefined ? {} : { toMicros: to }) };
}

/** `--max-wall 2h` -> seconds: a duration with a unit, above zero. */
export function parseMaxWall(text: string): number {
  const micros = parseDuration(text);
  if (micros === null || micros <= 0) throw new UsageError(`--max-wall: must be a wall-time duration above 0 with a unit (s, m, h, d), e.g. 30s or 2h, got "${text}"`);
  return micros / 1e6;
}
