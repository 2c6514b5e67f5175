/**
 * A finished real run -> the RunSummary contract, computed by the same code
 * as a simulated run: the nodes' histories are replayed in time order into
 * the simulator's RunCollector (latency histograms, throughput buckets, poll
 * counts, the safety and liveness checkers), and src/runner/summarise.ts
 * turns it into the summary. What only a real run has goes into `real`.
 */
import { createHash } from 'node:crypto';
import { cpus, loadavg } from 'node:os';
import { protocolOrThrow } from '../../consensus/protocols.js';
import type { Micros } from '../../consensus/host.js';
import type { RealRunDetails, RunSummary } from '../../metrics/summary.js';
import { collectorFor, byzantineStakeFraction, type RunPlan } from '../../runner/run-scenario.js';
import type { FaultPlan, FaultWindow } from '../../runner/fault-timeline.js';
import { summarise } from '../../runner/summarise.js';
import type { Scenario } from '../../scenario/schema.js';
import type { SweepPoint } from '../../scenario/sweep.js';
import type { RunResult } from '../../sim/types.js';
import { EmulationError } from '../net/emulation-error.js';
import { formatCpuSection } from '../compare/calibration.js';
import type { HistoryRecord } from '../node/history.js';
import { mergedRecords, readHistory, type NodeHistory, type Stats } from './histories.js';
import type { LoadStats } from './load-generator.js';
import type { RealisedFault } from './fault-driver.js';
import type { HostCpuSample } from './host-cpu.js';
import { hostCpuBetween } from './host-cpu.js';

export interface CollectInput {
  scenario: Scenario;
  seed: number;
  runDir: string;
  plan: RunPlan;
  repro: string;
  point: SweepPoint;
  endUs: Micros;
  wallSeconds: number;
  faults: readonly RealisedFault[];
  windows: readonly FaultWindow[];
  load: LoadStats;
  processes: number;
  nodesPerProcess: number;
  realSignatures: boolean;
  /** Samples at time 0 and at the end of the duration; the harness's CPU µs in between. */
  hostCpu: { start: HostCpuSample; end: HostCpuSample; harnessCpuUs: number };
  /** Set when the run ended early (a node died on its own, the harness failed). */
  failure?: string;
  storeEngine: string;
}

const round = (x: number, digits = 3): number => {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
};

function quantiles(samples: number[]): { count: number; p50Ms: number; p99Ms: number; maxMs: number; meanMs: number } {
  if (samples.length === 0) return { count: 0, p50Ms: 0, p99Ms: 0, maxMs: 0, meanMs: 0 };
  const s = samples.toSorted((a, b) => a - b);
  const q = (p: number): number => s[Math.min(s.length - 1, Math.max(0, Math.ceil(p * s.length) - 1))]!;
  const mean = s.reduce((a, b) => a + b, 0) / s.length;
  return { count: s.length, p50Ms: round(q(0.5) / 1000), p99Ms: round(q(0.99) / 1000), maxMs: round(s[s.length - 1]! / 1000), meanMs: round(mean / 1000) };
}

/** Sum of the last stats line of every incarnation of a node. */
function sumStats(h: NodeHistory, f: (s: Stats) => number): number {
  let t = 0;
  for (const s of h.lastStats.values()) t += f(s);
  return t;
}

/**
 * The engine's protocol counters (drops.expired, bootstrapMs.node<id>, …) of
 * every node: each incarnation's last stats line holds that incarnation's
 * totals (a node killed loses at most its last second of counts).
 */
