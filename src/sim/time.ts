/**
 * Virtual time. Every instant in avsim is an integer number of microseconds
 * since the start of the run; floating-point time never takes part in event
 * ordering (DESIGN.md, determinism contract).
 */
export type Micros = number;

export const MICROS_PER_MS = 1_000;
export const MICROS_PER_SECOND = 1_000_000;

/** Milliseconds (possibly fractional) to integer microseconds. */
export function fromMillis(ms: number): Micros {
  return Math.round(ms * MICROS_PER_MS);
}

/** Seconds (possibly fractional) to integer microseconds. */
export function fromSeconds(s: number): Micros {
  return Math.round(s * MICROS_PER_SECOND);
}

export function toMillis(t: Micros): number {
  return t / MICROS_PER_MS;
}

export function toSeconds(t: Micros): number {
  return t / MICROS_PER_SECOND;
}

/** Throws unless `t` is a non-negative safe integer: catches float time early. */
export function assertMicros(t: number, what: string): asserts t is Micros {
  if (!Number.isSafeInteger(t) || t < 0) {
    throw new RangeError(`${what}: time must be a non-negative integer number of microseconds, got ${t}`);
  }
}
