/**
 * Loading a scenario file: YAML -> `--set` overrides -> schema validation ->
 * every sweep point validated -> a typed Scenario. Any failure throws a
 * ScenarioError listing every problem, one line each, with its line number
 * when the field is in the file.
 */
import { readFileSync, statSync } from 'node:fs';
import { LineCounter, parseDocument, parse as parseYamlValue } from 'yaml';
import { dedupe, ScenarioError, type Problem } from './problems.js';
import { formatPath, parsePath, setIn, type PathSegment } from './paths.js';
import type { Scenario } from './schema.js';
import { expandSweep, pointInput, sweepSize } from './sweep.js';
import { validateScenarioInput } from './validate.js';

/** Largest scenario file read. */
export const MAX_SCENARIO_BYTES = 1 << 20;
/** Sweeps up to this many points are validated point by point; bigger ones axis value by axis value. */
const MAX_POINTS_VALIDATED = 1_000;
/** Problems listed before "and N more". */
const MAX_PROBLEMS = 100;

export interface LoadedScenario {
  scenario: Scenario;
  /** The file's contents as plain data with `--set` overrides applied: what sweep points are resolved from. */
  input: unknown;
  file: string | undefined;
}

export interface LoadOptions {
  /** `path=value` overrides, as given to `--set`. */
  sets?: readonly string[];
  /** Name used in messages. */
  file?: string;
}

export interface SetOverride {
  text: string;
  path: PathSegment[];
  /** The value parsed as YAML (`500` -> number, `[1, 2]` -> list, `10m` -> string). */
  value: unknown;
  /** The value exactly as written, used when the schema wants a string there. */
  raw: string;
}

export function parseSet(text: string): SetOverride | Problem {
  const eq = text.indexOf('=');
  const pathText = eq < 0 ? text : text.slice(0, eq);
  const path = eq < 0 ? null : parsePath(pathText.trim());
  if (path === null) {
    return { path: `--set ${text}`, segments: [], message: 'must be path=value, e.g. --set nodes.count=500 or --set workload.phases[0].rateTps=200' };
  }
  const raw = text.slice(eq + 1);
  let value: unknown = raw;
  try {
    value = parseYamlValue(raw);
  } catch {
    value = raw;
  }
  return { text, path, value: value ?? raw, raw };
}

/** Applies overrides; an override of a swept field replaces that sweep axis with its single value. */
export function applySets(input: unknown, sets: readonly SetOverride[], useRaw: ReadonlySet<SetOverride> = new Set()): unknown {
  let doc = input;
  for (const s of sets) {
    doc = setIn(doc, s.path, useRaw.has(s) ? s.raw : s.value);
    const axis = s.path.map(String).join('.');
    const sweep = (doc as { sweep?: unknown }).sweep;
    if (sweep !== null && typeof sweep === 'object' && !Array.isArray(sweep) && axis in sweep) {
      const rest = { ...(sweep as Record<string, unknown>) };
      delete rest[axis];
      doc = setIn(doc, ['sweep'], rest);
    }
  }
  return doc;
}

function lineOf(doc: ReturnType<typeof parseDocument>, counter: LineCounter, segments: readonly PropertyKey[]): number | undefined {
  // The deepest node of the path that exists in the file.
  for (let n = segments.length; n >= 1; n--) {
    const node = doc.getIn(segments.slice(0, n) as unknown[], true) as { range?: [number, number, number] } | undefined;
    if (node?.range !== undefined) return counter.linePos(node.range[0]).line;
  }
  return undefined;
}

