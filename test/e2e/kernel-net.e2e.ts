/**
 * End-to-end test of `avsim cluster run --kernel-net` (run by .ci/run as
 * root, not by `npm test`): experiments/cluster-kernel-net-e2e.yaml, 6 real
 * node processes, each in a network namespace of its own, for 24 s, with a
 * kill -9 + respawn in its namespace and a 2-node partition by nftables drop
 * rules. Asserts the rules really blocked traffic (counted drops, and the
 * cut-off nodes accepted nothing while cut off), the heal let them catch up,
 * safety held, and nothing of the run is left: no process, no namespace, no
 * interface, no nftables table. Then kills a harness with SIGKILL mid-run:
 * its watchdog removes everything.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { RunSummary } from '../../src/metrics/summary.js';
import { processesMentioning } from './processes.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CLI = join(ROOT, 'dist/src/cli/main.js');
const SCENARIO = join(ROOT, 'experiments/cluster-kernel-net-e2e.yaml');
const isRoot = process.getuid?.() === 0;

const stdoutOf = (cmd: string, args: string[]): string => spawnSync(cmd, args, { encoding: 'utf8' }).stdout ?? '';

/** Every kernel object whose name carries the run id: namespaces, interfaces, nftables tables. */
function objectsOf(runId: string): string[] {
  const out = stdoutOf;
  return [
    ...out('ip', ['netns', 'list']).split('\n'),
    ...out('ip', ['-o', 'link', 'show']).split('\n'),
    ...out('nft', ['list', 'tables']).split('\n'),
  ].filter((l) => l.includes(runId));
}

async function until<T>(what: string, f: () => T | undefined, ms: number): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = f();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe.skipIf(!isRoot)('avsim cluster run --kernel-net, end to end', () => {
  it('6 nodes in namespaces: an nftables partition really blocks and heals, kill -9 + respawn in its namespace, safe, nothing left behind', () => {
    const work = mkdtempSync(join(tmpdir(), 'avsim-e2e-knet-'));
    try {
      const r = spawnSync(process.execPath, [CLI, 'cluster', 'run', SCENARIO, '--kernel-net', '--signatures', 'modelled', '--json', '--keep', '--work-dir', work, '--no-progress'], {
        encoding: 'utf8',
        timeout: 240_000,
      });
      expect(r.status, r.stderr).toBe(0);
      const s = JSON.parse(r.stdout.trim().split('\n').at(-1)!) as RunSummary;
      expect(s.outcome).toEqual({ kind: 'completed' });
      expect(s.safety.violations).toBe(0);
      const k = s.real!.kernelNet!;
      expect(k.namespaces).toBe(6);
      expect(k.shapedMbps).toEqual({ up: 50, down: 50 });
      expect(k.ruleChanges).toBe(2);
      expect(k.droppedPackets).toBeGreaterThan(0);

      const fault = (kind: string) => s.real!.faults.find((f) => f.kind === kind)!;
      expect(fault('partition').outcome).toBe('ok (nftables)');
      expect(fault('heal').outcome).toBe('ok (nftables)');
      expect(s.real!.restarts.map((x) => [x.node, x.continued])).toEqual([[1, true]]);

      // While cut off (after a second for what was in flight), nodes 4 and 5 accepted no block the others had not
      // accepted before the cut (a timed-out poll may still count for a block they heard of before: AvalancheGo's
      // rule), and they caught up after the heal.
      const runDir = join(work, readdirSync(work)[0]!);
      const accepted = (id: number): Array<{ t: number; h: number }> =>
        readFileSync(join(runDir, `n${id}`, 'history.jsonl'), 'utf8')
          .trim()
          .split('\n')
          .filter((l) => l.startsWith('{"k":"unit"'))
          .map((l) => JSON.parse(l) as { t: number; h: number });
      const cutFrom = (fault('partition').doneSeconds + 1) * 1e6;
      const cutTo = fault('heal').realisedSeconds * 1e6;
      const cutAt = fault('partition').realisedSeconds * 1e6;
      const frontier = Math.max(...[0, 1, 2, 3].flatMap((id) => accepted(id).filter((u) => u.t < cutAt).map((u) => u.h)));
      for (const id of [4, 5]) expect(accepted(id).filter((u) => u.t > cutFrom && u.t < cutTo && u.h > frontier)).toEqual([]);
      const top = (id: number): number => Math.max(...accepted(id).map((u) => u.h));
      const best = Math.max(...[0, 1, 2, 3].map(top));
      for (const id of [4, 5]) expect(top(id)).toBeGreaterThanOrEqual(best - 4);

      expect(objectsOf(k.runId)).toEqual([]);
      expect(existsSync(`/run/avsim-kernel-net/${k.runId}.json`)).toBe(false);
      expect(processesMentioning(runDir)).toEqual([]);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });

  it('a SIGKILLed harness: its watchdog kills the nodes and removes every namespace, interface and table', async () => {
    const work = mkdtempSync(join(tmpdir(), 'avsim-e2e-knet-kill-'));
    try {
      const harness = spawn(process.execPath, [CLI, 'cluster', 'run', SCENARIO, '--kernel-net', '--signatures', 'modelled', '--keep', '--work-dir', work, '--no-progress'], { stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      harness.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
      const exited = new Promise<void>((res) => harness.once('exit', () => res()));
      try {
        const runId = await until('the run\'s namespaces', () => /kernel-net ([0-9a-f]{6}):/.exec(stderr)?.[1], 60_000);
        const runDir = join(work, readdirSync(work)[0]!);
        await until('6 ready nodes', () => ([0, 1, 2, 3, 4, 5].every((i) => existsSync(join(runDir, `p${i}`, 'ready.json'))) ? true : undefined), 60_000);
        expect(objectsOf(runId).length).toBeGreaterThan(6);
        harness.kill('SIGKILL');
        await exited;
        await until('every kernel object of the run gone', () => (objectsOf(runId).length === 0 ? true : undefined), 20_000);
        await until('every node process gone', () => (processesMentioning(runDir).length === 0 ? true : undefined), 20_000);
      } finally {
        harness.kill('SIGKILL');
      }
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });
});
