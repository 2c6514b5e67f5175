import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScenarioFile } from './load.js';
import { expandSweep } from './sweep.js';
import { checkShardable } from '../parallel/sharded/layout.js';

const DIR = fileURLToPath(new URL('../../experiments/', import.meta.url));
const files = readdirSync(DIR).filter((f) => f.endsWith('.yaml')).sort();

/** One file per scenario of the scale-testing specification; each is scaled down and states its full size. */
const SPEC_FILES = [
  'baseline-150.yaml', 'ct-001-node-failures.yaml', 'ct-002-partition.yaml', 'ct-003-byzantine.yaml',
  'lt-001-baseline.yaml', 'lt-002-peak-throughput.yaml', 'lt-003-multi-scale.yaml', 'sk-001-soak-24h.yaml', 'sk-002-soak-7d.yaml',
  'st-001-cpu-saturation.yaml', 'st-002-state-growth.yaml', 'st-003-bandwidth-saturation.yaml',
];

describe('experiments/', () => {
  it('holds the default experiment and one file per specification scenario', () => {
    expect(files).toEqual(expect.arrayContaining([...SPEC_FILES, 'default.yaml']));
  });

  it.each(files)('%s validates, states its full size, and its name matches the file', (file) => {
    const { scenario } = loadScenarioFile(join(DIR, file));
    expect(`${scenario.name}.yaml`).toBe(file);
    expect(scenario.description.length).toBeGreaterThan(80);
    if (SPEC_FILES.includes(file)) expect(scenario.description).toMatch(/Full size|full size|full length/);
    expect(scenario.checks).toContain('safety.violations == 0');
    expect(expandSweep(scenario).length).toBeLessThanOrEqual(10);
  });

  it.each(files)('%s can run sharded (avsim run FILE --workers 2): its latency has a positive floor', (file) => {
    expect(() => checkShardable(loadScenarioFile(join(DIR, file)).scenario)).not.toThrow();
  });

  it('scales up with the --set commands the descriptions give', () => {
    expect(loadScenarioFile(join(DIR, 'lt-001-baseline.yaml'), { sets: ['duration=1h', 'workload.phases[0].duration=1h'] }).scenario.duration).toBe(3_600_000_000);
    const lt3 = loadScenarioFile(join(DIR, 'lt-003-multi-scale.yaml'), { sets: ['nodes.count=10000'] }).scenario;
    expect(lt3.nodes.count).toBe(10_000);
    expect(expandSweep(lt3)).toHaveLength(1);
    expect(loadScenarioFile(join(DIR, 'sk-002-soak-7d.yaml'), { sets: ['duration=7d'] }).scenario.duration).toBe(604_800_000_000);
  });
});
