import { describe, expect, it } from 'vitest';
import { parseScenarioText } from '../scenario/load.js';
import { ScenarioError } from '../scenario/problems.js';
import { MAX_NODES } from '../sim/event-order.js';
import { runScenario } from './run-scenario.js';

const TEXT = `
name: engine-limit
duration: 1s
nodes: {count: 10}
workload:
  phases:
    - {kind: poisson, rateTps: 10, duration: 1s}
`;

function problemOf(f: () => unknown): { path: string; message: string } {
  try {
    f();
  } catch (e) {
    if (!(e instanceof ScenarioError)) throw e;
    return { path: e.problems[0]!.path, message: e.problems[0]!.message };
  }
  throw new Error('no ScenarioError');
}

describe("the engine's node limit", () => {
  it('is the schema limit: validation names nodes.count', () => {
    expect(MAX_NODES).toBe(16_383);
    const p = problemOf(() => parseScenarioText(TEXT.replace('count: 10', 'count: 20000')));
    expect(p.path).toBe('nodes.count');
    expect(p.message).toContain('16383');
    expect(() => parseScenarioText(TEXT.replace('count: 10', `count: ${MAX_NODES}`))).not.toThrow();
  });

  it('a SimConfig the engine refuses is a ScenarioError naming the scenario field', async () => {
    const sc = parseScenarioText(TEXT).scenario;
    // Past the schema (as a program building scenarios itself could be): the engine's own check names the field.
    await expect(runScenario({ ...sc, nodes: { ...sc.nodes, count: 20_000 } }, { seed: 1 })).rejects.toSatisfy(
      (e: unknown) => e instanceof ScenarioError && e.message === `nodes.count: must be an integer in [1, ${MAX_NODES}] (the engine's limit), got 20000`,
    );
    await expect(runScenario({ ...sc, limits: { ...sc.limits, maxEvents: 0 } }, { seed: 1 })).rejects.toSatisfy(
      (e: unknown) => e instanceof ScenarioError && e.problems[0]!.path === 'limits.maxEvents',
    );
  });
});