export function protocolCounts(histories: readonly NodeHistory[]): Array<{ name: string; value: number; node: number }> {
  const out: Array<{ name: string; value: number; node: number }> = [];
  for (const h of histories) {
    for (const st of h.lastStats.values()) {
      for (const [name, value] of Object.entries(st.cnt ?? {}).toSorted(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) out.push({ name, value, node: h.node });
    }
  }
  return out;
}

export function collectRealRun(input: CollectInput): RunSummary {
  const { scenario, plan } = input;
  const n = scenario.nodes.count;
  const histories = Array.from({ length: n }, (_, id) => readHistory(input.runDir, id));
  const faultPlan: FaultPlan = { faults: plan.faultPlan.faults, windows: [...input.windows] };
  const collector = collectorFor(scenario, protocolOrThrow(scenario.protocol.name), plan.byzantineSet, faultPlan, input.repro);

  // Fault window edges, as the simulator's loop feeds them (starts first at equal times).
  const edges = input.windows.flatMap((w) => [
    { t: w.startUs, start: true },
    { t: w.endUs, start: false },
  ]);
  edges.sort((a, b) => a.t - b.t || Number(a.start) - Number(b.start));
  let edge = 0;
  const lag: number[] = [];
  const submittedTxs = new Set<number>();
  let delivered = 0;
  for (const r of mergedRecords(histories)) {
    if (r.t > input.endUs) break;
    while (edge < edges.length && edges[edge]!.t <= r.t) {
      const e = edges[edge++]!;
      if (e.start) collector.liveness.faultStarted(e.t);
      else collector.liveness.faultHealed(e.t);
    }
    switch (r.k) {
      // The same calls, in the same order per node, as the node's engine made them (RunMetrics).
      case 'sub':
        // A client's resubmission of a transaction (same id, another node): the transaction counts once, from its
        // first submission, and is decided by whichever node reports it accepted first.
        if (submittedTxs.has(r.tx)) break;
        submittedTxs.add(r.tx);
        collector.txSubmitted(r.tx, r.n, r.t);
        if (r.it !== undefined) lag.push(Math.max(0, r.t - r.it));
        break;
      case 'acc':
        collector.txAccepted(r.tx, r.n, r.t);
        break;
      case 'chk':
        collector.check(r.in, r.n, r.t);
        delivered++;
        break;
      case 'unit':
        collector.unitAccepted(r.n, r.h, r.b, r.t);
        break;
      case 'poll':
        for (let i = 0; i < r.cnt; i++) collector.pollFinished(r.n, i < r.ok, r.t);
        break;
      case 'bst':
        collector.nodeBootstrapped(r.n, r.from, r.t);
        break;
      default:
        break;
    }
  }
  for (const c of protocolCounts(histories)) collector.count(c.name, c.value, c.node);
  while (edge < edges.length && edges[edge]!.t <= input.endUs) {
    const e = edges[edge++]!;
    if (e.start) collector.liveness.faultStarted(e.t);
    else collector.liveness.faultHealed(e.t);
  }

  const endUs = input.endUs;
  const sec = endUs / 1e6;
  const nodes = {
    messagesSent: new Float64Array(n),
    bytesSent: new Float64Array(n),
    messagesReceived: new Float64Array(n),
    bytesReceived: new Float64Array(n),
    processed: new Float64Array(n),
    cpuBusyUs: new Float64Array(n),
    queueDelayUsSum: new Float64Array(n),
    maxQueueLength: new Int32Array(n),
    timersFired: new Float64Array(n),
    clientRequests: new Float64Array(n),
    clientDropped: new Float64Array(n),
  };
  const emu = new EmulationError();
  let fifoHoldUs = 0;
  let frozen = 0;
  let queued = 0;
  const perKind = new Map<string, { received: number; handleUs: number }>();
  const sig = { verifies: 0, verifyUs: 0, signs: 0, signUs: 0 };
  let busyPaid = 0;
  let charged = 0;
  let storeWrites = 0;
  let storeUs = 0;
  const badFrames: Record<string, number> = {};
  const transport = { droppedNotConnected: 0, droppedQueueFull: 0, disconnects: 0, codecErrors: 0, refusedMessages: 0 };
  const perNode: RealRunDetails['perNode'] = [];
  const p = input.nodesPerProcess;
  for (const h of histories) {
    const i = h.node;
    nodes.messagesSent[i] = sumStats(h, (s) => s.sent);
    nodes.bytesSent[i] = sumStats(h, (s) => s.sentBytes);
    nodes.messagesReceived[i] = sumStats(h, (s) => s.received);
    nodes.processed[i] = nodes.messagesReceived[i]!;
    // A process's CPU time, shared evenly by its nodes (one node per process by default).
    nodes.cpuBusyUs[i] = sumStats(h, (s) => (s.process.cpuUserUs + s.process.cpuSystemUs) / p);
    nodes.queueDelayUsSum[i] = sumStats(h, (s) => (s.process.eventLoopDelayMeanUs ?? 0) * s.received);
    let rss = 0;
    for (const s of h.lastStats.values()) {
      emu.merge(s.emulation);
      frozen += s.frozenArrivals ?? 0;
      fifoHoldUs += s.links.fifoHoldUs;
      queued += s.links.queued;
      for (const [k, v] of Object.entries(s.kinds)) {
        const e = perKind.get(k) ?? { received: 0, handleUs: 0 };
        e.received += v.received;
        e.handleUs += v.handleUs;
        perKind.set(k, e);
      }
      // Process-wide counters: counted once per process (its lowest node).
      if (i % p === 0) {
        sig.verifies += s.sig.verifies;
        sig.verifyUs += s.sig.verifyUs;
        sig.signs += s.sig.signs;
        sig.signUs += s.sig.signUs;
        busyPaid += s.busyUs;
      }
      charged += s.chargedUs;
      storeWrites += s.store.writes;
      storeUs += s.store.writeUs;
      for (const [k, v] of Object.entries(s.transport.badFrames)) badFrames[k] = (badFrames[k] ?? 0) + v;
      transport.droppedNotConnected += s.transport.dropped['not-connected'] ?? 0;
      transport.droppedQueueFull += s.transport.dropped['queue-full'] ?? 0;
      transport.disconnects += s.transport.disconnects;
      transport.codecErrors += s.codecErrors;
      transport.refusedMessages += s.refusedMessages;
      rss = Math.max(rss, s.process.rssBytes / p);
    }
    perNode.push({ node: i, cpuUtilisation: round(Math.min(1, nodes.cpuBusyUs[i]! / Math.max(1, endUs)), 4), rssBytes: Math.round(rss), messagesSent: nodes.messagesSent[i]!, incarnations: h.boots.length });
  }

  let received = 0;
  let handleUs = 0;
  for (const v of perKind.values()) {
    received += v.received;
    handleUs += v.handleUs;
  }
  const meanHandle = received === 0 ? 0 : handleUs / received;
  const overhead = processOverheadPerMessage(histories, p);
  const sigVerifyUs = sig.verifies === 0 ? null : sig.verifyUs / sig.verifies;
  const sigSignUs = sig.signs === 0 ? null : sig.signUs / sig.signs;

  const result: RunResult = {
    outcome: { kind: 'completed', endedBy: 'duration' },
    endTimeUs: endUs,
    events: delivered + nodes.processed.reduce((a, b) => a + b, 0),
    traceHash: chainHash(histories, plan.byzantineSet),
    nodes,
    network: { droppedLoss: 0, droppedPartition: 0, droppedCrashed: 0, duplicated: 0 },
    pendingEvents: 0,
  };
  const summary = summarise({
    scenario,
    seed: input.seed,
    result,
    collector,
    byzantine: plan.byzantine,
    byzantineStakeFraction: byzantineStakeFraction(plan.stake, plan.byzantineSet),
    faultPlan,
    phases: plan.phases,
    wallSeconds: input.wallSeconds,
    memoryBytesPerNode: perNode.reduce((a, x) => a + x.rssBytes, 0) / Math.max(1, n),
    repro: input.repro,
    point: input.point,
  });
  const cores = cpus().length;
  const real: RealRunDetails = {
    processes: input.processes,
    nodesPerProcess: p,
    realSignatures: input.realSignatures,
    emulationError: (() => {
      const e = emu.summary();
      return { count: e.count, p50Ms: e.p50Ms, p99Ms: e.p99Ms, maxMs: e.maxMs, meanMs: e.meanMs, early: e.early, maxEarlyMs: e.maxEarlyMs, frozen };
    })(),
    fifoHoldMeanMs: round(queued === 0 ? 0 : fifoHoldUs / queued / 1000),
    loadGenerator: { ...input.load, lagMs: quantiles(lag) },
    faults: input.faults.map((f) => ({ kind: f.kind, nodes: [...f.nodes], plannedSeconds: round(f.plannedUs / 1e6), realisedSeconds: round(f.startedUs / 1e6), doneSeconds: round(f.doneUs / 1e6), outcome: f.outcome })),
    restarts: restartsOf(histories),
    hostCpu: hostCpuOf(cores, input.hostCpu, nodes.cpuBusyUs, endUs),
    perNode,
    transport: { badFrames, ...transport },
    store: { engine: input.storeEngine, writes: storeWrites, meanWriteMs: round(storeWrites === 0 ? 0 : storeUs / storeWrites / 1000) },
    calibration: {
      perKind: Object.fromEntries([...perKind.entries()].toSorted(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, { received: v.received, meanHandleUs: round(v.received === 0 ? 0 : v.handleUs / v.received, 1) }])),
      meanHandleUsPerMessage: round(meanHandle, 1),
      processOverheadUsPerMessage: overhead === null ? null : round(overhead, 1),
      sigVerifyUs: sigVerifyUs === null ? null : round(sigVerifyUs, 1),
      sigSignUs: sigSignUs === null ? null : round(sigSignUs, 1),
      busyWorkPaidUs: Math.round(busyPaid),
      modelledChargedUs: Math.round(charged),
      scenarioCpu: formatCpuSection(scenario, { meanHandleUs: 0, sigVerifyUs: null, sigSignUs: null }),
      suggestedCpu: formatCpuSection(scenario, { meanHandleUs: overhead ?? meanHandle, sigVerifyUs, sigSignUs }),
    },
    environment: { node: process.version, platform: `${process.platform}-${process.arch}`, cpuModel: cpus()[0]?.model ?? 'unknown', cores },
  };
  const out: RunSummary = { ...summary, mode: 'real', real, simToWallRatio: round(input.wallSeconds > 0 ? sec / input.wallSeconds : 0) };
  if (input.failure !== undefined) out.outcome = { kind: 'error', message: input.failure };
  return out;
}

