/**
 * Liveness checker: honest transactions must be accepted within a bound.
 *
 * The rule: a transaction may stay undecided for at most `boundUs` of
 * fault-free time, counted from its submission or from the heal of the last
 * fault, whichever is later. While a fault is active the clock does not run
 * (the bound applies "after the last fault heals"). Precisely, a transaction
 * submitted at s is late when, at some instant t with no fault active,
 *   t − max(s, lastHeal(t)) > bound
 * and it is still undecided, where lastHeal(t) is the latest heal before t.
 * With no faults this is simply "accepted within bound of submission".
 *
 * Feed it: `submitted` (honest submissions, in time order), `accepted` (first
 * honest acceptance of a transaction; repeats and unknown ids are ignored),
 * `faultStarted` / `faultHealed` (overlapping faults nest), then `finish(end)`.
 * A transaction that crossed its bound before a new fault began is caught when
 * that fault starts (the pending list is swept then), so a later fault never
 * excuses an earlier stall.
 *
 * Byzantine nodes are not faults here: their strategy is part of the setup and
 * the bound runs from submission. A fault still active at the end means the
 * bound is not in force: what is pending then is reported in `pending`, not in
 * `undecided` (end runs at least `bound` after the last heal to judge them).
 */
import type { Micros } from '../consensus/host.js';
import type { TxId } from '../consensus/snowman/block.js';
import type { LivenessSummary } from './summary.js';
import { toMillis } from '../sim/time.js';

export interface LivenessCheckerOptions {
  /** Largest fault-free wait allowed, µs. */
  boundUs: Micros;
  /** Most undecided transactions held at once; more is a labelled failure. Default 10,000,000. */
  maxPending?: number;
  /** Late transactions kept in full (all are counted). Default 16. */
  maxExamples?: number;
}

export interface LateTransaction {
  tx: TxId;
  submittedUs: Micros;
  /** Null when still undecided at the end. */
  acceptedUs: Micros | null;
}

export interface LivenessReport {
  /** No transaction was accepted late and none is undecided past its bound. */
  ok: boolean;
  boundUs: Micros;
  submitted: number;
  accepted: number;
  /** Accepted, but after their bound. */
  lateAccepted: number;
  /** Undecided at the end, whatever their age. */
  pending: number;
  /** Undecided at the end and past their bound. */
  undecided: number;
  /** Age at the end of the oldest undecided transaction (null when none). */
  oldestPendingAgeUs: Micros | null;
  faultActiveAtEnd: boolean;
  lastHealUs: Micros | null;
  /** Largest submission-to-acceptance time seen (null when nothing was accepted). */
  maxLatencyUs: Micros | null;
  examples: LateTransaction[];
}

export class LivenessChecker {
  private readonly bound: Micros;
  private readonly maxPending: number;
  private readonly maxExamples: number;
  /** Undecided transactions → submission time; insertion order is submission order. */
  private readonly pending = new Map<TxId, Micros>();
  /** Pending transactions already known to be past their bound (found when a fault began). */
  private readonly markedLate = new Set<TxId>();
  private readonly examples: LateTransaction[] = [];
  private activeFaults = 0;
  private lastHeal: Micros | null = null;
  private lastSubmit: Micros = 0;
  private submittedCount = 0;
  private acceptedCount = 0;
  private lateAccepted = 0;
  private maxLatency: Micros | null = null;
  private finished: LivenessReport | null = null;

  constructor(opts: LivenessCheckerOptions) {
    if (!Number.isSafeInteger(opts.boundUs) || opts.boundUs <= 0) {
      throw new RangeError(`liveness: boundUs must be a positive integer (µs), got ${opts.boundUs}`);
    }
    this.bound = opts.boundUs;
    this.maxPending = opts.maxPending ?? 10_000_000;
    this.maxExamples = opts.maxExamples ?? 16;
    if (!Number.isSafeInteger(this.maxPending) || this.maxPending < 1) {
      throw new RangeError(`liveness: maxPending must be a positive integer, got ${this.maxPending}`);
    }
  }

