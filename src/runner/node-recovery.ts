/**
 * Recovery of each restarted node (issue 11): when it began bootstrapping
 * (its restart, or its start from a stored chain), when bootstrapping ended,
 * and when it then first finished a successful poll of its own and first
 * accepted a block through consensus. One record per bootstrap; honest
 * nodes only (the collector filters). Records of different nodes never
 * interact, so shards merge by concatenation.
 */
import type { Micros, NodeId } from '../consensus/host.js';

export interface NodeRecoveryRecord {
  readonly node: NodeId;
  readonly startedAtUs: Micros;
  readonly bootstrappedAtUs: Micros;
  firstSuccessfulPollAtUs: Micros | undefined;
  firstAcceptAtUs: Micros | undefined;
}

/** How a record appears in the run summary: ms from the start of bootstrapping. */
export interface NodeRecoverySummary {
  node: NodeId;
  restartedAtSeconds: number;
  bootstrapMs: number;
  /** Until its first successful poll after bootstrapping (it votes in consensus again); null: none in the run. */
  firstSuccessfulPollMs: number | null;
  /** Until its first block accepted through consensus after bootstrapping; null: none in the run. */
  firstAcceptMs: number | null;
}

export class NodeRecovery {
  readonly records: NodeRecoveryRecord[] = [];
  /** Each node's latest record still waiting for a poll or an acceptance. */
  private readonly open = new Map<NodeId, NodeRecoveryRecord>();

  bootstrapped(node: NodeId, startedAtUs: Micros, time: Micros): void {
    const r: NodeRecoveryRecord = { node, startedAtUs, bootstrappedAtUs: time, firstSuccessfulPollAtUs: undefined, firstAcceptAtUs: undefined };
    this.records.push(r);
    this.open.set(node, r);
  }

  pollSucceeded(node: NodeId, time: Micros): void {
    const r = this.open.get(node);
    if (r === undefined || r.firstSuccessfulPollAtUs !== undefined || time < r.bootstrappedAtUs) return;
    r.firstSuccessfulPollAtUs = time;
    this.settle(node, r);
  }

  accepted(node: NodeId, time: Micros): void {
    const r = this.open.get(node);
    if (r === undefined || r.firstAcceptAtUs !== undefined || time < r.bootstrappedAtUs) return;
    r.firstAcceptAtUs = time;
    this.settle(node, r);
  }

  private settle(node: NodeId, r: NodeRecoveryRecord): void {
    if (r.firstSuccessfulPollAtUs !== undefined && r.firstAcceptAtUs !== undefined) this.open.delete(node);
  }
}

const ms = (us: Micros): number => Math.round(us) / 1000;

/** The summary's list: ordered by restart time, then node (the same for any shard layout). */
export function summariseNodeRecovery(records: readonly NodeRecoveryRecord[]): NodeRecoverySummary[] {
  return records
    .toSorted((a, b) => a.startedAtUs - b.startedAtUs || a.node - b.node || a.bootstrappedAtUs - b.bootstrappedAtUs)
    .map((r) => ({
      node: r.node,
      restartedAtSeconds: Math.round(r.startedAtUs / 1_000) / 1_000,
      bootstrapMs: ms(r.bootstrappedAtUs - r.startedAtUs),
      firstSuccessfulPollMs: r.firstSuccessfulPollAtUs === undefined ? null : ms(r.firstSuccessfulPollAtUs - r.startedAtUs),
      firstAcceptMs: r.firstAcceptAtUs === undefined ? null : ms(r.firstAcceptAtUs - r.startedAtUs),
    }));
}
