/**
 * Loading a scenario file: YAML -> `--set` overrides -> schema validation ->
 * every sweep point validated -> a typed Scenario. Any failure throws a
 * ScenarioError listing every problem, one line each, with its line number
 * when the field is in the file.
 */
import { readFileSync, statSync } from 'node:fs';
import { isAlias, LineCounter, parseDocument, parse as parseYamlValue, visit } from 'yaml';
import { causeInWords, isFsError } from '../io/errno.js';
import { dedupe, ScenarioError, type Problem } from './problems.js';
import { formatPath, missingIndexProblem, parsePath, reservedSegmentProblem, setIn, type PathSegment } from './paths.js';
import type { Scenario } from './schema.js';
import { expandSweep, pointInput, sweepSize } from './sweep.js';
import { scenarioWarnings } from './runnable.js';
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
  /** Settings that run but probably do not mean what they say, one line each (`file: warning: field: why`). */
  warnings: string[];
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
  const reserved = reservedSegmentProblem(path);
  if (reserved !== null) return { path: `--set ${text}`, segments: [], message: reserved };
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

/** Warnings printed at most (the first of each kind is what matters). */
const MAX_WARNINGS = 10;

function validateSweep(scenario: Scenario, input: unknown, warnings: Problem[]): Problem[] {
  const size = sweepSize(scenario.sweep);
  if (size > 10_000) return [{ path: 'sweep', segments: ['sweep'], message: `expands to ${size} points, more than the limit of 10000` }];
  const problems: Problem[] = [];
  for (const axis of Object.keys(scenario.sweep)) {
    const path = parsePath(axis);
    const problem = path === null ? 'is not a field path (use dots and [i], e.g. workload.phases[0].rateTps)' : (reservedSegmentProblem(path) ?? missingIndexProblem(input, path));
    if (problem !== null) problems.push({ path: formatPath(['sweep', axis]), segments: ['sweep', axis], message: problem });
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
    } else if (warnings.length < MAX_WARNINGS && Object.keys(scenario.sweep).length > 0) {
      for (const w of scenarioWarnings(r.scenario)) warnings.push({ path: formatPath(w.path), segments: w.path, message: `at sweep point ${point.id}: ${w.message}` });
    }
  }
  return dedupe(problems);
}

/** Alias expansions a file may make; more is refused as a resource-exhaustion attack (a "billion laughs"). */
const MAX_ALIAS_COUNT = 100;

/** The document as plain data; an alias bomb is a problem of the file (exit 2), with the line of its first alias. */
function documentValue(doc: ReturnType<typeof parseDocument>, counter: LineCounter, file: string | undefined): unknown {
  try {
    return doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }) ?? {};
  } catch (e) {
    if (!(e instanceof ReferenceError)) throw e;
    let line: number | undefined;
    visit(doc, {
      Alias(_key, node) {
        if (isAlias(node) && node.range !== undefined && node.range !== null) line = counter.linePos(node.range[0]).line;
        return visit.BREAK;
      },
    });
    const problem: Problem = { path: '(yaml)', segments: [], message: `aliases expand to more than ${MAX_ALIAS_COUNT} copies (a YAML "alias bomb"?); refused` };
    return fail([line === undefined ? problem : { ...problem, line }], file);
  }
}

/**
 * `--set protocol.x=...` on a file without a protocol section (or one without
 * a name) applies to the default protocol: its name is filled in first, as
 * the schema would, so the override is checked against snowman's own fields.
 */
function withDefaultProtocol(base: unknown, sets: readonly SetOverride[]): unknown {
  if (!sets.some((s) => s.path[0] === 'protocol' && s.path.length > 1) || base === null || typeof base !== 'object' || Array.isArray(base)) return base;
  const protocol = (base as { protocol?: unknown }).protocol;
  if (protocol === undefined || protocol === null) return { ...base, protocol: { name: 'snowman' } };
  if (typeof protocol === 'object' && !Array.isArray(protocol) && !('name' in protocol)) return { ...base, protocol: { name: 'snowman', ...protocol } };
  return base;
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

  const base = withDefaultProtocol(documentValue(doc, counter, file), parsedSets);
  // An index past the end of a list would otherwise surface as "is required" for every item in between.
  let sofar = base;
  for (const s of parsedSets) {
    const missing = missingIndexProblem(sofar, s.path);
    if (missing !== null) setProblems.push({ path: `--set ${s.text}`, segments: [], message: missing });
    else sofar = applySets(sofar, [s]);
  }
  if (setProblems.length > 0) fail(setProblems, file);
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
    // A problem at or under an overridden field came from --set: it has no line in the file.
    const fromSet = (segments: readonly PropertyKey[]): boolean => parsedSets.some((s) => s.path.length <= segments.length && s.path.every((seg, i) => seg === segments[i]));
    fail(
      result.problems.map((p) => {
        if (fromSet(p.segments)) return { ...p, message: `${p.message} (set by --set)` };
        const line = lineOf(doc, counter, p.segments);
        return line === undefined ? p : { ...p, line };
      }),
      file,
    );
  }
  const warnings: Problem[] = scenarioWarnings(result.scenario).map((w) => ({ path: formatPath(w.path), segments: w.path, message: w.message }));
  const sweepProblems = validateSweep(result.scenario, input, warnings);
  if (sweepProblems.length > 0) {
    const line = lineOf(doc, counter, ['sweep']);
    fail(sweepProblems.map((p) => (line === undefined ? p : { ...p, line })), file);
  }
  const warningLines = dedupe(warnings)
    .slice(0, MAX_WARNINGS)
    .map((w) => {
      const line = lineOf(doc, counter, w.segments);
      return `${file === undefined ? '' : `${file}${line === undefined ? '' : `:${line}`}: `}warning: ${w.path}: ${w.message}`;
    });
  return { scenario: result.scenario, input, file, warnings: warningLines };
}

/** Reads and validates a scenario file. Throws ScenarioError (every problem) or a one-line Error for I/O. */
export function loadScenarioFile(file: string, opts: Omit<LoadOptions, 'file'> = {}): LoadedScenario {
  const fileProblem = (message: string): never => {
    throw new ScenarioError([{ path: '(file)', segments: [], message }], file);
  };
  const unreadable = (e: unknown): never => fileProblem(`cannot be read: ${isFsError(e) ? causeInWords(e.code) : String(e)}`);
  let stat;
  try {
    stat = statSync(file);
  } catch (e) {
    return unreadable(e);
  }
  if (stat.isDirectory()) fileProblem('is a directory, not a scenario file (give a .yaml file)');
  if (stat.size > MAX_SCENARIO_BYTES) fileProblem(`is ${stat.size} bytes, more than the limit of ${MAX_SCENARIO_BYTES}`);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    return unreadable(e);
  }
  return parseScenarioText(text, { ...opts, file });
}
