/**
 * The adaptive request timeout (AvalancheGo utils/timer/
 * adaptive_timeout_manager.go), sans-I/O: the caller sets its own timer for
 * the duration `put` returns and reports the response or the timer firing.
 *
 * The timeout is `coefficient × average latency`, clamped to
 * [minimum, maximum]; the average is a continuous EWMA with the given
 * halflife (averager.ts), seeded with the initial timeout. A request whose
 * latency is measured feeds the average when it leaves the manager — when
 * answered, and also when it times out (its latency is then at least the
 * timeout it was given, so a run of timeouts raises the timeout towards the
 * maximum, as in AvalancheGo). Requests to oneself and Puts are not measured
 * (chain_router.go RegisterRequest); that choice belongs to the caller.
 *
 * Defaults (utils/constants/networking.go): initial 5 s, minimum 2 s,
 * maximum 10 s, halflife 5 min, coefficient 2. Validity as config.go
 * getAdaptiveTimeoutConfig checks it, in that order.
 */
import type { Micros } from '../host.js';
import { ContinuousAverager } from './averager.js';
import { type ConfigProblem, showUs } from './problems.js';

export interface AdaptiveTimeoutConfig {
  readonly initialUs: Micros;
  readonly minimumUs: Micros;
  readonly maximumUs: Micros;
  /** Halflife of the latency average: larger is less volatile. */
  readonly halflifeUs: Micros;
  /** Timeout = coefficient × average latency; must be >= 1. */
  readonly coefficient: number;
}

export const DEFAULT_ADAPTIVE_TIMEOUT: AdaptiveTimeoutConfig = Object.freeze({
  initialUs: 5_000_000,
  minimumUs: 2_000_000,
  maximumUs: 10_000_000,
  halflifeUs: 300_000_000,
  coefficient: 2,
});

/** AvalancheGo's checks (config.go getAdaptiveTimeoutConfig), every failure in its order; empty when valid. */
export function adaptiveTimeoutProblems(c: AdaptiveTimeoutConfig): ConfigProblem[] {
  const out: ConfigProblem[] = [];
  for (const [field, v] of [
    ['initial', c.initialUs],
    ['minimum', c.minimumUs],
    ['maximum', c.maximumUs],
    ['halflife', c.halflifeUs],
  ] as const) {
    if (!Number.isSafeInteger(v)) out.push({ field, message: `must be a whole number of microseconds (got ${v})` });
  }
  if (out.length > 0) return out;
  if (!(c.minimumUs >= 1)) out.push({ field: 'minimum', message: `fails 0 < minimum (minimum = ${showUs(c.minimumUs)})` });
  else if (c.minimumUs > c.maximumUs) {
    out.push({ field: 'maximum', message: `fails minimum <= maximum (${showUs(c.minimumUs)} > ${showUs(c.maximumUs)})` });
  } else if (c.initialUs < c.minimumUs || c.initialUs > c.maximumUs) {
    out.push({
      field: 'initial',
      message: `fails minimum <= initial <= maximum (${showUs(c.minimumUs)} <= ${showUs(c.initialUs)} <= ${showUs(c.maximumUs)})`,
    });
  }
  if (!(c.halflifeUs > 0)) out.push({ field: 'halflife', message: `fails 0 < halflife (halflife = ${showUs(c.halflifeUs)})` });
  if (!(c.coefficient >= 1)) out.push({ field: 'coefficient', message: `fails 1 <= coefficient (coefficient = ${c.coefficient})` });
  return out;
}

interface Pending {
  readonly start: Micros;
  readonly measureLatency: boolean;
}

export class AdaptiveTimeoutManager {
  private readonly averager: ContinuousAverager;
  private current: Micros;
  private readonly pendingRequests = new Map<number, Pending>();
  private timeoutCount = 0;

  constructor(
    private readonly cfg: AdaptiveTimeoutConfig,
    now: Micros,
  ) {
    const problems = adaptiveTimeoutProblems(cfg);
    if (problems.length > 0) throw new RangeError(`adaptive timeout: ${problems[0]!.field} ${problems[0]!.message}`);
    this.current = cfg.initialUs;
    this.averager = new ContinuousAverager(cfg.initialUs, cfg.halflifeUs, now);
  }

  /** The timeout a request registered now gets. */
  timeoutDuration(): Micros {
    return this.current;
  }

  /** The latency average the timeout follows (microseconds, fractional). */
  averageLatency(): number {
    return this.averager.read();
  }

  /**
   * Registers request `id` (replacing a pending one with the same id, which
   * counts as removed now) and returns its timeout: the caller's timer delay.
   */
  put(id: number, now: Micros, measureLatency: boolean): Micros {
    this.remove(id, now);
    this.pendingRequests.set(id, { start: now, measureLatency });
    return this.current;
  }

  /** The response arrived (or the request is no longer expected). False when `id` was not pending. */
  remove(id: number, now: Micros): boolean {
    const p = this.pendingRequests.get(id);
    if (p === undefined) return false;
    this.pendingRequests.delete(id);
    if (p.measureLatency) this.observeLatency(now - p.start, now);
    return true;
  }

  /** The caller's timer for `id` fired: removed like a response, and counted as a timeout. */
  timedOut(id: number, now: Micros): boolean {
    const removed = this.remove(id, now);
    if (removed) this.timeoutCount++;
    return removed;
  }

  /** Registers a latency measured outside a request (ObserveLatency). */
  observeLatency(latency: Micros, now: Micros): void {
    this.averager.observe(latency, now);
    const t = Math.trunc(this.cfg.coefficient * this.averager.read());
    this.current = Math.min(this.cfg.maximumUs, Math.max(this.cfg.minimumUs, t));
  }

  isPending(id: number): boolean {
    return this.pendingRequests.has(id);
  }

  pending(): number {
    return this.pendingRequests.size;
  }

  /** Requests that timed out so far (the `timeouts` metric). */
  timeouts(): number {
    return this.timeoutCount;
  }
}
