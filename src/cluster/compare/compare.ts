/**
 * Simulated against real, for the same scenario and seed: each figure side
 * by side with its ratio (real / simulated), the KS distance between the two
 * client latency distributions, a verdict against tolerances, and whether
 * the simulated run used the CPU costs the real run calibrated.
 */
import { quantileOf, type RunSummary } from '../../metrics/summary.js';
import { ksDistance } from './ks.js';

export interface Tolerances {
  /** |real/sim − 1| allowed, as fractions (0.05 = 5%). */
  tps: number;
  p50: number;
  p95: number;
}

export const DEFAULT_TOLERANCES: Tolerances = { tps: 0.05, p50: 0.15, p95: 0.15 };

export interface FigureRow {
  figure: string;
  sim: number | null;
  real: number | null;
  /** real / sim (null when either is missing or sim is 0). */
  ratio: number | null;
  /** The tolerance this figure is judged by, if any. */
  tolerance?: number;
  ok?: boolean;
}

export interface PairComparison {
  scenario: string;
  seed: number;
  nodes: number;
  rows: FigureRow[];
  ksClientLatency: number;
  safety: { sim: number; real: number };
  verdict: 'pass' | 'fail';
  /** Why a fail failed (figures outside tolerance, violations). */
  reasons: string[];
  calibration: {
    suggested: Record<string, string | boolean>;
    /** --set flags of the suggested section the simulated run did not use. */
    missing: string[];
  } | null;
  emulationErrorMs: { p50: number; p99: number } | null;
  hostCpuBusy: number | null;
  /** Of it, this run's processes and other work on the machine (older summaries lack the split). */
  hostCpuRun: number | null;
  hostCpuOther: number | null;
}

const round = (x: number, d = 4): number => Math.round(x * 10 ** d) / 10 ** d;

function row(figure: string, sim: number | null, real: number | null, tolerance?: number): FigureRow {
  const ratio = sim === null || real === null || sim === 0 ? null : round(real / sim);
  const r: FigureRow = { figure, sim, real, ratio };
  if (tolerance !== undefined) {
    r.tolerance = tolerance;
    r.ok = ratio !== null && Math.abs(ratio - 1) <= tolerance + 1e-9;
  }
  return r;
}

export function comparePair(sim: RunSummary, real: RunSummary, tol: Tolerances = DEFAULT_TOLERANCES): PairComparison {
  const rows: FigureRow[] = [
    row('TPS (sustained)', sim.tps, real.tps, tol.tps),
    row('client latency p50 (ms)', quantileOf(sim.latencyMs, 'p50'), quantileOf(real.latencyMs, 'p50'), tol.p50),
    row('client latency p95 (ms)', quantileOf(sim.latencyMs, 'p95'), quantileOf(real.latencyMs, 'p95'), tol.p95),
    row('client latency p99 (ms)', quantileOf(sim.latencyMs, 'p99'), quantileOf(real.latencyMs, 'p99')),
    row('node latency p50 (ms)', quantileOf(sim.nodeLatencyMs, 'p50'), quantileOf(real.nodeLatencyMs, 'p50')),
    row('node latency p95 (ms)', quantileOf(sim.nodeLatencyMs, 'p95'), quantileOf(real.nodeLatencyMs, 'p95')),
    row('node latency p99 (ms)', quantileOf(sim.nodeLatencyMs, 'p99'), quantileOf(real.nodeLatencyMs, 'p99')),
    row('poll success rate', sim.pollSuccessRate, real.pollSuccessRate),
    row('polls per decision', sim.pollsPerDecision, real.pollsPerDecision),
    row('messages per node per second', sim.messagesPerNodePerSecond, real.messagesPerNodePerSecond),
    row('bytes per node per second', sim.bytesPerNodePerSecond, real.bytesPerNodePerSecond),
    row('CPU utilisation (mean per node)', sim.cpuUtilisation, real.cpuUtilisation),
    row('accepted blocks (height)', sim.acceptedBlocks, real.acceptedBlocks),
    row('recovery after last fault (ms)', sim.recoveryMs, real.recoveryMs),
  ];
  const reasons: string[] = [];
  for (const r of rows) {
    if (r.ok === false) reasons.push(`${r.figure}: real/sim = ${r.ratio ?? 'n/a'}, outside ±${Math.round((r.tolerance ?? 0) * 100)}%`);
  }
  if (sim.safety.violations > 0 || real.safety.violations > 0) reasons.push(`safety violations: sim ${sim.safety.violations}, real ${real.safety.violations}`);
  if (real.outcome.kind !== 'completed') reasons.push(`real run did not complete: ${real.outcome.kind === 'error' ? real.outcome.message : real.outcome.kind}`);
  const cal = real.real?.calibration;
  let calibration: PairComparison['calibration'] = null;
  if (cal !== undefined) {
    const missing = Object.entries(cal.suggestedCpu)
      .filter(([k, v]) => String(sim.point[`cpu.${k}`] ?? cal.scenarioCpu[k]) !== String(v))
      .map(([k, v]) => `cpu.${k}=${String(v)}`);
    calibration = { suggested: cal.suggestedCpu, missing };
  }
  return {
    scenario: real.scenario,
    seed: real.seed,
    nodes: real.nodes,
    rows,
    ksClientLatency: ksDistance(sim.latencyCdf ?? [], real.latencyCdf ?? []),
    safety: { sim: sim.safety.violations, real: real.safety.violations },
    verdict: reasons.length === 0 ? 'pass' : 'fail',
    reasons,
    calibration,
    emulationErrorMs: real.real === undefined ? null : { p50: real.real.emulationError.p50Ms, p99: real.real.emulationError.p99Ms },
    hostCpuBusy: real.real?.hostCpu.busyFraction ?? null,
    hostCpuRun: real.real?.hostCpu.runFraction ?? null,
    hostCpuOther: real.real?.hostCpu.otherFraction ?? null,
  };
}

