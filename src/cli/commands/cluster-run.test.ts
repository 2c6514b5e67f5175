/**
 * `avsim cluster run` rejects bad input exactly as `avsim run` does (same
 * loading code: exit 2, the same lines), and refuses up front, naming the
 * field, what the real side cannot honour. No node process is started for
 * any of these.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const CLI = join(ROOT, 'dist/src/cli/main.js');
const dir = mkdtempSync(join(tmpdir(), 'avsim-cluster-cli-'));

function avsim(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: { ...process.env, AVSIM_DEBUG: '' }, timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** As avsim(), without blocking: the pairs of one case run side by side. */
function avsimAsync(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const c = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, AVSIM_DEBUG: '' }, timeout: 60_000 });
    let stdout = '';
    let stderr = '';
    c.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
    c.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    c.once('error', reject);
    c.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

function file(name: string, text: string): string {
  const f = join(dir, name);
  writeFileSync(f, text);
  return f;
}

const OK = 'name: ok\nduration: 5s\nnodes: {count: 5}\nworkload: {phases: [{kind: constant, rateTps: 1, duration: 5s}]}\n';

describe('avsim cluster run: bad input', () => {
  it('rejects what avsim run rejects, with the same lines and exit 2', async () => {
    const bad = file('bad.yaml', 'name: x\nduration: 1m\nnodes: {count: 0}\nworkload: {phases: []}\nparameters: {k: -2}\n');
    const cases: string[][] = [
      [bad],
      [file('ok.yaml', OK), '--set', 'parameters.alphaPreference=3'],
      [file('ok2.yaml', OK), '--seed', 'x'],
      [join(dir, 'missing.yaml')],
      [file('dur.yaml', OK.replace('duration: 5s', 'duration: 5 parsecs'))],
      [file('unknown.yaml', `${OK}colour: blue\n`)],
      [file('strategy.yaml', `${OK}byzantine: {strategy: no-such-thing, count: 1}\n`)],
      [file('yaml.yaml', 'name: [unclosed\n')],
    ];
    for (const args of cases) {
      const [sim, real] = await Promise.all([avsimAsync('run', ...args), avsimAsync('cluster', 'run', ...args)]);
      expect(sim.code).toBe(2);
      expect(real.code).toBe(2);
      expect(real.stderr).toBe(sim.stderr);
      expect(real.stdout).toBe('');
    }
    // 16 CLI starts (~1 s of CPU each): generous on a loaded 2-core machine.
  }, 240_000);

  it('refuses up front what the real side cannot honour, naming the field', () => {
    const big = file('big.yaml', OK.replace('count: 5', 'count: 500'));
    const r = avsim('cluster', 'run', big, '--max-nodes', '40');
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`avsim: ${big}: nodes.count: 500 is more than --max-nodes (40): the real side runs every node as real processes on this machine\n`);
    const kill = file('kill.yaml', `${OK}faults: [{kind: kill, at: 1s, nodes: one}]\n`);
    const k = avsim('cluster', 'run', kill, '--nodes-per-process', '2');
    expect(k.code).toBe(2);
    expect(k.stderr).toMatch(/faults\[0\]\.kind: kill signals a whole process, which holds 2 nodes/);
    const balancing = file('balancing.yaml', `${OK}byzantine: {strategy: balancing-informed, count: 2}\n`);
    const b = avsim('cluster', 'run', balancing);
    expect(b.code).toBe(2);
    expect(b.stderr).toMatch(/^avsim: .*balancing\.yaml: byzantine\.strategy: balancing-informed shares one network oracle .* among its nodes in memory, which separate node processes do not have; seed 1 puts its nodes [0-9]+, [0-9]+ in 2 processes \(use --nodes-per-process 5 to run them in one\)\n$/);
    // --kernel-net puts each node in a namespace of its own: as root the layout is refused, otherwise root is asked for.
    const knet = avsim('cluster', 'run', file('knet.yaml', OK), '--kernel-net', '--nodes-per-process', '2');
    expect(knet.code).toBe(2);
    expect(knet.stderr).toMatch(
      process.getuid?.() === 0
        ? /^avsim: .*knet\.yaml: --nodes-per-process: --kernel-net puts every node in a network namespace of its own, so a partition can cut between any two nodes; use --nodes-per-process 1 \(got 2\)\n$/
        : /^avsim: --kernel-net: needs root /,
    );
    const sigs = file('small-tx.yaml', OK.replace('workload: {', 'workload: {txBytes: 5000, '));
    expect(avsim('cluster', 'run', sigs).stderr).toMatch(/workload\.txBytes: with real signatures/);
  });

  it('checks its own flags: one line naming the flag', () => {
    const ok = file('ok3.yaml', OK);
    expect(avsim('cluster', 'run', ok, '--signatures', 'fake').stderr).toBe('avsim: --signatures: must be real or modelled, got "fake"\n');
    expect(avsim('cluster', 'run', ok, '--max-nodes', '0').stderr).toBe('avsim: --max-nodes: must be an integer from 2 to 10000, got "0"\n');
    expect(avsim('cluster', 'run', ok, '--nodes-per-process', 'many').code).toBe(2);
    expect(avsim('node').stderr).toMatch(/--config: required/);
    const cfg = file('cfg.json', '{"version": 2}');
    const n = avsim('node', '--config', cfg);
    expect(n.code).toBe(2);
    expect(n.stderr).toMatch(/^avsim node: config: version: /);
  });
});
