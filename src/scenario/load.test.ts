import { describe, expect, it } from 'vitest';
import { parseScenarioText } from './load.js';
import { ScenarioError } from './problems.js';

const MINIMAL = `name: tiny
duration: 10m
nodes: {count: 100}
workload:
  phases:
    - {kind: constant, rateTps: 100, duration: 5m}
`;

function problemsOf(text: string, sets?: string[]): string[] {
  try {
    parseScenarioText(text, { file: 'x.yaml', ...(sets === undefined ? {} : { sets }) });
  } catch (e) {
    if (e instanceof ScenarioError) return e.message.split('\n');
    throw e;
  }
  throw new Error('expected a ScenarioError');
}

describe('scenario loading', () => {
  it('refuses an unknown snowman Byzantine strategy or option at load time, naming the field', () => {
    expect(problemsOf(`${MINIMAL}byzantine: {strategy: double-spend, count: 1}\n`)[0]).toMatch(/^x\.yaml:[0-9]+: byzantine\.strategy: unknown strategy "double-spend" for protocol snowman; known: silent, .*split-brain$/);
    expect(problemsOf(`${MINIMAL}byzantine: {strategy: silent, count: 1, options: {x: 1}}\n`)[0]).toMatch(/byzantine\.options\.x: not an option of strategy silent \(it takes none\)$/);
    expect(parseScenarioText(`${MINIMAL}byzantine: {strategy: silent, count: 1}\n`).scenario.byzantine?.strategy).toBe('silent');
  });

  it('fills defaults and converts durations to integer microseconds', () => {
    const { scenario } = parseScenarioText(MINIMAL);
    expect(scenario.duration).toBe(600_000_000);
    expect(scenario.seeds).toEqual([1]);
    expect(scenario.parameters).toEqual({
      k: 20, alphaPreference: 15, alphaConfidence: 15, beta: 20, concurrentRepolls: 4,
      optimalProcessing: 10, maxOutstandingItems: 256, maxItemProcessingTime: 30_000_000,
    });
    expect(scenario.network.latency).toEqual({ kind: 'constant', oneWay: 50_000 });
    expect(scenario.cpu.sigVerify).toBe(110);
    expect(scenario.blocks.minBlockDelay).toBe(250_000);
    expect(scenario.workload.phases[0]).toEqual({ kind: 'constant', rateTps: 100, duration: 300_000_000 });
  });

  it('expands a seed count and a region preset', () => {
    const { scenario } = parseScenarioText(`${MINIMAL}seeds: 3\nnetwork: {latency: {kind: regions, preset: simblock-2019}}\n`);
    expect(scenario.seeds).toEqual([1, 2, 3]);
    const lat = scenario.network.latency;
    expect(lat.kind).toBe('regions');
    if (lat.kind === 'regions') {
      expect(lat.regions).toEqual(['NA', 'EU', 'SA', 'AP', 'JP', 'AU']);
      expect(lat.oneWayMs[1]?.[1]).toBe(11);
      expect(lat.jitter).toEqual({ kind: 'pareto' });
    }
  });

  it('lists every problem at once, each with line, field path and rule', () => {
    const lines = problemsOf(`name: ok
duration: 10
nodes:
  count: 0
  cout: 3
network:
  latency: {kind: uniform, min: 10ms}
workload:
  phases:
    - {kind: steady, rateTps: 10, duration: 1m}
faults:
  - {kind: kill, at: 1m, nodes: {fraction: 2}}
checks: ["tps >> 3"]
`);
    expect(lines).toEqual([
      'x.yaml:2: duration: must be a duration with a unit (us, ms, s, m, h, d), e.g. 250ms or 10m; got the bare number 10',
      'x.yaml:4: nodes.count: must be an integer from 1 to 16383',
      'x.yaml:5: nodes.cout: unknown field',
      'x.yaml:7: network.latency.max: is required',
      'x.yaml:10: workload.phases[0].kind: must be one of constant, poisson, ramp',
      'x.yaml:12: faults[0].nodes.fraction: must be a number > 0 and <= 1',
      'x.yaml:13: checks[0]: check "tps >> 3": must be "<metric> <op> <number>[unit]" with op one of >= <= > < == !=, e.g. "latency.p95 <= 100ms"',
    ]);
  });

  it('names the failing parameter inequality and other cross-field rules', () => {
    const lines = problemsOf(`${MINIMAL}parameters: {k: 20, alphaPreference: 10, alphaConfidence: 21, concurrentRepolls: 30}
faults:
  - {kind: kill, at: 11m, nodes: {count: 500}}
  - {kind: pause, at: 1m, for: 6m, nodes: one, repeat: {every: 5m}}
byzantine: {strategy: silent, fraction: 0.1, count: 3}
`);
    expect(lines).toContain('x.yaml:7: parameters.alphaPreference: fails k/2 < alphaPreference (k/2 = 10, alphaPreference = 10)');
    expect(lines).toContain('x.yaml:7: parameters.alphaConfidence: fails alphaConfidence <= k (21 > 20)');
    expect(lines).toContain('x.yaml:7: parameters.concurrentRepolls: fails concurrentRepolls <= beta (30 > 20)');
    expect(lines).toContain('x.yaml:9: faults[0].at: must be before duration (10m)');
    expect(lines).toContain('x.yaml:9: faults[0].nodes: count 500 is more than nodes.count (100)');
    expect(lines).toContain('x.yaml:10: faults[1].repeat.every: fails for <= every (6m > 5m): repeats would overlap');
    expect(lines).toContain('x.yaml:11: byzantine: give exactly one of fraction, count, ids (got 2)');
    expect(lines).toHaveLength(7);
  });

  it('reports YAML syntax errors with their line', () => {
    const lines = problemsOf('name: a\nnodes: {count: 1\nduration: 1m\n');
    expect(lines.length).toBeGreaterThan(0);
    expect(lines[0]).toBe('x.yaml:3: (yaml): Flow map in block collection must be sufficiently indented and end with a }');
  });

  it('applies --set overrides typed by the schema, and drops a swept axis it sets', () => {
    const text = `${MINIMAL}sweep: {nodes.count: [100, 200], parameters.k: [20, 24]}\n`;
    const { scenario } = parseScenarioText(text, { sets: ['nodes.count=300', 'name=123', 'workload.phases[0].rateTps=250', 'duration=20m'] });
    expect(scenario.nodes.count).toBe(300);
    expect(scenario.name).toBe('123');
    expect(scenario.workload.phases[0]).toMatchObject({ rateTps: 250 });
    expect(scenario.duration).toBe(1_200_000_000);
    expect(scenario.sweep).toEqual({ 'parameters.k': [20, 24] });
  });

  it('applies --set protocol.x to the default protocol when the file has no protocol section', () => {
    expect(MINIMAL).not.toContain('protocol');
    const { scenario } = parseScenarioText(MINIMAL, { sets: ['protocol.name=avalanche', 'protocol.conflictFraction=0.1'] });
    expect(scenario.protocol).toMatchObject({ name: 'avalanche', conflictFraction: 0.1 });
    expect(problemsOf(MINIMAL, ['protocol.conflictFraction=0.1'])).toEqual(['x.yaml: protocol.conflictFraction: unknown field (set by --set)']);
  });

  it('rejects a bad --set with the rule, marked as coming from --set', () => {
    expect(problemsOf(MINIMAL, ['nodes.count=-4'])).toEqual(['x.yaml: nodes.count: must be an integer from 1 to 16383 (set by --set)']);
    expect(problemsOf(MINIMAL, ['nodes.count'])[0]).toContain('must be path=value');
  });

  it('validates every sweep point, naming the point that breaks a rule', () => {
    const lines = problemsOf(`${MINIMAL}sweep: {parameters.k: [20, 30]}\n`);
    expect(lines).toEqual([
      'x.yaml:7: sweep: point parameters.k=30 makes parameters.alphaPreference: fails k/2 < alphaPreference (k/2 = 15, alphaPreference = 15)',
    ]);
    expect(problemsOf(`${MINIMAL}sweep: {seeds: [1, 2]}\n`)).toContain('x.yaml:7: sweep.seeds: use the top-level seeds field: every sweep point runs once per seed');
  });
});
