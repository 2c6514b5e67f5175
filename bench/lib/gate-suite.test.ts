import { describe, expect, it } from 'vitest';
import { compare, type Paired } from './alternate.js';
import type { ChildOutcome } from './child.js';
import { gateExitCode, roundsOf, rowVerdict, SUITES } from './gate-suite.js';
import type { ScenarioFigures } from './jobs.js';

const run = (cpuSeconds: number): ChildOutcome => {
  const figures: ScenarioFigures = {
    kind: 'scenario',
    nodes: 10,
    workers: 1,
    completed: true,
    simSeconds: 2,
    events: 100,
    wallSeconds: cpuSeconds,
    cpuSeconds,
    peakRssBytes: 1,
    rssBeforeBytes: 0,
    rssAt: [],
    tps: 0,
    traceHash: 'x',
    lookaheadMs: null,
    windows: null,
    note: '',
  };
  return { status: 'ok', figures, progress: [] };
};
const crashed: ChildOutcome = { status: 'crashed', note: 'exit 1', last: undefined, progress: [] };
const paired = (base: ChildOutcome[], head: ChildOutcome[]): Paired => ({ job: { kind: 'scenario', nodes: 10, workers: 1, durationMs: 2000, seed: 1, rssAtSeconds: [] }, base, head });
const verdict = (p: Paired): ReturnType<typeof rowVerdict> => rowVerdict(p, compare(p), 0.1);

describe('gate verdict', () => {
  it('compares the median of per-round ratios, so one disturbed round does not decide', () => {
    // Rounds: 1.00, 1.05, 1.50 (a burst of load on one head run): median 1.05, passes.
    const p = paired([run(10), run(10), run(10)], [run(10), run(10.5), run(15)]);
    const c = compare(p);
    expect(c.ratios).toEqual([1, 1.05, 1.5]);
    expect(c.ratio).toBeCloseTo(1.05, 10);
    expect(c.base).toBe(5);
    expect(verdict(p)).toEqual({ kind: 'ok', ratio: c.ratio });
  });

  it('fails a row more than 10 % slower, and not one at 9 %', () => {
    const slow = verdict(paired([run(10), run(10), run(10)], [run(11.2), run(11.5), run(11.1)]));
    expect(slow.kind).toBe('slower');
    expect(gateExitCode([{ kind: 'ok', ratio: 1 }, slow])).toBe(1);
    expect(verdict(paired([run(10), run(10), run(10)], [run(10.9), run(10.9), run(10.9)])).kind).toBe('ok');
  });

  it('a head that fails its runs fails the gate; a base that fails cannot be compared (exit 2)', () => {
    const h = verdict(paired([run(10), run(10), run(10)], [crashed, crashed, run(10)]));
    expect(h.kind).toBe('head-failed');
    expect(gateExitCode([h])).toBe(1);
    const b = verdict(paired([crashed, crashed, run(10)], [run(10), run(10), run(10)]));
    expect(b.kind).toBe('base-failed');
    expect(gateExitCode([b])).toBe(2);
    expect(gateExitCode([b, h])).toBe(1);
    expect(gateExitCode([{ kind: 'ok', ratio: 1.02 }])).toBe(0);
  });

  it('gives the short queue row 2·rounds + 1 rounds and the scenario rows the suite rounds', () => {
    const [queue, oneK, fiveK] = SUITES.quick.rows;
    expect(queue!.job.kind).toBe('queue');
    expect(roundsOf(queue!, 5)).toBe(11);
    expect(roundsOf(oneK!, 5)).toBe(5);
    expect(roundsOf(fiveK!, 3)).toBe(3);
  });
});
