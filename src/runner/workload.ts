/**
 * Scenario workload -> per-node client sources for the engine.
 *
 * Clients submit only to honest nodes (a client of a Byzantine node is not
 * the client whose finality we measure); the offered load is split evenly
 * over them, each with its own seeded arrival process.
 */
import { twinTxIdOf, txIdOf, type TxId } from '../consensus/snowman/block.js';
import type { Scenario } from '../scenario/schema.js';
import type { ClientSource } from '../sim/types.js';
import { createStream } from '../sim/rng.js';
import type { Micros } from '../sim/time.js';
import { ArrivalProcess, type LoadPhase } from '../workload/arrivals.js';

/** Most load phases a run may expand to (ramp steps and repeats included). */
export const MAX_LOAD_PHASES = 1_000_000;

/** Scenario phases -> arrival phases: staircase ramps become constant steps; `repeat` cycles them to the end of the run. */
export function loadPhasesOf(scenario: Scenario): LoadPhase[] {
  const once: LoadPhase[] = [];
  for (const p of scenario.workload.phases) {
    if (p.kind === 'constant' || p.kind === 'poisson') {
      once.push({ kind: p.kind, durationUs: p.duration, tps: p.rateTps });
    } else if (p.steps === undefined) {
      once.push({ kind: 'ramp', durationUs: p.duration, fromTps: p.fromTps, toTps: p.toTps, poisson: p.arrivals === 'poisson' });
    } else {
      // A staircase of `steps` equal steps from fromTps to toTps (both included).
      const stepUs = Math.floor(p.duration / p.steps);
      for (let i = 0; i < p.steps; i++) {
        const tps = p.steps === 1 ? p.fromTps : p.fromTps + ((p.toTps - p.fromTps) * i) / (p.steps - 1);
        const durationUs = i === p.steps - 1 ? p.duration - stepUs * (p.steps - 1) : stepUs;
        once.push({ kind: p.arrivals === 'poisson' ? 'poisson' : 'constant', durationUs, tps });
      }
    }
  }
  if (!scenario.workload.repeat) return once;
  const cycleUs = once.reduce((s, p) => s + p.durationUs, 0);
  const cycles = cycleUs > 0 ? Math.ceil(scenario.duration / cycleUs) : 1;
  if (cycles * once.length > MAX_LOAD_PHASES) {
    throw new RangeError(`workload.repeat: cycling the phases to the end of the run needs more than ${MAX_LOAD_PHASES} phases`);
  }
  const out: LoadPhase[] = [];
  for (let c = 0; c < cycles; c++) out.push(...once);
  return out;
}

/** The offered rate (tx/s) at time t, for plots of TPS vs offered load. */
export function offeredTpsAt(phases: readonly LoadPhase[], t: Micros): number {
  let start = 0;
  for (const p of phases) {
    if (t < start + p.durationUs) {
      const off = t - start;
      return p.kind === 'ramp' ? p.fromTps + ((p.toTps - p.fromTps) * off) / p.durationUs : p.tps;
    }
    start += p.durationUs;
  }
  return 0;
}

/** The client workload of one honest node: its share of the load, as requests the protocol makes of run-unique tx ids. */
export function clientSourceFor<C>(
  node: number,
  rank: number,
  clients: number,
  phases: readonly LoadPhase[],
  seed: number,
  endUs: Micros,
  request: (tx: TxId) => C,
): ClientSource<C> {
  const arrivals = new ArrivalProcess(phases, 1 / clients, rank / clients, createStream(seed, node, 'workload'));
  let counter = 0;
  return {
    next() {
      const at = arrivals.next();
      if (at === undefined || at >= endUs) return undefined;
      counter++;
      return { at, request: request(txIdOf(node, counter)) };
    },
  };
}

/** A uniform draw in [0, 1) from (seed, node, counter): whether a transaction is double spent, without a stream of its own. */
export function doubleSpendDraw(seed: number, node: number, counter: number): number {
  let h = Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(node + 1, 0xc2b2ae35) ^ Math.imul(counter, 0x27d4eb2f);
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d);
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b);
  h ^= h >>> 16;
  return (h >>> 0) / 4_294_967_296;
}

/**
 * The double spends node `target` receives: the transactions of `source` (an
 * honest node of rank `sourceRank`, whose arrival process this replays draw
 * for draw) that `doubleSpendDraw` picks with probability `fraction`, each as
 * a conflicting twin submitted at the same instant as the original.
 */
export function twinSourceFor<C>(
  source: number,
  sourceRank: number,
  clients: number,
  phases: readonly LoadPhase[],
  seed: number,
  endUs: Micros,
  fraction: number,
  request: (tx: TxId, twin: TxId) => C,
): ClientSource<C> {
  const arrivals = new ArrivalProcess(phases, 1 / clients, sourceRank / clients, createStream(seed, source, 'workload'));
  let counter = 0;
  let twins = 0;
  return {
    next() {
      for (;;) {
        const at = arrivals.next();
        if (at === undefined || at >= endUs) return undefined;
        counter++;
        if (doubleSpendDraw(seed, source, counter) < fraction) {
          twins++;
          return { at, request: request(txIdOf(source, counter), twinTxIdOf(source, twins)) };
        }
      }
    },
  };
}
