/**
 * Synthetic RunSummary values for tests and examples: plausible numbers made
 * from a few knobs, deterministic, with no simulator involved.
 */
import type { RunSummary } from '../metrics/summary.js';

export interface FixtureKnobs {
  scenario?: string;
  seed?: number;
  nodes?: number;
  offeredTps?: number;
  byzantineFraction?: number;
  faults?: boolean;
  point?: Record<string, string | number | boolean>;
}

/** A RunSummary whose figures follow simple laws of the knobs (latency grows with log N, TPS saturates). */
export function fixtureSummary(k: FixtureKnobs = {}): RunSummary {
  const nodes = k.nodes ?? 1000;
  const seed = k.seed ?? 1;
  const offered = k.offeredTps ?? 200;
  const f = k.byzantineFraction ?? 0;
  const jitter = 1 + ((seed * 7919) % 13) / 200; // 1.000 .. 1.060, deterministic per seed
  const capacity = 40_000 / Math.log(nodes);
  const live = f < 0.25;
  const tps = live ? Math.min(offered, capacity) * (1 - f) / jitter : offered * 0.02;
  const p50 = (10 + 5 * Math.log(nodes)) * jitter * (1 + 2 * f);
  const duration = 60;
  const throughput = Array.from({ length: duration }, (_, t) => ({
    tSeconds: t,
    tps: k.faults === true && t >= 20 && t < 30 ? tps * 0.2 : tps,
    offeredTps: offered,
  }));
  const latencyCdf = Array.from({ length: 21 }, (_, i) => ({ ms: p50 * (0.5 + i * 0.1), fraction: Math.min(1, i / 20) }));
  return {
    scenario: k.scenario ?? 'fixture',
    seed,
    nodes,
    point: k.point ?? {},
    outcome: { kind: 'completed' },
    traceHash: (0x9e3779b9 ^ (seed * 65_537 + nodes)).toString(16).replace('-', ''),
    events: 1_000_000 + nodes * 100,
    simSeconds: duration,
    wallSeconds: 12,
    eventsPerSecond: 90_000,
    simToWallRatio: 5,
    offeredTps: offered,
    tps,
    acceptedTransactions: Math.round(tps * duration),
    acceptedBlocks: Math.round(duration * 10),
    latencyMs: { p50, p95: p50 * 1.6, p99: p50 * 2.1, mean: p50 * 1.1, max: p50 * 3, count: Math.round(tps * duration) },
    latencyCdf,
    nodeLatencyMs: { p50: p50 * 0.9, p95: p50 * 1.5, p99: p50 * 2, mean: p50, max: p50 * 2.8, count: 1000 },
    pollSuccessRate: live ? 0.97 - f : 0.4,
    pollsPerDecision: 22,
    messagesPerNodePerSecond: 400,
    bytesPerNodePerSecond: 400 * 800,
    cpuUtilisation: Math.min(1, offered / 2000),
    cpuUtilisationMax: Math.min(1, offered / 1500),
    cpuQueueDelayMs: 0.4,
    memoryBytesPerNode: 250_000,
    recoveryMs: k.faults === true ? 1800 : null,
    throughput,
    faultWindows: k.faults === true ? [{ kind: 'kill', startSeconds: 20, endSeconds: 30 }] : [],
    byzantine: f > 0 ? { strategy: 'silent', fraction: f, nodes: Math.round(f * nodes) } : null,
    safety: { violations: f >= 0.33 ? 1 : 0, examples: f >= 0.33 ? [{ height: 12, nodes: [3, 9], blocks: ['aa', 'bb'], timeMs: 4100 }] : [] },
    liveness: { ok: live, undecided: live ? 0 : 120, lateAccepted: 0, boundMs: 30_000 },
    checks: [],
    repro: `avsim run experiments/fixture.yaml --seed ${seed}`,
  };
}
