/**
 * One real run of a scenario and seed (`avsim cluster run`): start one node
 * process per node (or per --nodes-per-process nodes) on loopback, wait for
 * their ready files and a full mesh, start them all at one epoch, drive the
 * simulator's arrival schedule and fault timeline against them, stop them,
 * and compute the RunSummary from their histories. Every process it started
 * is gone when it returns or throws, and on Ctrl-C.
 */
import { randomBytes, randomInt } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { NodeId } from '../../consensus/host.js';
import type { RunSummary } from '../../metrics/summary.js';
import type { FaultWindow } from '../../runner/fault-timeline.js';
import { planRun } from '../../runner/run-scenario.js';
import type { Scenario } from '../../scenario/schema.js';
import type { SweepPoint } from '../../scenario/sweep.js';
import type { Fault } from '../../sim/types.js';
import { writeFileAtomic } from '../../report/atomic.js';
import { monotonicNs, RunClock } from '../host/clock.js';
import type { ProcessConfigInput } from '../node/process-config.js';
import { ApiClient } from './api-client.js';
import { collectRealRun } from './collect.js';
import { FaultDriver, type ClusterActions, type RealisedFault } from './fault-driver.js';
import { sampleHostCpu, type HostCpuSample } from './host-cpu.js';
import { nodeDir, processSlots, tokenPath } from './layout.js';
import { arrivalsOf, LoadGenerator, signArrivals } from './load-generator.js';
import { resubmitPolicyOf } from './resubmit.js';
import { Supervisor, type ManagedProcess, type ReadyFile } from './supervisor.js';
import { RunMonitor, type CrossCheck } from '../../ops/prometheus/run-monitor.js';
import { historyPath as historyFileOf } from './layout.js';
import { KernelNet } from './kernel-net.js';

export const STORE_ENGINE = 'RocksDB (@nxtedition/rocksdb 12, sync writes)';

export interface ClusterProgress {
  phase: 'starting' | 'signing' | 'running' | 'stopping';
  elapsedSeconds: number;
  endSeconds: number;
  /** Client-observed accepted transactions per second over the last 5 s. */
  tps: number;
  height: number;
  note?: string;
}

export interface ClusterRunOptions {
  scenario: Scenario;
  /** The scenario input (after --set): what every node process validates again. */
  scenarioInput: unknown;
  seed: number;
  point: SweepPoint;
  repro: string;
  nodesPerProcess: number;
  realSignatures: boolean;
  /** Keep the run directory (data dirs, histories, logs) afterwards. */
  keep: boolean;
  /** Where the run directory goes (default: the OS temp dir). */
  workDir?: string;
  startTimeoutMs?: number;
  onProgress?: (p: ClusterProgress) => void;
  log?: (text: string) => void;
  /** Extra node arguments (tests). */
  nodeArgs?: readonly string[];
  /** Pay modelled CPU as busy work in the nodes (default true; false only in tests). */
  payCpu?: boolean;
  /** Folder for prometheus/ (file_sd targets, config, and with `prometheus`, its data); default: the run directory. */
  prometheusDir?: string;
  /** Start a real Prometheus on loopback scraping every node each second, and cross-check it at the end. */
  prometheus?: boolean;
  /**
   * --kernel-net (root): every node in its own network namespace, partitions as nftables drop rules, the
   * scenario's bandwidth (when it sets one) as tc token buckets. Needs nodesPerProcess 1.
   */
  kernelNet?: boolean;
}

export interface ClusterRunResult {
  summary: RunSummary;
  runDir: string;
  kept: boolean;
}

export class RunInterrupted extends Error {
  override readonly name = 'RunInterrupted';
}