/** Pairs runs by (scenario, seed): simulated ones from `sims`, real ones from `reals`. Throws naming what is missing. */
const pairKey = (r: RunSummary): string => `${r.scenario}\u0000${r.seed}`;

export function pairRuns(sims: readonly RunSummary[], reals: readonly RunSummary[]): Array<{ sim: RunSummary; real: RunSummary }> {
  const key = pairKey;
  const simBy = new Map<string, RunSummary>();
  for (const s of sims) if (s.mode !== 'real') simBy.set(key(s), s);
  const out: Array<{ sim: RunSummary; real: RunSummary }> = [];
  for (const r of reals) {
    if (r.mode !== 'real') continue;
    const s = simBy.get(key(r));
    if (s !== undefined) out.push({ sim: s, real: r });
  }
  if (out.length === 0) {
    throw new Error(`no run of the real directory has a simulated run of the same scenario and seed (real: ${reals.filter((r) => r.mode === 'real').map((r) => `${r.scenario} seed ${r.seed}`).join(', ') || 'none'}; sim: ${sims.filter((r) => r.mode !== 'real').map((r) => `${r.scenario} seed ${r.seed}`).join(', ') || 'none'})`);
  }
  return out;
}

const fmt = (x: number | null): string => (x === null ? '–' : Math.abs(x) >= 100 ? x.toFixed(0) : Math.abs(x) >= 1 ? x.toFixed(2) : x.toFixed(4));

/** The comparison as a Markdown table with its verdict. */
export function comparisonMarkdown(c: PairComparison): string {
  const lines = [
    `### ${c.scenario}, seed ${c.seed}, ${c.nodes} nodes: ${c.verdict.toUpperCase()}`,
    '',
    '| figure | simulated | real | real/sim | tolerance |',
    '| --- | ---: | ---: | ---: | --- |',
    ...c.rows.map((r) => `| ${r.figure} | ${fmt(r.sim)} | ${fmt(r.real)} | ${fmt(r.ratio)} | ${r.tolerance === undefined ? '' : `±${Math.round(r.tolerance * 100)}% ${r.ok === true ? 'ok' : 'OUT'}`} |`),
    '',
    `KS distance, client latency distributions: ${c.ksClientLatency}`,
    `Safety violations: simulated ${c.safety.sim}, real ${c.safety.real}`,
    ...(c.emulationErrorMs === null ? [] : [`Latency emulation error (actual − intended arrival): p50 ${c.emulationErrorMs.p50} ms, p99 ${c.emulationErrorMs.p99} ms; host CPU busy ${Math.round((c.hostCpuBusy ?? 0) * 100)}%${c.hostCpuRun === null || c.hostCpuOther === null ? '' : ` (this run ${Math.round(c.hostCpuRun * 100)}%, other work on the machine ${Math.round(c.hostCpuOther * 100)}%)`}`]),
    ...(c.calibration === null
      ? []
      : [
          `Calibrated cpu section (from the real run): ${Object.entries(c.calibration.suggested).map(([k, v]) => `${k}: ${String(v)}`).join(', ')}`,
          c.calibration.missing.length === 0 ? 'The simulated run used it.' : `The simulated run did not use: ${c.calibration.missing.map((m) => `--set ${m}`).join(' ')}`,
        ]),
    ...(c.reasons.length === 0 ? [] : ['', ...c.reasons.map((r) => `- ${r}`)]),
    '',
  ];
  return lines.join('\n');
}
