/**
 * Scenario fault timeline -> engine faults at absolute times, plus the fault
 * windows that reports shade and the liveness checker excuses.
 *
 * Node sets (`one`, `minority`, `fraction: 0.1`, ...) are drawn from the run's
 * own 'faults' stream, occurrence by occurrence in timeline order, so the same
 * seed picks the same nodes and each repetition of a repeating fault picks anew.
 */
import type { NodeSet, Scenario } from '../scenario/schema.js';
import type { Fault as SimFault } from '../sim/types.js';
import type { RandomStream } from '../sim/rng.js';
import type { Micros } from '../sim/time.js';

export interface TimedFault {
  atUs: Micros;
  fault: SimFault;
}

export interface FaultWindow {
  kind: string;
  startUs: Micros;
  endUs: Micros;
}

export interface FaultPlan {
  faults: TimedFault[];
  windows: FaultWindow[];
}

/** Most fault occurrences one run may expand to (a repeating fault with a tiny period is a mistake). */
export const MAX_FAULT_OCCURRENCES = 100_000;

export function resolveNodeSet(set: NodeSet, nodeCount: number, rng: RandomStream): number[] {
  if (typeof set === 'object' && 'ids' in set) {
    for (const id of set.ids) {
      if (id >= nodeCount) throw new RangeError(`faults: node id ${id} must be < nodes.count (${nodeCount})`);
    }
    return [...new Set(set.ids)].toSorted((a, b) => a - b);
  }
  let count: number;
  if (set === 'one') count = 1;
  else if (set === 'minority') count = Math.floor((nodeCount - 1) / 2);
  else if (set === 'majority') count = Math.floor(nodeCount / 2) + 1;
  else if (set === 'all') count = nodeCount;
  else if ('fraction' in set) count = Math.round(set.fraction * nodeCount);
  else count = set.count;
  if (count > nodeCount) throw new RangeError(`faults: node set of ${count} must be <= nodes.count (${nodeCount})`);
  return sampleIds(nodeCount, count, rng);
}

/** `count` distinct ids of 0..n-1 by a partial Fisher-Yates shuffle, returned sorted. */
export function sampleIds(n: number, count: number, rng: RandomStream): number[] {
  const ids = Array.from({ length: n }, (_, i) => i);
  for (let i = 0; i < count; i++) {
    const j = i + rng.int(n - i);
    const t = ids[i] as number;
    ids[i] = ids[j] as number;
    ids[j] = t;
  }
  return ids.slice(0, count).toSorted((a, b) => a - b);
}

function complement(ids: readonly number[], n: number): number[] {
  const inSet = new Uint8Array(n);
  for (const id of ids) inSet[id] = 1;
  const out: number[] = [];
  for (let i = 0; i < n; i++) if (inSet[i] === 0) out.push(i);
  return out;
}

export function planFaults(scenario: Scenario, rng: RandomStream): FaultPlan {
  const n = scenario.nodes.count;
  const endUs = scenario.duration;
  const faults: TimedFault[] = [];
  const windows: FaultWindow[] = [];
  let occurrences = 0;

  for (const [index, f] of scenario.faults.entries()) {
    const every = f.repeat?.every;
    const times = f.repeat === undefined ? 1 : (f.repeat.times ?? Infinity);
    for (let k = 0; k < times; k++) {
      const at = f.at + (every ?? 0) * k;
      if (at > endUs) break;
      if (++occurrences > MAX_FAULT_OCCURRENCES) {
        throw new RangeError(`faults[${index}].repeat: expands to more than ${MAX_FAULT_OCCURRENCES} occurrences within the run`);
      }
      const until = 'for' in f && f.for !== undefined ? at + f.for : undefined;
      const window = (kind: string) => windows.push({ kind, startUs: at, endUs: Math.min(until ?? endUs, endUs) });
      switch (f.kind) {
        case 'kill': {
          const nodes = resolveNodeSet(f.nodes, n, rng);
          for (const node of nodes) faults.push({ atUs: at, fault: { kind: 'crash', node } });
          if (until !== undefined) for (const node of nodes) faults.push({ atUs: until, fault: { kind: 'restart', node } });
          window('kill');
          break;
        }
        case 'restart':
          for (const node of resolveNodeSet(f.nodes, n, rng)) faults.push({ atUs: at, fault: { kind: 'restart', node } });
          break;
        case 'pause':
          for (const node of resolveNodeSet(f.nodes, n, rng)) {
            faults.push({ atUs: at, fault: { kind: 'pause', node, durationUs: f.for } });
          }
          window('pause');
          break;
        case 'partition': {
          const side = resolveNodeSet(f.nodes, n, rng);
          faults.push({ atUs: at, fault: { kind: 'partition', grudge: { kind: 'split', groups: [side, complement(side, n)] } } });
          if (until !== undefined) faults.push({ atUs: until, fault: { kind: 'heal' } });
          window('partition');
          break;
        }
        case 'heal':
          faults.push({ atUs: at, fault: { kind: 'heal' } });
          break;
        case 'loss': {
          const nodes = resolveNodeSet(f.nodes, n, rng);
          const all = nodes.length === n;
          faults.push({ atUs: at, fault: { kind: 'set-loss', probability: f.rate, ...(all ? {} : { nodes }) } });
          if (until !== undefined) {
            faults.push({ atUs: until, fault: { kind: 'set-loss', probability: scenario.network.lossRate, ...(all ? {} : { nodes }) } });
          }
          window('loss');
          break;
        }
        case 'delay': {
          const nodes = resolveNodeSet(f.nodes, n, rng);
          const all = nodes.length === n;
          faults.push({ atUs: at, fault: { kind: 'add-delay', extraUs: f.extra, ...(all ? {} : { nodes }) } });
          if (until !== undefined) faults.push({ atUs: until, fault: { kind: 'add-delay', extraUs: 0, ...(all ? {} : { nodes }) } });
          window('delay');
          break;
        }
      }
    }
  }
  return { faults, windows };
}

/** The time the last fault window closes (0 when there are none). */
export function lastHealUs(plan: FaultPlan): Micros {
  return plan.windows.reduce((m, w) => Math.max(m, w.endUs), 0);
}
