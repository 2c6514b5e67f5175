/**
 * Transaction arrival times for one node's clients.
 *
 * The offered load of a scenario is split evenly over the nodes that accept
 * client traffic: each node gets its own arrival process with `share` of the
 * total rate, drawing from its own 'workload' stream. This keeps arrivals
 * independent of the order in which other nodes are processed (and of how
 * nodes are sharded across workers), and lets the simulator pull one arrival
 * at a time instead of pre-scheduling a whole soak run.
 */
import type { RandomStream } from '../sim/rng.js';
import type { Micros } from '../sim/time.js';
import { MICROS_PER_SECOND } from '../sim/time.js';

/** One phase of the offered load; rates are total transactions/s across the network. */
export type LoadPhase =
  | { kind: 'constant'; durationUs: Micros; tps: number }
  | { kind: 'poisson'; durationUs: Micros; tps: number }
  /** Linear ramp of the rate from fromTps to toTps; Poisson arrivals when `poisson`, evenly spaced otherwise. */
  | { kind: 'ramp'; durationUs: Micros; fromTps: number; toTps: number; poisson: boolean };

export function phaseRateAt(phase: LoadPhase, offsetUs: Micros): number {
  switch (phase.kind) {
    case 'constant':
    case 'poisson':
      return phase.tps;
    case 'ramp':
      return phase.fromTps + ((phase.toTps - phase.fromTps) * offsetUs) / phase.durationUs;
  }
}

/** Mean offered rate (tx/s) over all phases, weighted by duration. */
export function meanOfferedTps(phases: readonly LoadPhase[]): number {
  let txs = 0;
  let us = 0;
  for (const p of phases) {
    const mean = p.kind === 'ramp' ? (p.fromTps + p.toTps) / 2 : p.tps;
    txs += (mean * p.durationUs) / MICROS_PER_SECOND;
    us += p.durationUs;
  }
  return us === 0 ? 0 : (txs * MICROS_PER_SECOND) / us;
}

/**
 * Arrival process of one node. Works in "operational time": the cumulative
 * expected count Λ(t) = share · ∫ rate. Evenly spaced arrivals sit at
 * Λ = k + offset; Poisson arrivals add Exp(1) increments to Λ. Inverting Λ
 * gives the arrival time (a quadratic for ramps).
 */
export class ArrivalProcess {
  private phaseIndex = 0;
  private phaseStartUs: Micros;
  /** Λ reached so far within the current phase. */
  private lambda = 0;
  /** Λ of the next evenly spaced arrival within the current phase. */
  private nextEven: number;

  constructor(
    private readonly phases: readonly LoadPhase[],
    /** Fraction of the total rate this node receives, in (0, 1]. */
    private readonly share: number,
    /** Where in [0, 1) this node's evenly spaced arrivals sit, to stagger nodes. */
    private readonly offset: number,
    private readonly rng: RandomStream,
    startUs: Micros = 0,
  ) {
    if (!(share > 0 && share <= 1)) throw new RangeError(`share: must be in (0, 1], got ${share}`);
    if (!(offset >= 0 && offset < 1)) throw new RangeError(`offset: must be in [0, 1), got ${offset}`);
    this.phaseStartUs = startUs;
    this.nextEven = offset;
  }

  /** Next arrival time (integer µs), or undefined when the load is over. */
  next(): Micros | undefined {
    for (;;) {
      const phase = this.phases[this.phaseIndex];
      if (phase === undefined) return undefined;
      const target = this.isPoisson(phase) ? this.lambda + this.exp1() : this.nextEven;
      const offsetUs = this.invert(phase, target);
      if (offsetUs !== undefined && offsetUs < phase.durationUs) {
        this.lambda = target;
        if (!this.isPoisson(phase)) this.nextEven = target + 1;
        // Round, not floor: 0.5 / 1e-5 is 49999.99… in binary floating point.
        return this.phaseStartUs + Math.round(offsetUs);
      }
      // The arrival falls beyond this phase: start the next one afresh
      // (Poisson is memoryless; even spacing restarts at the node's offset).
      this.phaseStartUs += phase.durationUs;
      this.phaseIndex++;
      this.lambda = 0;
      this.nextEven = this.offset;
    }
  }

  private isPoisson(phase: LoadPhase): boolean {
    return phase.kind === 'poisson' || (phase.kind === 'ramp' && phase.poisson);
  }

  private exp1(): number {
    // 1 - u is in (0, 1], so the log is finite.
    return -Math.log(1 - this.rng.next());
  }

  /** Offset (µs, fractional) into the phase at which Λ reaches `target`, or undefined if never. */
  private invert(phase: LoadPhase, target: number): number | undefined {
    const perUs = this.share / MICROS_PER_SECOND;
    if (phase.kind !== 'ramp') {
      if (phase.tps <= 0) return undefined;
      return target / (phase.tps * perUs);
    }
    // Λ(x) = perUs · (a·x + (b − a)·x² / (2D)); solve Λ(x) = target for x ≥ 0.
    const a = phase.fromTps * perUs;
    const c2 = ((phase.toTps - phase.fromTps) * perUs) / (2 * phase.durationUs);
    if (Math.abs(c2) < 1e-300) return a > 0 ? target / a : undefined;
    const disc = a * a + 4 * c2 * target;
    if (disc < 0) return undefined; // a falling ramp that never reaches the target
    // Numerically stable root of c2·x² + a·x − target = 0.
    return (2 * target) / (a + Math.sqrt(disc));
  }
}
