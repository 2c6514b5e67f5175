/**
 * The tables and derived figures of bench:scale: CPU time per simulated
 * second head against base (ratios measured side by side), each side's
 * absolute figures, events per CPU-second across sizes, the 2-worker
 * speedup, the long run's RSS over simulated time, and the targets.
 */
import { compare, okFigures, type Paired } from './alternate.js';
import { outcomeNote, type ChildOutcome } from './child.js';
import { cpuPerUnit, type ScenarioFigures } from './jobs.js';
import { fmt, GiB, median, MiB } from './stats.js';
import { markdownTable } from './table.js';

export interface ScaleRow {
  nodes: number;
  workers: number;
  paired: Paired;
}

function scenarioRuns(outcomes: readonly ChildOutcome[]): ScenarioFigures[] {
  return okFigures(outcomes).filter((f): f is ScenarioFigures => f.kind === 'scenario');
}

/** The completed run with the median CPU time per simulated second (the lower middle one for an even count). */
export function medianRun(outcomes: readonly ChildOutcome[]): ScenarioFigures | undefined {
  const runs = scenarioRuns(outcomes).toSorted((a, b) => cpuPerUnit(a) - cpuPerUnit(b));
  return runs[(runs.length - 1) >> 1];
}

function hashOf(outcomes: readonly ChildOutcome[]): string {
  return medianRun(outcomes)?.traceHash ?? '';
}

/** CPU time per simulated second, head against base, per (size, workers). */
export function ratioTable(rows: readonly ScaleRow[]): string {
  return markdownTable(
    ['nodes', 'W', 'base CPU s/sim s', 'head CPU s/sim s', 'head/base', 'speedup', 'per-round head/base', 'base sim/wall', 'head sim/wall', 'head trace hash', 'hash = base'],
    rows.map((r) => {
      const c = compare(r.paired);
      const b = medianRun(r.paired.base);
      const h = medianRun(r.paired.head);
      return [
        fmt(r.nodes),
        String(r.workers),
        fmt(c.base, 3),
        fmt(c.head, 3),
        fmt(c.ratio, 3),
        Number.isFinite(c.ratio) ? `${fmt(1 / c.ratio, 2)}x` : '',
        c.ratios.map((x) => x.toFixed(3)).join(' '),
        b === undefined ? '' : fmt(b.simSeconds / b.wallSeconds, 3),
        h === undefined ? '' : fmt(h.simSeconds / h.wallSeconds, 3),
        hashOf(r.paired.head),
        b === undefined || h === undefined ? '' : b.traceHash === h.traceHash ? 'yes' : 'NO',
      ];
    }),
  );
}

/** One side's absolute figures (the median run of each row). */
export function absoluteTable(rows: readonly ScaleRow[], side: 'base' | 'head'): string {
  return markdownTable(
    ['nodes', 'W', 'status', 'sim s', 'wall s', 'events', 'events/s', 'events/CPU s', 'sim/wall', 'CPU s', 'CPU s/sim s', 'peak RSS MiB', 'bytes/node', 'lookahead ms', 'trace hash'],
    rows.map((r) => {
      const outcomes = r.paired[side];
      const m = medianRun(outcomes);
      if (m === undefined) {
        const failed = outcomes[0];
        return [fmt(r.nodes), String(r.workers), failed === undefined ? 'not run' : outcomeNote(failed)];
      }
      return [
        fmt(m.nodes),
        String(m.workers),
        m.completed ? 'ok' : m.note,
        fmt(m.simSeconds, 2),
        fmt(m.wallSeconds, 1),
        fmt(m.events),
        fmt(m.events / m.wallSeconds),
        fmt(m.events / m.cpuSeconds),
        fmt(m.simSeconds / m.wallSeconds, 3),
        fmt(m.cpuSeconds, 1),
        fmt(cpuPerUnit(m), 3),
        fmt(m.peakRssBytes / MiB),
        fmt(Math.max(0, m.peakRssBytes - m.rssBeforeBytes) / m.nodes),
        m.lookaheadMs === null ? '' : fmt(m.lookaheadMs),
        m.traceHash,
      ];
    }),
  );
}

/** Median events per CPU-second of one side's row. */
export function eventsPerCpuSecond(row: ScaleRow | undefined, side: 'base' | 'head'): number {
  if (row === undefined) return NaN;
  return median(scenarioRuns(row.paired[side]).map((f) => f.events / f.cpuSeconds));
}

/** Wall-time speedup of W workers over 1 (medians), and the CPU it costs (CPU W / CPU 1). */
export function workerSpeedup(one: ScaleRow | undefined, many: ScaleRow | undefined, side: 'base' | 'head'): { wall: number; cpu: number } {
  if (one === undefined || many === undefined) return { wall: NaN, cpu: NaN };
  const w = (r: ScaleRow): number => median(scenarioRuns(r.paired[side]).map((f) => f.wallSeconds));
  const c = (r: ScaleRow): number => median(scenarioRuns(r.paired[side]).map((f) => f.cpuSeconds));
  return { wall: w(one) / w(many), cpu: c(many) / c(one) };
}

/** The long run's RSS at the requested simulated times, and how flat it is (max / min − 1). */
export function rssLine(o: ChildOutcome): string {
  if (o.status !== 'ok' || o.figures.kind !== 'scenario') {
    const trail = o.progress.filter((_, i, a) => i % Math.max(1, Math.floor(a.length / 6)) === 0 || i === a.length - 1);
    const seen = trail.map((p) => `${fmt(p.simSeconds, 1)} s: ${fmt(p.rssBytes / GiB, 2)} GiB`).join(', ');
    return `${outcomeNote(o)}; RSS on the way: ${seen}`;
  }
  const f = o.figures;
  const at = f.rssAt.map((s) => `${fmt(s.simSeconds, 1)} s: ${fmt(s.rssBytes / GiB, 2)} GiB (heap ${fmt(s.heapUsedBytes / GiB, 2)})`).join(', ');
  const xs = f.rssAt.map((s) => s.rssBytes);
  const spread = xs.length > 1 ? Math.max(...xs) / Math.min(...xs) - 1 : NaN;
  return (
    `${fmt(f.nodes)} nodes, ${f.workers} worker(s), ${fmt(f.simSeconds)} simulated s in ${fmt(f.wallSeconds)} wall s: RSS at ${at}; ` +
    `spread ${fmt(spread * 100, 1)} %; peak ${fmt(f.peakRssBytes / GiB, 2)} GiB = ${fmt(f.peakRssBytes / f.nodes / 1024)} KB per node; trace hash ${f.traceHash}`
  );
}

export interface Target {
  goal: string;
  measured: string;
  met: boolean | undefined;
}

export function targetsTable(targets: readonly Target[]): string {
  return markdownTable(
    ['goal', 'measured', 'verdict'],
    targets.map((t) => [t.goal, t.measured, t.met === undefined ? 'not measured' : t.met ? 'met' : 'not met']),
  );
}