function validateSweep(scenario: Scenario, input: unknown): Problem[] {
  const size = sweepSize(scenario.sweep);
  if (size > 10_000) return [{ path: 'sweep', segments: ['sweep'], message: `expands to ${size} points, more than the limit of 10000` }];
  const problems: Problem[] = [];
  for (const axis of Object.keys(scenario.sweep)) {
    if (parsePath(axis) === null) problems.push({ path: formatPath(['sweep', axis]), segments: ['sweep', axis], message: 'is not a field path (use dots and [i], e.g. workload.phases[0].rateTps)' });
  }
  if (problems.length > 0) return problems;
  // Small grids: every combination (cross-field rules may fail only for some);
  // large ones: each axis value on its own.
  const points =
    size <= MAX_POINTS_VALIDATED
      ? expandSweep(scenario)
      : Object.entries(scenario.sweep).flatMap(([path, values]) => expandSweep({ sweep: { [path]: values } }));
  for (const point of points) {
    const r = validateScenarioInput(pointInput(input, point));
    if (!r.ok) {
      for (const p of r.problems) problems.push({ path: formatPath(['sweep']), segments: ['sweep'], message: `point ${point.id} makes ${p.path}: ${p.message}` });
    }
  }
  return dedupe(problems);
}

function fail(problems: Problem[], file: string | undefined): never {
  const shown = problems.slice(0, MAX_PROBLEMS);
  if (problems.length > MAX_PROBLEMS) shown.push({ path: '…', segments: [], message: `and ${problems.length - MAX_PROBLEMS} more problems` });
  throw new ScenarioError(shown, file);
}

/** Parses, overrides and validates scenario text. Throws ScenarioError with every problem. */
export function parseScenarioText(text: string, opts: LoadOptions = {}): LoadedScenario {
  const file = opts.file;
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    fail(
      doc.errors.map((e) => ({ path: '(yaml)', segments: [], message: e.message.split('\n')[0] ?? e.message, line: counter.linePos(e.pos[0]).line })),
      file,
    );
  }
  const parsedSets: SetOverride[] = [];
  const setProblems: Problem[] = [];
  for (const s of opts.sets ?? []) {
    const r = parseSet(s);
    if ('message' in r) setProblems.push(r);
    else parsedSets.push(r);
  }
  if (setProblems.length > 0) fail(setProblems, file);

  const base: unknown = doc.toJS({ maxAliasCount: 100 }) ?? {};
  let input = applySets(base, parsedSets);
  let result = validateScenarioInput(input);
  if (!result.ok) {
    // `--set name=123` means the string "123" when the schema wants a string there.
    const retry = new Set(parsedSets.filter((s) => typeof s.value !== 'string' && result.ok === false && result.problems.some((p) => p.path === formatPath(s.path))));
    if (retry.size > 0) {
      const result2 = validateScenarioInput(applySets(base, parsedSets, retry));
      const keep = new Set([...retry].filter((s) => result2.ok || !result2.problems.some((p) => p.path === formatPath(s.path))));
      if (keep.size > 0) {
        input = applySets(base, parsedSets, keep);
        result = validateScenarioInput(input);
      }
    }
  }
  if (!result.ok) {
    const overridden = new Set(parsedSets.map((s) => formatPath(s.path)));
    fail(
      result.problems.map((p) => {
        if (overridden.has(p.path)) return { ...p, message: `${p.message} (set by --set)` };
        const line = lineOf(doc, counter, p.segments);
        return line === undefined ? p : { ...p, line };
      }),
      file,
    );
  }
  const sweepProblems = validateSweep(result.scenario, input);
  if (sweepProblems.length > 0) {
    const line = lineOf(doc, counter, ['sweep']);
    fail(sweepProblems.map((p) => (line === undefined ? p : { ...p, line })), file);
  }
  return { scenario: result.scenario, input, file };
}

/** Reads and validates a scenario file. Throws ScenarioError (every problem) or a one-line Error for I/O. */
export function loadScenarioFile(file: string, opts: Omit<LoadOptions, 'file'> = {}): LoadedScenario {
  let size: number;
  try {
    size = statSync(file).size;
  } catch {
    throw new ScenarioError([{ path: '(file)', segments: [], message: 'cannot be read (no such file?)' }], file);
  }
  if (size > MAX_SCENARIO_BYTES) {
    throw new ScenarioError([{ path: '(file)', segments: [], message: `is ${size} bytes, more than the limit of ${MAX_SCENARIO_BYTES}` }], file);
  }
  return parseScenarioText(readFileSync(file, 'utf8'), { ...opts, file });
}
