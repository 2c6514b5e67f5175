/**
 * A scenario's fault timeline (resolved for one seed by the runner's own
 * planFaults, so the same nodes are hit as in `avsim run` and
 * `avsim cluster run`) as intervals: what is done to which nodes from when
 * until when. Deployment targets (Chaos Mesh) think in intervals, the engine
 * in instantaneous events.
 */
import type { Micros, NodeId } from '../../consensus/host.js';
import { planRun } from '../../runner/run-scenario.js';
import type { Scenario } from '../../scenario/schema.js';

export type FaultInterval =
  /** Node down (SIGKILL) from start to end, then restarted on its data dir. */
  | { kind: 'kill'; nodes: readonly NodeId[]; startUs: Micros; endUs: Micros; restarts: boolean }
  /** A running node killed and restarted at once. */
  | { kind: 'restart'; nodes: readonly NodeId[]; startUs: Micros }
  /** Node frozen (SIGSTOP … SIGCONT). */
  | { kind: 'pause'; nodes: readonly NodeId[]; startUs: Micros; endUs: Micros }
  /** `side` cut off from `rest`. */
  | { kind: 'partition'; side: readonly NodeId[]; rest: readonly NodeId[]; startUs: Micros; endUs: Micros }
  /** Messages to and from `nodes` (every node when all) dropped with this probability. */
  | { kind: 'loss'; nodes: readonly NodeId[] | 'all'; probability: number; startUs: Micros; endUs: Micros }
  /** Extra one-way delay on messages to and from `nodes`. */
  | { kind: 'delay'; nodes: readonly NodeId[] | 'all'; extraUs: Micros; startUs: Micros; endUs: Micros };

const key = (nodes: readonly NodeId[] | undefined) => (nodes === undefined ? 'all' : nodes.join(','));

export function faultIntervals(scenario: Scenario, seed: number): FaultInterval[] {
  const end = scenario.duration;
  const { faults } = planRun(scenario, seed).faultPlan;
  const out: FaultInterval[] = [];
  const down = new Map<NodeId, Micros>();
  let partition: { side: NodeId[]; rest: NodeId[]; startUs: Micros } | undefined;
  const loss = new Map<string, { nodes: readonly NodeId[] | 'all'; probability: number; startUs: Micros }>();
  const delay = new Map<string, { nodes: readonly NodeId[] | 'all'; extraUs: Micros; startUs: Micros }>();
  const baseLoss = scenario.network.lossRate;
  const closePartition = (at: Micros) => {
    if (partition !== undefined) out.push({ kind: 'partition', ...partition, endUs: at });
    partition = undefined;
  };
  for (const { atUs, fault } of faults) {
    switch (fault.kind) {
      case 'crash':
        if (!down.has(fault.node)) down.set(fault.node, atUs);
        break;
      case 'restart': {
        const since = down.get(fault.node);
        if (since === undefined) out.push({ kind: 'restart', nodes: [fault.node], startUs: atUs });
        else out.push({ kind: 'kill', nodes: [fault.node], startUs: since, endUs: atUs, restarts: true });
        down.delete(fault.node);
        break;
      }
      case 'pause':
        out.push({ kind: 'pause', nodes: [fault.node], startUs: atUs, endUs: Math.min(end, atUs + fault.durationUs) });
        break;
      case 'partition':
        closePartition(atUs); // a new split replaces the old one in this two-sided model
        if (fault.grudge.kind === 'split') {
          const [side = [], rest = []] = fault.grudge.groups;
          partition = { side: [...side], rest: [...rest], startUs: atUs };
        }
        break;
      case 'heal':
        closePartition(atUs);
        break;
      case 'set-loss': {
        const k = key(fault.nodes);
        const open = loss.get(k);
        if (open !== undefined) out.push({ kind: 'loss', ...open, endUs: atUs });
        loss.delete(k);
        if (fault.probability !== baseLoss) loss.set(k, { nodes: fault.nodes ?? 'all', probability: fault.probability, startUs: atUs });
        break;
      }
      case 'add-delay': {
        const k = key(fault.nodes);
        const open = delay.get(k);
        if (open !== undefined) out.push({ kind: 'delay', ...open, endUs: atUs });
        delay.delete(k);
        if (fault.extraUs > 0) delay.set(k, { nodes: fault.nodes ?? 'all', extraUs: fault.extraUs, startUs: atUs });
        break;
      }
      default:
        break;
    }
  }
  closePartition(end);
  for (const [node, since] of down) out.push({ kind: 'kill', nodes: [node], startUs: since, endUs: end, restarts: false });
  for (const open of loss.values()) out.push({ kind: 'loss', ...open, endUs: end });
  for (const open of delay.values()) out.push({ kind: 'delay', ...open, endUs: end });
  // Same-kind intervals on several nodes that share their times become one.
  const merged: FaultInterval[] = [];
  for (const f of out.toSorted((a, b) => a.startUs - b.startUs || a.kind.localeCompare(b.kind))) {
    const prev = merged.at(-1);
    if (prev !== undefined && sameWindow(prev, f) && 'nodes' in prev && 'nodes' in f && prev.nodes !== 'all' && f.nodes !== 'all') {
      merged[merged.length - 1] = { ...prev, nodes: [...prev.nodes, ...f.nodes].toSorted((a, b) => a - b) } as FaultInterval;
    } else merged.push(f);
  }
  return merged;
}

/** Node faults of one kind over the same window (kills: with the same restart). */
function sameWindow(a: FaultInterval, b: FaultInterval): boolean {
  if (a.kind !== b.kind || a.startUs !== b.startUs) return false;
  if (a.kind === 'restart') return true;
  if (a.kind === 'kill' && b.kind === 'kill') return a.endUs === b.endUs && a.restarts === b.restarts;
  if (a.kind === 'pause' && b.kind === 'pause') return a.endUs === b.endUs;
  return false;
}
