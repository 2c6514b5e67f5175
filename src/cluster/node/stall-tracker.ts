/**
 * Notices when this process was frozen (SIGSTOP, a pause fault) rather than
 * merely busy: a 50 ms tick that comes more than a second late. Messages
 * meant to arrive during such a freeze are late because of the fault, not
 * because of the latency emulation, so they are left out of the emulation
 * error (and counted apart).
 */
import type { Micros } from '../../consensus/host.js';
import type { RunClock } from '../host/clock.js';

const TICK_MS = 50;
const FROZEN_US = 1_000_000;
/** Frames meant to arrive this shortly before a freeze may still have been in flight when it began. */
const MARGIN_US = 100_000;
const KEEP = 64;

export class StallTracker {
  private last: Micros;
  private readonly stalls: Array<{ from: Micros; to: Micros }> = [];
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly clock: RunClock) {
    this.last = clock.nowUs();
    this.timer = setInterval(() => this.tick(), TICK_MS);
    this.timer.unref();
  }

  private tick(): void {
    const now = this.clock.nowUs();
    if (now - this.last > FROZEN_US) {
      this.stalls.push({ from: this.last, to: now });
      if (this.stalls.length > KEEP) this.stalls.shift();
    }
    this.last = now;
  }

  /** Whether a message intended to arrive at `intendedUs` and arriving now was held up by a freeze. */
  frozenAt(intendedUs: Micros): boolean {
    // The tick that ends a freeze may not have run yet when the first late frames are read.
    if (this.clock.nowUs() - this.last > FROZEN_US && intendedUs >= this.last - MARGIN_US) return true;
    for (const s of this.stalls) if (intendedUs >= s.from - MARGIN_US && intendedUs <= s.to) return true;
    return false;
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