/** 16 hex chars over the chain most honest nodes accepted (id per height): a fingerprint, not a reproducible trace hash. */
function chainHash(histories: readonly NodeHistory[], byzantine: ReadonlySet<number>): string {
  const byHeight = new Map<number, number>();
  for (const h of histories) {
    if (byzantine.has(h.node)) continue;
    for (const r of h.records) if (r.k === 'chk') byHeight.set((r.in as { height: number }).height, (r.in as { id: number }).id);
  }
  const hash = createHash('sha256');
  for (const [height, id] of [...byHeight.entries()].toSorted((a, b) => a[0] - b[0])) hash.update(`${height}:${id};`);
  return hash.digest('hex').slice(0, 16);
}

/** For each restarted incarnation: the chain it reopened, and whether the next block it accepted extends it. */
function restartsOf(histories: readonly NodeHistory[]): RealRunDetails['restarts'] {
  const out: RealRunDetails['restarts'] = [];
  for (const h of histories) {
    for (const boot of h.boots) {
      if (boot.inc <= 1) continue;
      const next = h.records.find((r): r is Extract<HistoryRecord, { k: 'chk' }> => r.k === 'chk' && r.t >= boot.t);
      const nextHeight = next === undefined ? null : (next.in as { height: number }).height;
      // Before the crash the node had accepted blocks up to some height; the restored chain must be a prefix of it, and the next acceptance its child.
      const before = new Map<number, number>();
      for (const r of h.records) if (r.k === 'chk' && r.t < boot.t) before.set((r.in as { height: number }).height, (r.in as { id: number }).id);
      const prefixOk = boot.h === 0 || before.get(boot.h) === boot.last;
      const parent = next === undefined ? undefined : (next.in as { parent?: number }).parent;
      out.push({
        node: h.node,
        incarnation: boot.inc,
        restoredHeight: boot.h,
        restoredId: boot.last,
        nextHeight,
        continued: nextHeight === null ? null : prefixOk && nextHeight === boot.h + 1 && parent === boot.last,
      });
    }
  }
  return out;
}

