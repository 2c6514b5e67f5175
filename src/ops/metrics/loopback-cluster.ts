/**
 * A small real-time cluster in one process, for exercising the metrics
 * pipeline (metrics module → /metrics → file_sd → Prometheus → dashboard
 * queries) without the TCP node daemon: the scenario's SnowmanNodes, the
 * same consensus code as everywhere, driven by a host with the real
 * monotonic clock and real timers. Messages travel in memory, delayed by the
 * scenario's constant one-way latency with real timers (so the emulation
 * error is a measured figure), and partitions from the scenario's fault
 * timeline drop them. Every validator serves its own /metrics on 127.0.0.1
 * and is registered in a file_sd directory, exactly as a real node is.
 *
 * It is not the real node (no TCP, no store, one process); src/cluster is.
 */
import { performance } from 'node:perf_hooks';
import seedrandom from 'seedrandom';
import type { Host, Micros, NodeId, TimerHandle } from '../../consensus/host.js';
import type { Message } from '../../consensus/engine/messages.js';
import { SnowmanNode } from '../../consensus/engine/snowman-node.js';
import { txIdOf } from '../../consensus/snowman/block.js';
import { planRun } from '../../runner/run-scenario.js';
import { sharedNodeConfigOf } from '../../consensus/snowman/scenario-config.js';
import type { Scenario } from '../../scenario/schema.js';
import { streamKey } from '../../sim/rng.js';
import { removeHarnessTarget, removeNodeTarget, writeHarnessTarget, writeNodeTarget } from '../prometheus/file-sd.js';
import { HarnessMetrics } from './harness-metrics.js';
import { startMetricsServer, type MetricsServer } from './server.js';
import { ValidatorMetrics } from './validator-metrics.js';

export interface LoopbackClusterOptions {
  seed: number;
  runId: string;
  /** file_sd directory to register the validators and the harness in. */
  targetsDir?: string;
}

export interface LoopbackCluster {
  readonly servers: readonly MetricsServer[];
  readonly harness: MetricsServer;
  readonly metrics: readonly ValidatorMetrics[];
  /** Resolves when the scenario's duration has elapsed (or stop() was called). */
  readonly done: Promise<void>;
  stop(): Promise<void>;
}

/** Refuses what this in-memory network cannot honour, naming the field. */
function checkSupported(s: Scenario): void {
  if (s.network.latency.kind !== 'constant') throw new RangeError('network.latency.kind: the loopback cluster emulates constant latency only');
  if (s.byzantine !== undefined) throw new RangeError('byzantine: the loopback cluster runs honest nodes only');
  s.faults.forEach((f, i) => {
    if (f.kind !== 'partition' && f.kind !== 'heal') throw new RangeError(`faults[${i}].kind: the loopback cluster applies partition and heal only, got ${f.kind}`);
  });
  for (const p of s.workload.phases) if (p.kind !== 'constant') throw new RangeError('workload.phases: the loopback cluster offers constant-rate load only');
}

