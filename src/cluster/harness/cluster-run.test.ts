/**
 * runCluster against real node processes (the built daemon in dist/, as
 * `avsim cluster run` starts it), for what the end-to-end test does not
 * cover: several validators per process, a node that cannot start, and a
 * node that dies on its own mid-run. Failures are injected for real: a
 * preload module (node --import) that makes process 1 exit with a given
 * code, before it is ready or a few seconds into the run.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { alive } from './process.testkit.js';
import { parseScenarioText } from '../../scenario/load.js';
import type { ClusterRunOptions, ClusterRunResult } from './cluster-run.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
/** The built harness: it spawns the built node daemon next to it (the TypeScript sources cannot be spawned). */
const { runCluster } = (await import(pathToFileURL(join(ROOT, 'dist/src/cluster/harness/cluster-run.js')).href)) as { runCluster: (o: ClusterRunOptions) => Promise<ClusterRunResult> };

const dir = mkdtempSync(join(tmpdir(), 'avsim-cluster-run-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function scenarioText(nodes: number, seconds: number, faults = ''): string {
  return `name: harness
duration: ${seconds}s
nodes: {count: ${nodes}}
parameters: {k: 4, alphaPreference: 3, alphaConfidence: 3, beta: 4}
network: {latency: {kind: constant, oneWay: 10ms}}
workload:
  phases: [{kind: constant, rateTps: 20, duration: ${seconds}s}]
${faults}`;
}

function options(text: string, nodesPerProcess: number, extra: Partial<ClusterRunOptions> = {}): ClusterRunOptions {
  const loaded = parseScenarioText(text);
  return {
    scenario: loaded.scenario,
    scenarioInput: loaded.input,
    seed: 1,
    point: { id: 'base', overrides: {}, values: {} },
    repro: 'avsim cluster run harness.yaml --seed 1',
    nodesPerProcess,
    realSignatures: false,
    keep: true,
    workDir: mkdtempSync(join(dir, 'work-')),
    startTimeoutMs: 30_000,
    ...extra,
  };
}

/**
 * A preload module that makes node process 1 (config under p1/, running node 1) exit with `code`:
 * at once (before it listens), or once node 1 has accepted its first block (its history has a unit line).
 */
function failingProcess1(name: string, code: number, when: 'at-start' | 'after-first-block'): string[] {
  const f = join(dir, `${name}.mjs`);
  const exit = `process.stderr.write('injected failure: exiting with ${code}\\n'); process.exit(${code});`;
  const afterFirstBlock = `const { readFileSync } = await import('node:fs');
  const history = new URL('../n1/history.jsonl', 'file://' + cfg).pathname;
  setInterval(() => {
    let text = '';
    try { text = readFileSync(history, 'utf8'); } catch {}
    if (text.includes('{"k":"unit"')) { ${exit} }
  }, 20);`;
  writeFileSync(
    f,
    `const i = process.argv.indexOf('--config');
const cfg = i >= 0 ? (process.argv[i + 1] ?? '') : '';
if (/[\\/]p1[\\/]config\\.json$/.test(cfg)) {
  ${when === 'at-start' ? exit : afterFirstBlock}
}
`,
  );
  return ['--import', pathToFileURL(f).href];
}

/** Pids the run's processes wrote in their ready files (every incarnation's last). */
function readyPids(runDir: string): number[] {
  return readdirSync(runDir)
    .filter((d) => /^p[0-9]+$/.test(d) && existsSync(join(runDir, d, 'ready.json')))
    .map((d) => (JSON.parse(readFileSync(join(runDir, d, 'ready.json'), 'utf8')) as { pid: number }).pid);
}

function acceptedHeights(runDir: string, node: number): number[] {
  const lines = readFileSync(join(runDir, `n${node}`, 'history.jsonl'), 'utf8').trim().split('\n');
  return lines.filter((l) => l.startsWith('{"k":"unit"')).map((l) => (JSON.parse(l) as { h: number }).h);
}

describe('runCluster with real node processes', () => {
  it('--nodes-per-process 2: 4 validators in 2 processes, each with its own listener, all accepting one safe chain, a partition of one of them honoured', async () => {
    // Node 1 shares process 0 with node 0; cutting it off tests that the transport rules are per node, not per process.
    const r = await runCluster(options(scenarioText(4, 6, 'faults: [{kind: partition, at: 2s, for: 2s, nodes: {ids: [1]}}]\n'), 2));
    const s = r.summary;
    expect(s.outcome, JSON.stringify(s.outcome)).toEqual({ kind: 'completed' });
    expect(s.real?.processes).toBe(2);
    expect(s.real?.nodesPerProcess).toBe(2);
    expect(s.safety.violations).toBe(0);
    const ready = [0, 1].map((k) => JSON.parse(readFileSync(join(r.runDir, `p${k}`, 'ready.json'), 'utf8')) as { pid: number; ports: Record<string, number> });
    expect(ready.map((x) => Object.keys(x.ports).toSorted())).toEqual([
      ['0', '1'],
      ['2', '3'],
    ]);
    expect(new Set(ready.flatMap((x) => Object.values(x.ports))).size).toBe(4);
    expect(ready[0]!.pid).not.toBe(ready[1]!.pid);
    for (let id = 0; id < 4; id++) expect(Math.max(...acceptedHeights(r.runDir, id)), `node ${id}`).toBeGreaterThan(3);
    expect(s.real!.faults.filter((f) => f.outcome.startsWith('ok')).map((f) => f.kind)).toEqual(['partition', 'heal']);
    for (const pid of ready.map((x) => x.pid)) expect(alive(pid)).toBe(false);
  });

  it('a node that fails to start: the run ends at once with a labelled failure naming it, its exit code and its log tail, and nothing is left running', async () => {
    const t0 = Date.now();
    const r = await runCluster(options(scenarioText(4, 30), 1, { nodeArgs: failingProcess1('fail-start', 3, 'at-start') }));
    expect(Date.now() - t0).toBeLessThan(20_000);
    expect(r.summary.outcome.kind).toBe('error');
    const message = r.summary.outcome.kind === 'error' ? r.summary.outcome.message : '';
    expect(message).toMatch(/^node 1 exited before it was ready \(exit code 3\); log tail: .*injected failure: exiting with 3/);
    for (const pid of readyPids(r.runDir)) expect(alive(pid)).toBe(false);
  });

  it('a node that crashes on its own mid-run: the run ends early with its id, exit code and log tail, not a hang, and nothing is left running', async () => {
    const t0 = Date.now();
    const r = await runCluster(options(scenarioText(4, 60), 1, { nodeArgs: failingProcess1('crash', 7, 'after-first-block') }));
    expect(Date.now() - t0).toBeLessThan(40_000);
    expect(r.summary.outcome.kind).toBe('error');
    const message = r.summary.outcome.kind === 'error' ? r.summary.outcome.message : '';
    expect(message).toMatch(/^node 1 exited on its own \(exit code 7\); log tail: .*injected failure: exiting with 7/);
    // The others ran until then: the run has blocks, safely.
    expect(r.summary.acceptedBlocks).toBeGreaterThan(0);
    expect(r.summary.safety.violations).toBe(0);
    const pids = readyPids(r.runDir);
    expect(pids).toHaveLength(4);
    for (const pid of pids) expect(alive(pid)).toBe(false);
  });
});
