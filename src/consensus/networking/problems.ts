/**
 * A rule a configuration broke: the field (relative to its section) and the
 * inequality that failed, with the values, e.g. `fails minimum <= maximum
 * (3s > 2s)`. The scenario validator prefixes the section's path.
 */
export interface ConfigProblem {
  readonly field: string;
  readonly message: string;
}

/** Microseconds as the shortest exact duration string (`2s`, `250ms`, `17us`). */
export function showUs(us: number): string {
  if (!Number.isFinite(us)) return String(us);
  const units: Array<[string, number]> = [
    ['h', 3_600_000_000],
    ['m', 60_000_000],
    ['s', 1_000_000],
    ['ms', 1_000],
  ];
  for (const [name, size] of units) if (us !== 0 && us % size === 0) return `${us / size}${name}`;
  return `${us}us`;
}
