/**
 * `protocol: avalanche` in scenario files: defaults, and bad input named by
 * field and rule (the DAG inequality that failed, an unknown DAG strategy, a
 * conflict fraction outside [0, 1]); `avsim validate` exits 2 on them.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseScenarioText } from '../../../scenario/load.js';
import { avalancheParamsOf } from './scenario-config.js';

const BASE = `
name: dag
duration: 1s
nodes: {count: 5}
workload: {phases: [{kind: constant, rateTps: 1, duration: 1s}]}
`;

function problems(extra: string): string {
  try {
    parseScenarioText(BASE + extra);
  } catch (e) {
    return (e as Error).message;
  }
  return 'ok';
}

describe('protocol: avalanche in scenarios', () => {
  it('fills the AvalancheGo v1.9 defaults and maps the shared parameters', () => {
    const { scenario } = parseScenarioText(`${BASE}protocol: {name: avalanche}\n`);
    expect(scenario.protocol).toEqual({ name: 'avalanche', betaVirtuous: 15, parents: 5, batchSize: 30, conflictFraction: 0, mixedQueryNumPush: 10, repollRogue: false });
    expect(avalancheParamsOf(scenario)).toEqual({
      k: 20,
      alpha: 15,
      betaVirtuous: 15,
      betaRogue: 20,
      concurrentRepolls: 4,
      optimalProcessing: 10,
      maxOutstandingItems: 256,
      maxItemProcessingTimeUs: 30_000_000,
      parents: 5,
      batchSize: 30,
    });
  });

  it('names the field and the inequality that failed', () => {
    expect(problems('protocol: {name: avalanche, betaVirtuous: 21}\n')).toMatch(/protocol\.betaVirtuous: fails BetaVirtuous <= BetaRogue \(21 <= 20 is false\)/);
    expect(problems('protocol: {name: avalanche, parents: 1}\n')).toMatch(/protocol\.parents: fails 1 < Parents \(1 < 1 is false\)/);
    expect(problems('protocol: {name: avalanche, batchSize: 0}\n')).toMatch(/protocol\.batchSize: fails 0 < BatchSize \(0 < 0 is false\)/);
    expect(problems('protocol: {name: avalanche}\nparameters: {alphaConfidence: 16}\n')).toMatch(
      /parameters\.alphaConfidence: the Avalanche DAG \(AvalancheGo v1\.9\) has one Alpha: must equal alphaPreference \(15\), got 16/,
    );
    expect(problems('protocol: {name: avalanche}\nparameters: {concurrentRepolls: 21}\n')).toMatch(/parameters\.concurrentRepolls/);
  });

  it('refuses a conflict fraction outside [0, 1], an unknown DAG strategy, and an unknown option', () => {
    expect(problems('protocol: {name: avalanche, conflictFraction: 1.5}\n')).toMatch(/protocol\.conflictFraction: must be a number >= 0 and <= 1/);
    expect(problems('protocol: {name: avalanche, conflictFraction: -0.1}\n')).toMatch(/protocol\.conflictFraction: must be a number >= 0 and <= 1/);
    expect(problems('protocol: {name: avalanche}\nbyzantine: {strategy: equivocation, count: 1}\n')).toMatch(
      /byzantine\.strategy: unknown strategy "equivocation" for protocol avalanche; known: silent, random-vote, always-reject, always-accept, double-spend, rogue-vote/,
    );
    expect(problems('protocol: {name: avalanche}\nbyzantine: {strategy: double-spend, count: 1, options: {every: 5}}\n')).toMatch(
      /byzantine\.options\.every: not an option of strategy double-spend \(known: everyMs\)/,
    );
    expect(problems('protocol: {name: avalanche, extra: 1}\n')).toMatch(/protocol\.extra: unknown field/);
  });

  it('checks the byzantine section against the DAG registry only (a DAG strategy is not refused as an unknown Snowman one, and the reverse)', () => {
    expect(problems('protocol: {name: avalanche}\nbyzantine: {strategy: double-spend, count: 1, options: {everyMs: 5}}\n')).toBe('ok');
    expect(problems('byzantine: {strategy: double-spend, count: 1}\n')).toMatch(/^byzantine\.strategy: unknown strategy "double-spend" for protocol snowman; known: /);
  });
});

describe('avsim validate (built) on DAG scenarios', () => {
  const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
  const CLI = join(ROOT, 'dist/src/cli/main.js');
  beforeAll(() => {
    try {
      execFileSync(join(ROOT, 'node_modules/.bin/tsc'), ['-p', join(ROOT, 'tsconfig.json')], { stdio: 'ignore' });
    } catch {
      // a missing CLI fails below
    }
  });

  it('exits 2 with one line naming the field and the rule', () => {
    const dir = mkdtempSync(join(tmpdir(), 'avsim-dag-'));
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, `${BASE}protocol: {name: avalanche, conflictFraction: 2, parents: 1}\n`);
    const r = spawnSync(process.execPath, [CLI, 'validate', file], { encoding: 'utf8', env: { ...process.env, AVSIM_DEBUG: '' } });
    expect(r.status).toBe(2);
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines).toEqual([`${file}:6: protocol.conflictFraction: must be a number >= 0 and <= 1`]);
    writeFileSync(file, `${BASE}protocol: {name: avalanche, parents: 1}\n`);
    const r2 = spawnSync(process.execPath, [CLI, 'validate', file], { encoding: 'utf8', env: { ...process.env, AVSIM_DEBUG: '' } });
    expect(r2.status).toBe(2);
    expect(r2.stderr.trimEnd()).toBe(`${file}:6: protocol.parents: fails 1 < Parents (1 < 1 is false)`);
    writeFileSync(file, `${BASE}protocol: {name: dag}\n`);
    const r3 = spawnSync(process.execPath, [CLI, 'validate', file], { encoding: 'utf8', env: { ...process.env, AVSIM_DEBUG: '' } });
    expect(r3.status).toBe(2);
    expect(r3.stderr.trimEnd()).toBe(`${file}:6: protocol.name: must be one of snowman, avalanche`);
  });
});
