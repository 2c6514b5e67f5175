import { describe, expect, it } from 'vitest';
import { parseScenarioText } from '../scenario/load.js';
import { createStream, RUN_OWNER } from '../sim/rng.js';
import { assignByzantine } from './byzantine-assignment.js';
import { planRun } from './run-scenario.js';
import { stakeUnitsOf } from './stake-of.js';

const scenario = (latency: string) =>
  parseScenarioText(`
name: byzantine-selection
duration: 2s
nodes: {count: 60}
network:
  latency: ${latency}
workload:
  phases:
    - {kind: poisson, rateTps: 10, duration: 2s}
byzantine: {strategy: silent, fraction: 0.2}
`).scenario;

describe('Byzantine selection stream', () => {
  const regions = scenario('{kind: regions, preset: simblock-2019}');
  const lognormal = scenario('{kind: lognormal, median: 40ms, sigma: 0.5}');
  const pick = (s: typeof regions, purpose: 'placement' | 'byzantine-selection', seed: number) =>
    assignByzantine(s.byzantine, stakeUnitsOf(s), createStream(seed, RUN_OWNER, purpose));

  it('has its own purpose where region placement draws from the placement stream', () => {
    for (const seed of [1, 2, 3]) {
      const chosen = planRun(regions, seed).byzantine;
      expect(chosen).toEqual(pick(regions, 'byzantine-selection', seed));
      // Before, the shuffle reused the draws that placed nodes in regions.
      expect(chosen).not.toEqual(pick(regions, 'placement', seed));
    }
    expect(planRun(regions, 1).byzantine).toEqual([11, 13, 22, 33, 34, 39, 41, 42, 44, 50, 52, 54]);
  });

  it('keeps the placement key without regions (nothing else draws it), so those runs and their hashes are unchanged', () => {
    for (const seed of [1, 2, 3]) expect(planRun(lognormal, seed).byzantine).toEqual(pick(lognormal, 'placement', seed));
    expect(planRun(lognormal, 1).byzantine).toEqual([9, 16, 21, 22, 26, 32, 33, 38, 39, 42, 45, 48]);
  });
});
