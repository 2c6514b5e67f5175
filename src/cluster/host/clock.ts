/**
 * The real node's clock: integer microseconds since the run's epoch, read
 * from process.hrtime (CLOCK_MONOTONIC on Linux). The monotonic clock is one
 * system-wide clock, so every node process on this machine, and a node
 * respawned after kill -9, agrees on "now" to the microsecond: the harness
 * picks the epoch once and hands it to every process. Time never goes back.
 */
import type { Micros } from '../../consensus/host.js';

/** Current monotonic time in nanoseconds (system-wide on Linux). */
export function monotonicNs(): bigint {
  return process.hrtime.bigint();
}

export class RunClock {
  /** @param epochNs the monotonic instant that is time 0 of the run (set later with start() when not yet known). */
  constructor(private epoch: bigint | undefined = undefined) {}

  get epochNs(): bigint | undefined {
    return this.epoch;
  }

  get started(): boolean {
    return this.epoch !== undefined;
  }

  /** Fixes time 0 (once). */
  start(epochNs: bigint): void {
    if (this.epoch !== undefined && this.epoch !== epochNs) throw new RangeError('epochNs: the run clock is already started at another epoch');
    this.epoch = epochNs;
  }

  /** µs since the epoch (negative before the run starts). */
  nowUs(): Micros {
    if (this.epoch === undefined) return 0;
    return Number((monotonicNs() - this.epoch) / 1000n);
  }

  /** Milliseconds from now until run time `t` (for setTimeout), >= 0. */
  msUntil(t: Micros): number {
    return Math.max(0, (t - this.nowUs()) / 1000);
  }
}