/** A planned window, its edges moved to when the faults that open and close it really took effect. */
export function realisedWindows(planned: readonly FaultWindow[], realised: readonly RealisedFault[], endUs: number): FaultWindow[] {
  const lateness = (at: number, kinds: readonly string[]): number => {
    let late = 0;
    for (const f of realised) if (f.plannedUs === at && kinds.includes(f.kind)) late = Math.max(late, f.doneUs - f.plannedUs);
    return late;
  };
  const closers: Record<string, string[]> = { kill: ['restart'], pause: ['pause'], partition: ['heal'], loss: ['set-loss'], delay: ['add-delay'] };
  const openers: Record<string, string[]> = { kill: ['crash'], pause: ['pause'], partition: ['partition'], loss: ['set-loss'], delay: ['add-delay'] };
  return planned.map((w) => {
    // Within [0, endUs], and never closing before it opened (the liveness checker nests windows by their edges).
    const startUs = Math.min(endUs, w.startUs + lateness(w.startUs, openers[w.kind] ?? []));
    const end = w.endUs >= endUs ? endUs : Math.min(endUs, w.endUs + lateness(w.endUs, closers[w.kind] ?? []));
    return { kind: w.kind, startUs, endUs: Math.max(startUs, end) };
  });
}

export async function runCluster(opts: ClusterRunOptions): Promise<ClusterRunResult> {
  const { scenario, seed } = opts;
  const log = opts.log ?? (() => undefined);
  const n = scenario.nodes.count;
  const plan = planRun(scenario, seed);
  const base = opts.workDir === undefined ? tmpdir() : resolve(opts.workDir);
  mkdirSync(base, { recursive: true });
  const runDir = mkdtempSync(join(base, `avsim-cluster-${scenario.name}-s${seed}-`));
  const token = randomBytes(24).toString('hex');
  writeFileSync(tokenPath(runDir), `${token}\n`, { mode: 0o600 });
  const runTag = randomInt(1, 2 ** 32 - 1);
  const slots = processSlots(runDir, n, opts.nodesPerProcess);
  // The watchdog before anything it must clean up; Prometheus before the nodes: one that cannot start ends the run before any node exists.
  const supervisor = new Supervisor(opts.nodeArgs ?? []);
  supervisor.startWatchdog();
  const monitor = new RunMonitor(opts.prometheusDir ?? runDir, runTag, scenario.name, scenario.duration);
  if (opts.prometheus === true) {
    try {
      log(`prometheus on ${await monitor.startPrometheus((pid) => supervisor.guard(pid))}, data in ${monitor.layout.dataDir}`);
    } catch (e) {
      await supervisor.teardown();
      if (!opts.keep) rmSync(runDir, { recursive: true, force: true });
      throw e;
    }
  }
  let crossCheck: CrossCheck | undefined;
  const metricsPorts = new Map<NodeId, number>();
  const clock = new RunClock();
  // Host CPU over the run proper (from time 0 to the end of the duration, not the start-up and teardown), and the harness's own CPU then.
  let hostStart = sampleHostCpu();
  let hostEnd: HostCpuSample | undefined;
  let harnessCpu0 = process.cpuUsage();
  let harnessCpuUs = 0;
  const wallStart = process.hrtime.bigint();
  const progress = (p: Omit<ClusterProgress, 'elapsedSeconds' | 'endSeconds'>): void =>
    opts.onProgress?.({ ...p, elapsedSeconds: clock.started ? Math.max(0, clock.nowUs() / 1e6) : 0, endSeconds: scenario.duration / 1e6 });

  let knet: KernelNet | undefined;
  /** Where node `id` listens: loopback, or its namespace's veth address. */
  const hostOf = (id: NodeId): string => knet?.address(id) ?? '127.0.0.1';
  // Bandwidth the kernel enforces is not emulated again in the transport.
  const inputNetwork = (opts.scenarioInput as { network?: { bandwidth?: unknown } } | null)?.network;
  const shapeInKernel = opts.kernelNet === true && inputNetwork?.bandwidth !== undefined;
  const nodeScenarioInput = shapeInKernel
    ? { ...(opts.scenarioInput as Record<string, unknown>), network: { ...inputNetwork, bandwidth: { upMbps: 1e6, downMbps: 1e6 } } }
    : opts.scenarioInput;
  const procOf = new Map<NodeId, ManagedProcess>();
  const clients = new Map<number, ApiClient>();
  const peers = new Map<NodeId, { host: string; port: number }>();
  const ports = new Map<NodeId, number>();
  const apiPorts = new Map<number, number>();
  const rules: Fault[] = [];
  const rulesWhilePaused = new Map<number, Fault[]>();
  const streams = new Map<number, () => void>();
  let failure: string | undefined;
  let abort: ((why: string) => void) | undefined;
  const aborted = new Promise<string>((res) => (abort = res));
  const accepted: number[] = [];
  let height = 0;

  const onSignal = (): void => abort?.('interrupted (SIGINT)');
  const lastResort = (): void => supervisor.killAllNow();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  process.on('exit', lastResort);

  const configFor = (slot: (typeof slots)[number], epochNs: bigint | undefined): ProcessConfigInput => ({
    version: 1,
    runTag,
    seed,
    scenario: nodeScenarioInput,
    nodes: slot.nodes.map((id) => ({ id, dataDir: nodeDir(runDir, id), port: ports.get(id) ?? 0, metricsPort: metricsPorts.get(id) ?? 0 })),
    listenHost: hostOf(slot.nodes[0]!),
    apiHost: hostOf(slot.nodes[0]!),
    ...(knet === undefined ? {} : { bindMode: 'netns' as const }),
    apiPort: apiPorts.get(slot.index) ?? 0,
    tokenFile: tokenPath(runDir),
    readyFile: join(slot.dir, 'ready.json'),
    realSignatures: opts.realSignatures,
    byzantineIds: [...plan.byzantine],
    byzantine:
      scenario.byzantine === undefined
        ? null
        : { strategy: scenario.byzantine.strategy, options: scenario.byzantine.options, fromUs: scenario.byzantine.from, untilUs: scenario.byzantine.until ?? Number.MAX_SAFE_INTEGER },
    epochNs: epochNs === undefined ? null : epochNs.toString(),
    peers: Object.fromEntries([...peers.entries()].map(([id, a]) => [String(id), a])),
    payCpu: opts.payCpu ?? true,
  });

  let load: LoadGenerator | undefined;
  const watchEvents = (p: ManagedProcess): void => {
    streams.get(p.index)?.();
    const c = clients.get(p.index);
    if (c === undefined) return;
    streams.set(
      p.index,
      c.events((line) => {
        if (line.startsWith('{"k":"acc"')) {
          accepted.push(clock.nowUs());
          const m = /"tx":([0-9]+)/.exec(line);
          if (m !== null) load?.accepted(Number(m[1]));
        }
        else if (line.startsWith('{"k":"unit"')) {
          const m = /"h":([0-9]+)/.exec(line);
          if (m !== null) height = Math.max(height, Number(m[1]));
        }
      }),
    );
  };

  const adopt = (p: ManagedProcess, ready: ReadyFile): boolean => {
    let moved = false;
    apiPorts.set(p.index, ready.apiPort);
    clients.get(p.index)?.close();
    clients.set(p.index, new ApiClient(ready.apiPort, token, hostOf(p.nodes[0]!)));
    for (const [id, port] of Object.entries(ready.ports)) {
      const nid = Number(id);
      if (ports.get(nid) !== port) moved = true;
      ports.set(nid, port);
      peers.set(nid, { host: hostOf(nid), port });
      const mport = ready.metricsPorts?.[id];
      if (mport !== undefined) {
        metricsPorts.set(nid, mport);
        monitor.nodeReady(nid, mport, hostOf(nid));
      }
    }
    return moved;
  };

  const pushPeers = async (targets: readonly ManagedProcess[]): Promise<void> => {
    const body = { peers: Object.fromEntries([...peers.entries()].map(([id, a]) => [String(id), a])) };
    await Promise.all(targets.filter((p) => p.pid !== undefined && !p.paused).map((p) => clients.get(p.index)!.ok('PUT', `/nodes/${p.nodes[0]}/peers`, body)));
  };

  const live = (): ManagedProcess[] => supervisor.processes().filter((p) => p.pid !== undefined);

  const actions: ClusterActions = {
    kill: async (node) => {
      const p = procOf.get(node)!;
      if (p.pid === undefined) return 'skipped: not running';
      streams.get(p.index)?.();
      await supervisor.kill(p);
      for (const id of p.nodes) monitor.nodeStopped(id);
      return 'ok';
    },
    restart: async (node) => {
      const p = procOf.get(node)!;
      if (p.pid !== undefined) return 'skipped: running';
      const slot = slots[p.index]!;
      writeFileAtomic(join(slot.dir, 'config.json'), JSON.stringify({ ...configFor(slot, clock.epochNs), rules } satisfies ProcessConfigInput));
      supervisor.spawn(p);
      const ready = await supervisor.waitReady(p, opts.startTimeoutMs ?? 30_000);
      const moved = adopt(p, ready);
      if (moved) await pushPeers(live().filter((q) => q !== p));
      watchEvents(p);
      return moved ? 'ok (new port)' : 'ok';
    },
    pause: async (node) => {
      const p = procOf.get(node)!;
      if (p.pid === undefined) return 'skipped: not running';
      return supervisor.pause(p) ? 'ok' : 'skipped: already paused';
    },
    resume: async (node) => {
      const p = procOf.get(node)!;
      if (!supervisor.resume(p)) return 'skipped: not paused';
      const missed = rulesWhilePaused.get(p.index) ?? [];
      rulesWhilePaused.delete(p.index);
      for (const r of missed) for (const id of p.nodes) await clients.get(p.index)!.ok('PUT', `/nodes/${id}/network`, r);
      return 'ok';
    },
    network: async (rule) => {
      // --kernel-net: partitions are the kernel's (every node, paused or down, is behind the rules at once).
      if (knet !== undefined && rule.kind === 'partition') {
        knet.partition(rule.grudge);
        return 'ok (nftables)';
      }
      if (knet !== undefined && rule.kind === 'heal') {
        knet.heal();
        return 'ok (nftables)';
      }
      rules.push(rule);
      const targets = live();
      await Promise.all(
        targets.map(async (p) => {
          if (p.paused) {
            rulesWhilePaused.set(p.index, [...(rulesWhilePaused.get(p.index) ?? []), rule]);
            return;
          }
          for (const id of p.nodes) await clients.get(p.index)!.ok('PUT', `/nodes/${id}/network`, rule);
        }),
      );
      return 'ok';
    },
  };

  let driver: FaultDriver | undefined;
  let endUs = 0;
  try {
    if (opts.kernelNet === true) {
      const bw = shapeInKernel ? { upMbps: scenario.network.bandwidth.upMbps, downMbps: scenario.network.bandwidth.downMbps } : undefined;
      knet = KernelNet.create({ nodeCount: n, ...(bw === undefined ? {} : { bandwidth: bw }), onRunId: (id) => supervisor.tellWatchdog(`net ${id}`) });
      for (const line of knet.stats.removedLeftovers) log(line);
      const k = knet;
      supervisor.wrap = (p) => k.execPrefix(p.nodes[0]!);
      log(`kernel-net ${k.names.runId}: ${n} namespaces ${k.names.namespace(0)}..${k.names.namespace(n - 1)} on bridge ${k.names.bridge} (${k.stats.subnet}), nftables table bridge ${k.names.table}${bw === undefined ? '' : `, tc tbf ${bw.upMbps}/${bw.downMbps} Mbit/s up/down`}`);
    }
    supervisor.onUnexpectedExit = (p, f) => {
      abort?.(`node ${p.nodes.join(',')} exited on its own (exit code ${f.exitCode ?? 'none'}${f.signal === null ? '' : `, signal ${f.signal}`}); log tail: ${f.logTail.split('\n').slice(-5).join(' | ')}`);
    };
    progress({ phase: 'starting', tps: 0, height: 0, note: `${slots.length} processes` });
    for (const slot of slots) {
      mkdirSync(slot.dir, { recursive: true });
      writeFileAtomic(join(slot.dir, 'config.json'), JSON.stringify(configFor(slot, undefined)));
      const p = supervisor.register(slot.index, slot.nodes, slot.dir);
      for (const id of slot.nodes) procOf.set(id, p);
      supervisor.spawn(p);
    }
    const readies = await Promise.all(supervisor.processes().map(async (p) => ({ p, r: await supervisor.waitReady(p, opts.startTimeoutMs ?? 60_000) })));
    for (const { p, r } of readies) adopt(p, r);
    await pushPeers(supervisor.processes());
    await waitForMesh(supervisor.processes(), clients, n, opts.startTimeoutMs ?? 60_000, aborted);
    log(`${n} nodes in ${slots.length} processes connected (full mesh) in ${runDir}`);

    const arrivals = arrivalsOf(scenario, seed, plan.phases, plan.byzantineSet);
    if (opts.realSignatures) {
      progress({ phase: 'signing', tps: 0, height: 0, note: `0/${arrivals.length} txs signed` });
      signArrivals(arrivals, scenario, seed, (done) => progress({ phase: 'signing', tps: 0, height: 0, note: `${done}/${arrivals.length} txs signed` }));
    }

    // Time 0 a little ahead, so every process has it before it comes.
    const epochNs = monotonicNs() + 1_000_000_000n;
    clock.start(epochNs);
    await monitor.startHarness(plan.faultPlan.windows, (us) => clock.msUntil(us));
    await Promise.all(supervisor.processes().map((p) => clients.get(p.index)!.ok('POST', '/start', { epochNs: epochNs.toString() })));
    for (const p of supervisor.processes()) watchEvents(p);
    hostStart = sampleHostCpu();
    harnessCpu0 = process.cpuUsage();

    load = new LoadGenerator(arrivals, clock, async (node, batch) => {
      const p = procOf.get(node)!;
      const c = clients.get(p.index);
      if (c === undefined || p.pid === undefined) throw new Error('down');
      return (await c.ok('POST', `/nodes/${node}/txs`, { txs: batch }, 30_000)) as { submitted: number; rejected: number };
    }, { policy: resubmitPolicyOf(scenario), generationOf: (node) => procOf.get(node)?.pid });
    driver = new FaultDriver(plan.faultPlan.faults, clock, actions, (f) => log(`fault ${f.kind} [${f.nodes.join(',')}] planned ${(f.plannedUs / 1e6).toFixed(3)} s, at ${(f.startedUs / 1e6).toFixed(3)} s, done ${(f.doneUs / 1e6).toFixed(3)} s: ${f.outcome}`));
    load.start();
    driver.start();

    const ticker = setInterval(() => {
      const now = clock.nowUs();
      while (accepted.length > 0 && accepted[0]! < now - 5_000_000) accepted.shift();
      progress({ phase: 'running', tps: accepted.length / Math.min(5, Math.max(0.001, now / 1e6)), height });
    }, 500);
    let endTimer: NodeJS.Timeout | undefined;
    const ended = await Promise.race([new Promise<undefined>((res) => (endTimer = setTimeout(() => res(undefined), clock.msUntil(scenario.duration)))), aborted]);
    clearTimeout(endTimer);
    clearInterval(ticker);
    endUs = Math.min(scenario.duration, Math.max(0, clock.nowUs()));
    hostEnd = sampleHostCpu();
    const h = process.cpuUsage(harnessCpu0);
    harnessCpuUs = h.user + h.system;
    if (ended !== undefined) failure = ended;
    progress({ phase: 'stopping', tps: 0, height });
  } catch (e) {
    failure = e instanceof Error ? e.message : String(e);
    endUs = clock.started ? Math.min(scenario.duration, Math.max(0, clock.nowUs())) : 0;
  } finally {
    await load?.stop();
    await driver?.stop();
    if (failure === undefined) {
      crossCheck = await monitor.crossCheck(Array.from({ length: n }, (_, id) => ({ node: id, file: historyFileOf(runDir, id) }))).catch((e: unknown) => {
        log(`prometheus cross-check failed: ${e instanceof Error ? e.message : String(e)}`);
        return undefined;
      });
    }
    for (const stop of streams.values()) stop();
    await supervisor.teardown(3_000, () => {
      try {
        knet?.tearDown();
      } catch (e) {
        failure ??= e instanceof Error ? e.message : String(e);
      }
    });
    for (let id = 0; id < n; id++) monitor.nodeStopped(id);
    await monitor.stop();
    for (const c of clients.values()) c.close();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    process.off('exit', lastResort);
  }
  if (failure === 'interrupted (SIGINT)') {
    if (!opts.keep) rmSync(runDir, { recursive: true, force: true });
    throw new RunInterrupted(`interrupted: every node process stopped${opts.keep ? `; run directory kept: ${runDir}` : ''}`);
  }
  const realised = driver?.realised ?? [];
  const summary = collectRealRun({
    scenario,
    seed,
    runDir,
    plan,
    repro: opts.repro,
    point: opts.point,
    endUs,
    wallSeconds: Number(process.hrtime.bigint() - wallStart) / 1e9,
    faults: realised,
    windows: realisedWindows(plan.faultPlan.windows, realised, endUs),
    load: load?.stats ?? { offered: 0, submitted: 0, rejected: 0, unreachable: 0, resubmitted: 0 },
    processes: slots.length,
    nodesPerProcess: opts.nodesPerProcess,
    realSignatures: opts.realSignatures,
    hostCpu: { start: hostStart, end: hostEnd ?? sampleHostCpu(), harnessCpuUs },
    ...(failure === undefined ? {} : { failure }),
    storeEngine: STORE_ENGINE,
  });
  if (crossCheck !== undefined && summary.real !== undefined) summary.real = { ...summary.real, prometheus: crossCheck };
  if (knet !== undefined && summary.real !== undefined) summary.real = { ...summary.real, kernelNet: { ...knet.stats } };
  writeFileAtomic(join(runDir, 'run.json'), `${JSON.stringify({ scenario: scenario.name, seed, runTag, processes: slots.length, faults: realised, summary }, null, 2)}\n`);
  if (!opts.keep) rmSync(runDir, { recursive: true, force: true });
  return { summary, runDir, kept: opts.keep };
}

/** Polls every process's status until each node is connected to every other node. */
async function waitForMesh(procs: readonly ManagedProcess[], clients: ReadonlyMap<number, ApiClient>, n: number, timeoutMs: number, aborted: Promise<string>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let why: string | undefined;
  void aborted.then((w) => (why = w));
  for (;;) {
    if (why !== undefined) throw new Error(why);
    let missing = 0;
    let worst = '';
    for (const p of procs) {
      const st = (await clients.get(p.index)!.ok('GET', '/status')) as Array<{ id: number; peers: number[] }>;
      for (const s of st) {
        if (s.peers.length < n - 1) {
          missing += n - 1 - s.peers.length;
          worst = `node ${s.id} has ${s.peers.length} of ${n - 1} peers`;
        }
      }
    }
    if (missing === 0) return;
    if (Date.now() > deadline) throw new Error(`the nodes did not connect within ${timeoutMs} ms (${worst})`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