export async function startLoopbackCluster(scenario: Scenario, o: LoopbackClusterOptions): Promise<LoopbackCluster> {
  checkSupported(scenario);
  const n = scenario.nodes.count;
  const { stake, faultPlan } = planRun(scenario, o.seed);
  const shared = sharedNodeConfigOf(scenario, o.seed, stake);
  const model = shared.messageModel;
  const latencyUs = scenario.network.latency.kind === 'constant' ? scenario.network.latency.oneWay : 0;
  const t0 = performance.now();
  const now = (): Micros => Math.round((performance.now() - t0) * 1000);
  const timers = new Set<NodeJS.Timeout>();
  const later = (us: Micros, fn: () => void): NodeJS.Timeout => {
    const t = setTimeout(() => {
      timers.delete(t);
      fn();
    }, us / 1000);
    timers.add(t);
    return t;
  };
  let stopped = false;
  /** side[i] = which partition group node i is in; undefined = connected. */
  let side: Int32Array | undefined;

  const metrics = Array.from({ length: n }, (_, id) => new ValidatorMetrics({ nodeId: id, runId: o.runId, scenario: scenario.name }));
  const nodes: SnowmanNode[] = [];
  for (let id = 0; id < n; id++) {
    const m = metrics[id] as ValidatorMetrics;
    const rng = seedrandom.alea(streamKey(o.seed, id, 'consensus'));
    const handles = new Map<TimerHandle, NodeJS.Timeout>();
    let nextHandle = 1;
    const host: Host<Message> = {
      id,
      now,
      random: () => rng(),
      chargeCpu: (us) => m.onCpuCharged(us),
      isConnected: (peer) => side === undefined || side[id] === side[peer],
      setTimer(delay, tag) {
        const h = nextHandle++;
        handles.set(
          h,
          later(delay, () => {
            handles.delete(h);
            if (!stopped) nodes[id]?.onTimer(tag);
          }),
        );
        return h;
      },
      cancelTimer(h) {
        const t = handles.get(h);
        if (t !== undefined) {
          clearTimeout(t);
          timers.delete(t);
          handles.delete(h);
        }
      },
      send(to: NodeId, msg: Message) {
        const bytes = model.sizeBytes(msg);
        m.onFrame('sent', msg.kind, bytes);
        if (side !== undefined && side[id] !== side[to]) {
          m.onFrameDropped('rule-partition');
          return;
        }
        const sentAt = now();
        later(latencyUs, () => {
          if (stopped) return;
          const peer = metrics[to] as ValidatorMetrics;
          peer.onDelivery(latencyUs, now() - sentAt);
          peer.onFrame('received', msg.kind, bytes);
          nodes[to]?.onMessage(id, msg);
        });
      },
    };
    nodes.push(new SnowmanNode(host, { ...shared, observer: m }));
  }

  const servers: MetricsServer[] = [];
  const harnessMetrics = new HarnessMetrics({ runId: o.runId, scenario: scenario.name });
  let harness: MetricsServer | undefined;
  try {
    for (const m of metrics) servers.push(await startMetricsServer(m, { what: `node ${m.identity.nodeId} metrics` }));
    harness = await startMetricsServer(harnessMetrics, { what: 'harness metrics' });
  } catch (e) {
    await Promise.all(servers.map((s) => s.close()));
    throw e;
  }
  const dir = o.targetsDir;
  if (dir !== undefined) {
    const run = { runId: o.runId, scenario: scenario.name };
    servers.forEach((s, id) => writeNodeTarget(dir, id, s.target, run));
    writeHarnessTarget(dir, harness.target, run);
  }

  for (const node of nodes) node.onStart();
  metrics.forEach((m) => m.setPeers(n - 1));

  // Constant-rate load, spread round-robin over the nodes, phase after phase.
  let counter = 0;
  let phaseStartUs = 0;
  for (const phase of scenario.workload.phases) {
    if (phase.kind !== 'constant' || phase.rateTps <= 0) continue;
    const every = 1e6 / phase.rateTps;
    const count = Math.floor((phase.duration / 1e6) * phase.rateTps);
    for (let k = 0; k < count; k++) {
      const at = phaseStartUs + k * every;
      if (at >= scenario.duration) break;
      later(at, () => {
        if (stopped) return;
        const to = counter % n;
        counter++;
        harnessMetrics.txOffered();
        nodes[to]?.onClient({ id: txIdOf(to, counter) });
      });
    }
    phaseStartUs += phase.duration;
  }

  // Partitions and heals at their offsets, with their windows in the harness metrics.
  for (const { atUs, fault } of faultPlan.faults) {
    later(atUs, () => {
      if (fault.kind === 'partition' && fault.grudge.kind === 'split') {
        side = new Int32Array(n).fill(-1);
        fault.grudge.groups.forEach((g, gi) => g.forEach((id) => ((side as Int32Array)[id] = gi)));
      } else if (fault.kind === 'heal') side = undefined;
    });
  }
  faultPlan.windows.forEach((w, i) => {
    const occurrence = { kind: w.kind, fault: `window-${i}`, nodes: [] };
    later(w.startUs, () => harnessMetrics.faultStarted(occurrence));
    later(w.endUs, () => harnessMetrics.faultEnded(occurrence));
  });

  let finish: (() => void) | undefined;
  const done = new Promise<void>((res) => {
    finish = res;
  });
  later(scenario.duration, () => finish?.());

  const harnessServer = harness;
  return {
    servers,
    harness: harnessServer,
    metrics,
    done,
    async stop() {
      stopped = true;
      for (const t of timers) clearTimeout(t);
      timers.clear();
      if (dir !== undefined) {
        servers.forEach((_, id) => removeNodeTarget(dir, id));
        removeHarnessTarget(dir);
      }
      await Promise.all([...servers, harnessServer].map((s) => s.close()));
      finish?.();
    },
  };
}
