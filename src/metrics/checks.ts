/**
 * Check expressions: `tps >= 200`, `latency.p95 <= 100ms`,
 * `safety.violations == 0`, `pollSuccessRate >= 90%`, `liveness.ok == true`.
 * Parsed once at load time (a bad expression is a validation error naming
 * the check) and evaluated against a RunSummary after the run.
 */
import { RUN_COLUMNS, type Dimension } from './run-columns.js';
import type { CheckResult, RunSummary } from './summary.js';

export type Operator = '>=' | '<=' | '>' | '<' | '==' | '!=';

interface MetricDef {
  dimension: Dimension;
  read: (s: RunSummary) => number | boolean | null;
  help: string;
}

/** Every metric a check may name: the checkable rows of the run-metrics table (src/metrics/run-columns.ts). */
export const METRICS: Readonly<Record<string, MetricDef>> = Object.fromEntries(
  RUN_COLUMNS.flatMap((c) => (c.check === undefined ? [] : [[c.check.name, { dimension: c.check.dimension, read: c.read, help: c.check.help }] as const])),
);

/** Unit suffix -> factor to the metric's native unit, by dimension. */
const UNITS: Readonly<Record<Dimension, Readonly<Record<string, number>>>> = {
  count: {},
  rate: { tps: 1, '/s': 1 },
  timeMs: { us: 0.001, µs: 0.001, ms: 1, s: 1000, m: 60_000, h: 3_600_000 },
  fraction: { '%': 0.01 },
  bytes: { B: 1, KB: 1e3, MB: 1e6, GB: 1e9, KiB: 1024, MiB: 1024 ** 2, GiB: 1024 ** 3 },
  boolean: {},
};

export interface Check {
  expr: string;
  metric: string;
  op: Operator;
  /** Threshold as written (in `unit`); for booleans 1 = true, 0 = false. */
  threshold: number;
  /** Unit as written ('' when none); the measured value is reported in it. */
  unit: string;
  /** Multiply a value in `unit` by this to get the metric's native unit. */
  factor: number;
}

export type ParseCheckResult = { ok: true; check: Check } | { ok: false; error: string };

const CHECK_RE = /^\s*([A-Za-z][A-Za-z0-9_.]*)\s*(>=|<=|==|!=|>|<)\s*(true|false|-?[0-9]+(?:\.[0-9]+)?(?:e[+-]?[0-9]+)?)\s*([A-Za-zµ%/]*)\s*$/;

/** Expressions longer than this are rejected outright. */
export const MAX_CHECK_LENGTH = 200;

export function parseCheck(expr: string): ParseCheckResult {
  if (expr.length > MAX_CHECK_LENGTH) return { ok: false, error: `longer than ${MAX_CHECK_LENGTH} characters` };
  const m = CHECK_RE.exec(expr);
  if (m === null) {
    return { ok: false, error: 'must be "<metric> <op> <number>[unit]" with op one of >= <= > < == !=, e.g. "latency.p95 <= 100ms"' };
  }
  const [, metric = '', op = '', literal = '', unit = ''] = m;
  const def = METRICS[metric];
  if (def === undefined) {
    return { ok: false, error: `unknown metric "${metric}" (known: ${Object.keys(METRICS).join(', ')})` };
  }
  if (def.dimension === 'boolean') {
    if ((literal !== 'true' && literal !== 'false') || unit !== '' || (op !== '==' && op !== '!=')) {
      return { ok: false, error: `${metric} is true/false: write "${metric} == true" or "${metric} != true"` };
    }
    return { ok: true, check: { expr, metric, op: op as Operator, threshold: literal === 'true' ? 1 : 0, unit: '', factor: 1 } };
  }
  if (literal === 'true' || literal === 'false') return { ok: false, error: `${metric} is a number, not true/false` };
  const units = UNITS[def.dimension];
  let factor = 1;
  if (unit !== '') {
    const f = units[unit];
    if (f === undefined) {
      const allowed = Object.keys(units);
      return {
        ok: false,
        error: allowed.length === 0 ? `${metric} takes no unit, got "${unit}"` : `unit "${unit}" does not fit ${metric} (use one of ${allowed.join(', ')})`,
      };
    }
    factor = f;
  }
  return { ok: true, check: { expr, metric, op: op as Operator, threshold: Number(literal), unit, factor } };
}

function compare(a: number, op: Operator, b: number): boolean {
  switch (op) {
    case '>=': return a >= b;
    case '<=': return a <= b;
    case '>': return a > b;
    case '<': return a < b;
    case '==': return a === b;
    case '!=': return a !== b;
  }
}

/** Evaluates one parsed check. A missing or non-finite metric fails the check with value null. */
export function evaluateCheck(check: Check, summary: RunSummary): CheckResult {
  const def = METRICS[check.metric];
  const raw = def === undefined ? null : def.read(summary);
  if (raw === null) return { expr: check.expr, ok: false, value: null };
  const native = typeof raw === 'boolean' ? (raw ? 1 : 0) : raw;
  if (!Number.isFinite(native)) return { expr: check.expr, ok: false, value: null };
  // Report in the check's own unit; round away float noise from the unit change.
  const value = Number((native / check.factor).toPrecision(12));
  return { expr: check.expr, ok: compare(value, check.op, check.threshold), value };
}

/** Parses and evaluates every expression; a bad expression (should have failed at load time) throws. */
export function evaluateChecks(exprs: readonly string[], summary: RunSummary): CheckResult[] {
  return exprs.map((expr) => {
    const parsed = parseCheck(expr);
    if (!parsed.ok) throw new Error(`check "${expr}": ${parsed.error}`);
    return evaluateCheck(parsed.check, summary);
  });
}
