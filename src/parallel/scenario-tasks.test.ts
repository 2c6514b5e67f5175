import { describe, expect, it } from 'vitest';
import { buildScenarioTasks, reproCommand, shellQuote } from './scenario-tasks.js';
import { tasksHash, validateTasks, type SweepTask } from './task.js';

describe('buildScenarioTasks', () => {
  const tasks = buildScenarioTasks({
    scenarioFile: 'experiments/k sweep.yaml',
    points: [
      { id: 'k=10', overrides: { 'consensus.k': 10, 'byzantine.strategy': "it's" }, values: { 'consensus.k': 10 } },
      { id: 'k=20', overrides: { 'consensus.k': 20, 'network.regions': ['NA', 'EU'] }, values: { 'consensus.k': 20 } },
    ],
    seeds: [7, 3],
  });

  it('orders tasks point-major, seed-minor, with ids <point>.s<seed>', () => {
    expect(tasks.map((t) => [t.index, t.id, t.seed])).toEqual([
      [0, 'k=10.s7', 7],
      [1, 'k=10.s3', 3],
      [2, 'k=20.s7', 7],
      [3, 'k=20.s3', 3],
    ]);
    expect(tasks[2]?.payload).toEqual({ scenarioFile: 'experiments/k sweep.yaml', pointId: 'k=20', overrides: { 'consensus.k': 20, 'network.regions': ['NA', 'EU'] } });
  });

  it('writes a shell-quoted repro command per task', () => {
    expect(tasks[1]?.repro).toBe(`avsim run 'experiments/k sweep.yaml' --seed 3 --set consensus.k=10 --set 'byzantine.strategy=it'\\''s'`);
    expect(tasks[2]?.repro).toBe(`avsim run 'experiments/k sweep.yaml' --seed 7 --set consensus.k=20 --set 'network.regions=["NA","EU"]'`);
    expect(reproCommand('a.yaml', 0, {})).toBe('avsim run a.yaml --seed 0');
    expect(shellQuote('')).toBe("''");
  });

  it('rejects empty points, empty or repeated seeds', () => {
    expect(() => buildScenarioTasks({ scenarioFile: 'a.yaml', points: [], seeds: [1] })).toThrow('points: a sweep needs at least one point');
    expect(() => buildScenarioTasks({ scenarioFile: 'a.yaml', points: [{ id: 'p', overrides: {}, values: {} }], seeds: [] })).toThrow('seeds:');
    expect(() => buildScenarioTasks({ scenarioFile: 'a.yaml', points: [{ id: 'p', overrides: {}, values: {} }], seeds: [1, 1] })).toThrow('seeds: must not repeat a seed');
  });
});

describe('validateTasks and tasksHash', () => {
  const base: SweepTask = { index: 0, id: 'a', seed: 1, point: {}, payload: { x: 1, y: 2 }, repro: 'avsim run a.yaml --seed 1' };

  it('names the field and the rule', () => {
    expect(() => validateTasks([])).toThrow('tasks: a sweep needs at least one task');
    expect(() => validateTasks([{ ...base, index: 1 }])).toThrow('tasks[0].index: must equal its position 0 (got 1)');
    expect(() => validateTasks([{ ...base, id: '../etc' }])).toThrow('tasks[0].id: "../etc" must be');
    expect(() => validateTasks([base, { ...base, index: 1 }])).toThrow('tasks[1].id: "a" is not unique');
    expect(() => validateTasks([{ ...base, seed: -1 }])).toThrow('tasks[0].seed: must be a non-negative safe integer (got -1)');
    expect(() => validateTasks([{ ...base, id: 'x'.repeat(129) }])).toThrow('must be 1-128 characters');
  });

  it('does not depend on key order but does on every field', () => {
    const h = tasksHash([base]);
    expect(h).toMatch(/^[0-9a-f]{64}$/);
    expect(tasksHash([{ ...base, payload: { y: 2, x: 1 } }])).toBe(h);
    expect(tasksHash([{ ...base, seed: 2 }])).not.toBe(h);
    expect(tasksHash([{ ...base, payload: { x: 1, y: 3 } }])).not.toBe(h);
    expect(tasksHash([{ ...base, repro: 'other' }])).not.toBe(h);
  });
});
