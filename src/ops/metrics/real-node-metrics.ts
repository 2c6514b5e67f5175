/**
 * The Prometheus side of one real validator (src/cluster/node/real-node.ts):
 * its ValidatorMetrics, its /metrics listener, and the conversion of the
 * node's cumulative transport and link counters into counter increments.
 * The node calls `sync` once per stats tick, and the consensus engine reports
 * through `observer` like the simulator's collector does.
 */
import type { NodeId } from '../../consensus/host.js';
import { startMetricsServer, type MetricsServer } from './server.js';
import { FRAME_DROP_REASONS, ValidatorMetrics, type FrameDropReason } from './validator-metrics.js';

/** The run_id label of a real run: its run tag in hex (the harness derives the same from the tag it drew). */
export const realRunId = (runTag: number): string => `real-${runTag.toString(16).padStart(8, '0')}`;

export interface NodeCounters {
  readonly droppedPartition: number;
  readonly droppedLoss: number;
  readonly droppedNotConnected: number;
  readonly droppedQueueFull: number;
  /** Bad frames by reason (`codec:truncated`, `attachments`, `frame:...`). */
  readonly badFrames: Readonly<Record<string, number>>;
  readonly chargedUs: number;
  readonly peers: number;
}

const KNOWN = new Set<string>(FRAME_DROP_REASONS);

/** A bad-frame reason of the transport as a metric label: the wire reason when there is one, else invalid-field. */
function dropReasonOf(reason: string): FrameDropReason {
  const bare = reason.replace(/^[a-z]+:/, '');
  if (bare === 'unknown-frame') return 'unknown-kind';
  return KNOWN.has(bare) ? (bare as FrameDropReason) : 'invalid-field';
}

export class RealNodeMetrics {
  readonly metrics: ValidatorMetrics;
  private server: MetricsServer | undefined;
  private last: NodeCounters = { droppedPartition: 0, droppedLoss: 0, droppedNotConnected: 0, droppedQueueFull: 0, badFrames: {}, chargedUs: 0, peers: 0 };

  constructor(nodeId: NodeId, runTag: number, scenario: string) {
    this.metrics = new ValidatorMetrics({ nodeId, runId: realRunId(runTag), scenario });
  }

  /** The chain the node reopened: height, and accepted counts that continue its earlier incarnations'. */
  restored(height: number, blocks: number, txs: number, bytes: number): void {
    this.metrics.resumeAt(height);
    this.metrics.restoreAccepted(blocks, txs, bytes);
  }

  async listen(host: string, port: number, what: string): Promise<number> {
    this.server = await startMetricsServer(this.metrics, { host, port, what });
    return this.server.port;
  }

  sync(now: NodeCounters): void {
    const m = this.metrics;
    const add = (reason: FrameDropReason, delta: number) => m.onFrameDropped(reason, delta);
    add('rule-partition', now.droppedPartition - this.last.droppedPartition);
    add('rule-loss', now.droppedLoss - this.last.droppedLoss);
    add('peer-down', now.droppedNotConnected - this.last.droppedNotConnected);
    add('queue-full', now.droppedQueueFull - this.last.droppedQueueFull);
    for (const [reason, count] of Object.entries(now.badFrames)) add(dropReasonOf(reason), count - (this.last.badFrames[reason] ?? 0));
    m.onCpuCharged(now.chargedUs - this.last.chargedUs);
    m.setPeers(now.peers);
    this.last = { ...now, badFrames: { ...now.badFrames } };
  }

  async close(): Promise<void> {
    await this.server?.close();
    this.server = undefined;
  }
}
