/**
 * Prometheus around one `avsim cluster run`: one file_sd target file per
 * validator, written when its process is ready and removed when it stops;
 * with `--prometheus`, a real Prometheus (started before any node, so a
 * Prometheus that cannot start leaves no cluster behind) that scrapes them
 * every second into the run's output folder; and, at the end, the
 * cross-check of what Prometheus saw against the nodes' acceptance logs.
 */
import { existsSync, readFileSync } from 'node:fs';
import type { NodeId } from '../../consensus/host.js';
import { METRICS } from '../metrics/catalogue.js';
import { realRunId } from '../metrics/real-node-metrics.js';
import { HarnessMetrics } from '../metrics/harness-metrics.js';
import { startMetricsServer, type MetricsServer } from '../metrics/server.js';
import { removeHarnessTarget, removeNodeTarget, writeHarnessTarget, writeNodeTarget } from './file-sd.js';
import { preparePrometheus, startPrometheus, type PrometheusLayout, type RunningPrometheus } from './server.js';

export interface CrossCheck {
  /** Sum over the nodes of the blocks in each node's accepted chain. */
  readonly blocks: { readonly promql: number | null; readonly logs: number };
  /** Sum over the nodes of the transactions in those blocks. */
  readonly txs: { readonly promql: number | null; readonly logs: number };
  readonly agree: boolean;
  /** Where Prometheus kept the run's data. */
  readonly dataDir: string;
}

/** Accepted blocks and transactions per node, from the node's history (distinct block ids of its `chk` records). */
export function acceptedFromHistory(file: string): { blocks: number; txs: number } {
  if (!existsSync(file)) return { blocks: 0, txs: 0 };
  const seen = new Set<number>();
  let txs = 0;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line.startsWith('{"k":"chk"')) continue;
    let r: { in?: { id?: unknown; txs?: unknown } };
    try {
      r = JSON.parse(line) as typeof r;
    } catch {
      continue; // a line torn by a SIGKILL mid-write
    }
    const id = r.in?.id;
    if (typeof id !== 'number' || seen.has(id)) continue;
    seen.add(id);
    txs += Array.isArray(r.in?.txs) ? r.in.txs.length : 0;
  }
  return { blocks: seen.size, txs };
}

export class RunMonitor {
  readonly runId: string;
  readonly layout: PrometheusLayout;
  private prom: RunningPrometheus | undefined;
  private readonly run: { runId: string; scenario: string };
  private readonly harness: HarnessMetrics;
  private harnessServer: MetricsServer | undefined;
  private readonly timers: NodeJS.Timeout[] = [];

  constructor(
    outDir: string,
    runTag: number,
    scenario: string,
    private readonly durationUs: number,
  ) {
    this.runId = realRunId(runTag);
    this.run = { runId: this.runId, scenario };
    this.layout = preparePrometheus(outDir, this.run);
    this.harness = new HarnessMetrics(this.run);
  }

  /**
   * Serves the harness's own metrics (the fault windows the dashboard
   * annotates) and schedules each window: `msUntil(us)` is how long until
   * run time `us` on the run clock.
   */
  async startHarness(windows: ReadonlyArray<{ kind: string; startUs: number; endUs: number }>, msUntil: (us: number) => number): Promise<void> {
    this.harnessServer = await startMetricsServer(this.harness, { what: 'harness metrics' });
    writeHarnessTarget(this.layout.targetsDir, this.harnessServer.target, this.run);
    windows.forEach((w, i) => {
      const occurrence = { kind: w.kind, fault: `window-${i}`, nodes: [] };
      this.timers.push(setTimeout(() => this.harness.faultStarted(occurrence), Math.max(0, msUntil(w.startUs))));
      this.timers.push(setTimeout(() => this.harness.faultEnded(occurrence), Math.max(0, msUntil(w.endUs))));
    });
  }

  txOffered(count: number): void {
    this.harness.txOffered(count);
  }

  /** Starts the real Prometheus; throws a one-line PrometheusError when it cannot. `spawned` gets its pid (its own process group) at once. */
  async startPrometheus(spawned?: (pid: number) => void): Promise<string> {
    this.prom = await startPrometheus(this.layout, spawned === undefined ? {} : { onSpawn: spawned });
    return this.prom.url;
  }

  get prometheusUrl(): string | undefined {
    return this.prom?.url;
  }

  /** host: where the node's /metrics listens (127.0.0.1, or its namespace's address with --kernel-net). */
  nodeReady(id: NodeId, metricsPort: number, host = '127.0.0.1'): void {
    writeNodeTarget(this.layout.targetsDir, id, `${host}:${metricsPort}`, this.run);
  }

  nodeStopped(id: NodeId): void {
    removeNodeTarget(this.layout.targetsDir, id);
  }

  /**
   * Totals from PromQL against totals from the histories. Acceptances may
   * still trickle in after the load stops, so it reads both, waits for a
   * scrape, and retries a few times until they agree.
   */
  async crossCheck(histories: ReadonlyArray<{ node: NodeId; file: string }>): Promise<CrossCheck | undefined> {
    const prom = this.prom;
    if (prom === undefined) return undefined;
    const range = `${Math.ceil(this.durationUs / 1e6) + 120}s`;
    const total = (metric: string) => `sum(max by (node_id) (max_over_time(${metric}{run_id="${this.runId}"}[${range}])))`;
    let result: CrossCheck | undefined;
    for (let attempt = 0; attempt < 4; attempt++) {
      const logs = histories.map((h) => acceptedFromHistory(h.file)).reduce((a, b) => ({ blocks: a.blocks + b.blocks, txs: a.txs + b.txs }), { blocks: 0, txs: 0 });
      await new Promise((r) => setTimeout(r, 2_100)); // two scrapes at 1 s
      const blocks = (await prom.promql.scalar(total(METRICS.blksAccepted.name))) ?? null;
      const txs = (await prom.promql.scalar(total(METRICS.txsAccepted.name))) ?? null;
      result = { blocks: { promql: blocks, logs: logs.blocks }, txs: { promql: txs, logs: logs.txs }, agree: blocks === logs.blocks && txs === logs.txs, dataDir: this.layout.dataDir };
      if (result.agree) break;
    }
    return result;
  }

  /** Stops Prometheus (its data stays in the output folder). */
  async stop(): Promise<void> {
    for (const t of this.timers) clearTimeout(t);
    removeHarnessTarget(this.layout.targetsDir);
    await this.harnessServer?.close();
    this.harnessServer = undefined;
    await this.prom?.stop();
    this.prom = undefined;
  }
}
