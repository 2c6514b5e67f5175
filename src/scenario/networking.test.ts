import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DEFAULT_ADAPTIVE_TIMEOUT } from '../consensus/networking/adaptive-timeout.js';
import { defaultBenchlistConfig } from '../consensus/networking/benchlist.js';
import { DEFAULT_PARAMS } from '../consensus/params.js';
import { parseScenarioText } from './load.js';
import { adaptiveTimeoutOf, benchlistOf } from './networking.js';
import { ScenarioError } from './problems.js';

const MINIMAL = `name: tiny
duration: 10m
nodes: {count: 100}
workload:
  phases:
    - {kind: constant, rateTps: 100, duration: 5m}
`;

function problemsOf(text: string): string[] {
  try {
    parseScenarioText(text, { file: 'x.yaml' });
  } catch (e) {
    if (e instanceof ScenarioError) return e.message.split('\n');
    throw e;
  }
  return [];
}

describe('scenario: protocol.instance, protocol.prefixVoteCounts and networking', () => {
  it("defaults to AvalancheGo's: the tree, and the node flags' defaults", () => {
    const { scenario } = parseScenarioText(MINIMAL);
    expect(scenario.protocol).toEqual({ name: 'snowman', decision: 'snowflake', instance: 'tree' });
    expect(adaptiveTimeoutOf(scenario.networking)).toEqual(DEFAULT_ADAPTIVE_TIMEOUT);
    expect(benchlistOf(scenario.networking, scenario.parameters)).toEqual(defaultBenchlistConfig(DEFAULT_PARAMS));
  });

  it('reads every field, and derives the benched-stake cap from k and alphaConfidence unless given', () => {
    const { scenario } = parseScenarioText(`${MINIMAL}protocol: {name: snowman, instance: flat, prefixVoteCounts: true}
parameters: {k: 30, alphaPreference: 18, alphaConfidence: 24}
networking:
  timeout: {initial: 3s, minimum: 500ms, maximum: 20s, halflife: 1m, coefficient: 1.5}
  benchlist: {halflife: 30s, benchProbability: 0.6, unbenchProbability: 0.1, duration: 2m}
`);
    expect(scenario.protocol).toMatchObject({ name: 'snowman', instance: 'flat', prefixVoteCounts: true });
    expect(adaptiveTimeoutOf(scenario.networking)).toEqual({ initialUs: 3e6, minimumUs: 5e5, maximumUs: 2e7, halflifeUs: 6e7, coefficient: 1.5 });
    expect(benchlistOf(scenario.networking, scenario.parameters)).toEqual({
      halflifeUs: 3e7,
      benchProbability: 0.6,
      unbenchProbability: 0.1,
      durationUs: 1.2e8,
      maxPortion: (1 - 24 / 30) / 3,
    });
    const off = parseScenarioText(`${MINIMAL}networking: {benchlist: {maxPortion: 0}}\n`).scenario;
    expect(benchlistOf(off.networking, off.parameters).maxPortion).toBe(0);
  });

  it("names the field and AvalancheGo's inequality", () => {
    const lines = problemsOf(`${MINIMAL}networking:
  timeout: {initial: 1s, coefficient: 0.5, halflife: 0s}
  benchlist: {maxPortion: 1, unbenchProbability: 0.7}
protocol: {name: snowman, instance: trie}
`);
    expect(lines).toEqual([
      'x.yaml:10: protocol.instance: must be one of "tree", "flat"',
    ]);
    const rules = problemsOf(`${MINIMAL}networking:
  timeout: {initial: 1s, coefficient: 0.5, halflife: 0s}
  benchlist: {maxPortion: 1, unbenchProbability: 0.7}
`);
    expect(rules).toEqual([
      'x.yaml:8: networking.timeout.initial: fails minimum <= initial <= maximum (2s <= 1s <= 10s)',
      'x.yaml:8: networking.timeout.halflife: fails 0 < halflife (halflife = 0us)',
      'x.yaml:8: networking.timeout.coefficient: fails 1 <= coefficient (coefficient = 0.5)',
      'x.yaml:9: networking.benchlist.unbenchProbability: fails 0 <= unbenchProbability <= benchProbability (0.7 <= 0.5)',
      'x.yaml:9: networking.benchlist.maxPortion: fails 0 <= maxPortion < 1 (maxPortion = 1)',
    ]);
    expect(problemsOf(`${MINIMAL}networking: {timeout: {minimum: 3s, maximum: 2s, initial: 2500ms}}\n`)).toEqual([
      'x.yaml:7: networking.timeout.maximum: fails minimum <= maximum (3s > 2s)',
    ]);
  });

  it('avsim validate exits 2 with one line naming the field (built CLI)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'avsim-networking-'));
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, `${MINIMAL}networking: {timeout: {minimum: 0s}}\n`);
    const cli = fileURLToPath(new URL('../../dist/src/cli/main.js', import.meta.url));
    const r = spawnSync(process.execPath, [cli, 'validate', bad], { encoding: 'utf8', env: { ...process.env, AVSIM_DEBUG: '' } });
    expect(r.status).toBe(2);
    expect(r.stderr.trimEnd().split('\n')).toEqual([`${bad}:7: networking.timeout.minimum: fails 0 < minimum (minimum = 0us)`]);
  });
});
