import { describe, expect, it } from 'vitest';
import { parseScenarioText } from './load.js';
import { expandSweep, pointId, resolvePoint } from './sweep.js';

const TEXT = `name: grid
duration: 1m
nodes: {count: 100}
workload: {phases: [{kind: poisson, rateTps: 50, duration: 1m}]}
sweep:
  nodes.count: [100, 500]
  workload.phases[0].rateTps: [50, 100, 200]
`;

describe('sweep expansion', () => {
  it('crosses the axes, first axis outermost, with stable ids', () => {
    const { scenario } = parseScenarioText(TEXT);
    const points = expandSweep(scenario);
    expect(points.map((p) => p.id)).toEqual([
      'nodes.count=100,workload.phases.0.rateTps=50',
      'nodes.count=100,workload.phases.0.rateTps=100',
      'nodes.count=100,workload.phases.0.rateTps=200',
      'nodes.count=500,workload.phases.0.rateTps=50',
      'nodes.count=500,workload.phases.0.rateTps=100',
      'nodes.count=500,workload.phases.0.rateTps=200',
    ]);
    expect(points[4]?.values).toEqual({ 'nodes.count': 500, 'workload.phases[0].rateTps': 100 });
    // Same file, same ids.
    expect(expandSweep(parseScenarioText(TEXT).scenario)).toEqual(points);
  });

  it('gives a scenario without a sweep one point, "base"', () => {
    const { scenario } = parseScenarioText(TEXT.split('sweep:')[0] ?? '');
    expect(expandSweep(scenario)).toEqual([{ id: 'base', overrides: {}, values: {} }]);
    expect(pointId({ 'parameters.k': 20 })).toBe('parameters.k=20');
    // Characters unsafe in file names are replaced, and a hash of the full text keeps ids distinct.
    expect(pointId({ 'byzantine.strategy': 'a b' })).toBe('byzantine.strategy=a_b~6657dcde');
  });

  it('resolves a point to a validated scenario without a sweep', () => {
    const loaded = parseScenarioText(TEXT);
    const point = expandSweep(loaded.scenario)[5];
    if (point === undefined) throw new Error('no point');
    const s = resolvePoint(loaded.input, point);
    expect(s.nodes.count).toBe(500);
    expect(s.workload.phases[0]).toMatchObject({ rateTps: 200, duration: 60_000_000 });
    expect(s.sweep).toEqual({});
    // The loaded input itself is untouched.
    expect(loaded.scenario.nodes.count).toBe(100);
  });
});