/**
 * The machine's CPU over the run: all of it (/proc/stat), the part this run
 * spent (its node processes, every incarnation, and the harness), and the
 * rest, which is other work on a shared machine. The run's part counts each
 * node process's whole life (its start-up too), so it is a slight over-estimate.
 */
export function hostCpuOf(cores: number, h: CollectInput['hostCpu'], nodeCpuUs: Float64Array, endUs: number): RealRunDetails['hostCpu'] {
  const busy = hostCpuBetween(h.start, h.end);
  const capacity = cores * Math.max(1, endUs);
  const own = Math.min(1, (nodeCpuUs.reduce((a, b) => a + b, 0) + h.harnessCpuUs) / capacity);
  return { cores, busyFraction: round(busy, 4), runFraction: round(own, 4), otherFraction: round(Math.max(0, busy - own), 4), loadAverage1m: round(loadavg()[0] ?? 0, 2) };
}

/**
 * What a node process spends per message it receives beyond the modelled
 * busy work and the signature checks, in the steady state (from each
 * incarnation's first stats line, a second after its boot, to its last):
 * decoding, the engine, encoding and framing what it sends, the sockets, the
 * timers, the history, the garbage collector. This, not the handler time
 * alone, is what the simulator must charge per message for its nodes to be
 * as busy as the real ones. Null without two stats lines of one incarnation.
 */
/** A stats line's process CPU beyond busy work and signatures, µs (process-wide). */
const unmodelledCpuUs = (x: Stats): number => x.process.cpuUserUs + x.process.cpuSystemUs - x.busyUs - x.sig.verifyUs - x.sig.signUs;

export function processOverheadPerMessage(histories: readonly NodeHistory[], nodesPerProcess: number): number | null {
  let cpu = 0;
  let msgs = 0;
  for (const h of histories) {
    for (const [inc, last] of h.lastStats) {
      const first = h.firstStats.get(inc);
      if (first === undefined || first === last) continue;
      cpu += (unmodelledCpuUs(last) - unmodelledCpuUs(first)) / nodesPerProcess;
      msgs += last.received - first.received;
    }
  }
  return msgs > 0 ? Math.max(0, cpu / msgs) : null;
}
