/**
 * Sweep expansion: the cross product of a scenario's sweep axes, first axis
 * outermost, each point with a stable id made from its values (so results
 * files keep their names when a sweep is re-run or resumed). Every point runs
 * once per seed; seeds are not an axis.
 */
import { ScenarioError, type Problem } from './problems.js';
import { parsePath, setIn } from './paths.js';
import type { Scenario } from './schema.js';
import { validateScenarioInput } from './validate.js';

export type SweepValue = string | number | boolean;

export interface SweepPoint {
  /** Stable, file-name-safe id, e.g. `nodes.count=500,parameters.k=20` (`base` when there is no sweep). */
  id: string;
  /** Field path -> value to apply to the scenario file's contents, in axis order (as `--set path=value`). */
  overrides: Record<string, SweepValue>;
  /** Field path -> value, as RunSummary.point records it. */
  values: Record<string, SweepValue>;
}

/** Most points a sweep may expand to. */
export const MAX_SWEEP_POINTS = 10_000;

function fnv1a(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}

export function pointId(overrides: Readonly<Record<string, SweepValue>>): string {
  const entries = Object.entries(overrides);
  if (entries.length === 0) return 'base';
  // `phases[0]` reads as `phases.0` (the same path) so that ids need no brackets.
  const full = entries.map(([path, value]) => `${path.replace(/\[([0-9]+)\]/g, '.$1')}=${String(value)}`).join(',');
  const safe = full.replace(/[^A-Za-z0-9._=,-]/g, '_');
  // Long or altered ids get a hash of the full text so two points never share one.
  return safe.length > 100 || safe !== full ? `${safe.slice(0, 80)}~${fnv1a(full)}` : safe;
}

/** Number of points the sweep expands to (product of axis lengths). */
export function sweepSize(sweep: Scenario['sweep']): number {
  return Object.values(sweep).reduce((n, values) => n * values.length, 1);
}

export function expandSweep(scenario: Pick<Scenario, 'sweep'>): SweepPoint[] {
  const axes = Object.entries(scenario.sweep);
  const size = sweepSize(scenario.sweep);
  if (size > MAX_SWEEP_POINTS) throw new RangeError(`sweep: ${size} points, more than the limit of ${MAX_SWEEP_POINTS}`);
  let combos: Array<Array<{ path: string; value: SweepValue }>> = [[]];
  for (const [path, values] of axes) {
    const next: typeof combos = [];
    for (const combo of combos) for (const value of values) next.push([...combo, { path, value }]);
    combos = next;
  }
  return combos.map((combo) => {
    const overrides = Object.fromEntries(combo.map((o) => [o.path, o.value]));
    return { id: pointId(overrides), overrides, values: { ...overrides } };
  });
}

/** The scenario file's contents with a point's overrides applied and the sweep removed. */
export function pointInput(input: unknown, point: SweepPoint): unknown {
  let doc = input;
  for (const [text, value] of Object.entries(point.overrides)) {
    const path = parsePath(text);
    if (path === null) throw new ScenarioError([{ path: 'sweep', segments: ['sweep', text], message: `"${text}" is not a field path` }]);
    doc = setIn(doc, path, value);
  }
  return setIn(doc, ['sweep'], {});
}

/**
 * The validated scenario of one sweep point: what a worker runs. Takes the
 * file's contents (plain data, so it crosses worker threads) rather than a
 * validated Scenario, whose durations are already converted.
 */
export function resolvePoint(input: unknown, point: SweepPoint): Scenario {
  const result = validateScenarioInput(pointInput(input, point));
  if (!result.ok) {
    const problems: Problem[] = result.problems.map((p) => ({ ...p, message: `at sweep point ${point.id}: ${p.message}` }));
    throw new ScenarioError(problems);
  }
  return result.scenario;
}