  submitted(tx: TxId, timeUs: Micros): void {
    this.assertOpen();
    if (timeUs < this.lastSubmit) {
      throw new RangeError(`liveness: submissions must come in time order (${timeUs} µs after ${this.lastSubmit} µs)`);
    }
    if (this.pending.has(tx)) return; // a client retry keeps its first submission time
    if (this.pending.size >= this.maxPending) {
      throw new RangeError(`liveness: more than maxPending=${this.maxPending} undecided transactions`);
    }
    this.lastSubmit = timeUs;
    this.pending.set(tx, timeUs);
    this.submittedCount++;
  }

  accepted(tx: TxId, timeUs: Micros): void {
    this.assertOpen();
    const s = this.pending.get(tx);
    if (s === undefined) return;
    this.pending.delete(tx);
    this.acceptedCount++;
    const latency = timeUs - s;
    if (this.maxLatency === null || latency > this.maxLatency) this.maxLatency = latency;
    const late = this.markedLate.delete(tx) || (this.activeFaults === 0 && timeUs - this.clockStart(s) > this.bound);
    if (late) {
      this.lateAccepted++;
      this.example({ tx, submittedUs: s, acceptedUs: timeUs });
    }
  }

  faultStarted(timeUs: Micros): void {
    this.assertOpen();
    if (this.activeFaults === 0) this.sweep(timeUs);
    this.activeFaults++;
  }

  faultHealed(timeUs: Micros): void {
    this.assertOpen();
    if (this.activeFaults === 0) throw new RangeError(`liveness: faultHealed at ${timeUs} µs with no fault active`);
    this.activeFaults--;
    if (this.activeFaults === 0) this.lastHeal = timeUs;
  }

  /** Closes the checker at the end of the run; later calls return the same report. */
  finish(endUs: Micros): LivenessReport {
    if (this.finished !== null) return this.finished;
    const faultActive = this.activeFaults > 0;
    if (!faultActive) this.sweep(endUs);
    let oldest: Micros | null = null;
    for (const s of this.pending.values()) {
      oldest = s; // insertion order is submission order: the first is the oldest
      break;
    }
    for (const tx of this.markedLate) {
      if (this.examples.length >= this.maxExamples) break;
      const s = this.pending.get(tx);
      if (s !== undefined) this.example({ tx, submittedUs: s, acceptedUs: null });
    }
    const undecided = this.markedLate.size;
    this.finished = {
      ok: this.lateAccepted === 0 && undecided === 0,
      boundUs: this.bound,
      submitted: this.submittedCount,
      accepted: this.acceptedCount,
      lateAccepted: this.lateAccepted,
      pending: this.pending.size,
      undecided,
      oldestPendingAgeUs: oldest === null ? null : endUs - oldest,
      faultActiveAtEnd: faultActive,
      lastHealUs: this.lastHeal,
      maxLatencyUs: this.maxLatency,
      examples: this.examples.slice(),
    };
    return this.finished;
  }

  /** Mark every pending transaction past its bound at `t` (no fault active up to t). */
  private sweep(t: Micros): void {
    for (const [tx, s] of this.pending) {
      // Pending is in submission order; once one is within its bound, all later ones are.
      if (t - this.clockStart(s) <= this.bound) break;
      this.markedLate.add(tx);
    }
  }

  /** When the bound's clock started for a transaction submitted at s. */
  private clockStart(s: Micros): Micros {
    return this.lastHeal === null ? s : Math.max(s, this.lastHeal);
  }

  private example(e: LateTransaction): void {
    if (this.examples.length < this.maxExamples) this.examples.push(e);
  }

  private assertOpen(): void {
    if (this.finished !== null) throw new Error('liveness: checker already finished');
  }
}

/** The RunSummary.liveness section. */
export function livenessSummary(r: LivenessReport): LivenessSummary {
  return { ok: r.ok, undecided: r.undecided, lateAccepted: r.lateAccepted, boundMs: toMillis(r.boundUs) };
}
