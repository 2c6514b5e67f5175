/**
 * End-to-end test of the real side (run by .ci/run, not by `npm test`):
 * experiments/cluster-e2e.yaml against 7 real node processes for 30 s, with
 * a kill -9 and restart, a pause, and a partition and heal. Asserts no safety
 * violation over every node's acceptance history, that the restarted node
 * reopened its store and its chain continued the persisted one and caught up
 * with the others, that the faults really happened, and that no process of
 * the run is left behind.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { RunSummary } from '../../src/metrics/summary.js';
import { processesMentioning } from './processes.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CLI = join(ROOT, 'dist/src/cli/main.js');

describe('avsim cluster run, end to end', () => {
  it('7 real nodes, kill -9 + restart, pause, partition + heal: safe, the restarted node continues its chain and catches up, nothing left behind', () => {
    const work = mkdtempSync(join(tmpdir(), 'avsim-e2e-'));
    try {
      const r = spawnSync(process.execPath, [CLI, 'cluster', 'run', join(ROOT, 'experiments/cluster-e2e.yaml'), '--signatures', 'modelled', '--json', '--keep', '--work-dir', work, '--no-progress'], {
        encoding: 'utf8',
        timeout: 240_000,
      });
      expect(r.status, r.stderr).toBe(0);
      const s = JSON.parse(r.stdout.trim().split('\n').at(-1)!) as RunSummary;
      expect(s.mode).toBe('real');
      expect(s.outcome).toEqual({ kind: 'completed' });
      expect(s.nodes).toBe(7);
      expect(s.real?.processes).toBe(7);

      // Safety over every node's acceptance history; blocks kept being accepted.
      expect(s.safety.violations).toBe(0);
      expect(s.acceptedBlocks).toBeGreaterThan(20);
      expect(s.acceptedTransactions).toBeGreaterThan(100);
      expect(s.recoveryMs).not.toBeNull();

      // Every fault really happened.
      const done = (kind: string) => s.real!.faults.filter((f) => f.kind === kind && f.outcome.startsWith('ok'));
      expect(done('crash').map((f) => f.nodes)).toEqual([[2]]);
      expect(done('restart').map((f) => f.nodes)).toEqual([[2]]);
      expect(done('pause')).toHaveLength(2); // stop and resume
      expect(done('partition')).toHaveLength(1);
      expect(done('heal')).toHaveLength(1);

      // The restarted node reopened a non-empty store and what it accepted next continued that chain.
      expect(s.real!.restarts).toHaveLength(1);
      const restart = s.real!.restarts[0]!;
      expect(restart.node).toBe(2);
      expect(restart.restoredHeight).toBeGreaterThan(0);
      expect(restart.continued).toBe(true);
      // Its recovery, first-class in the summary as in a simulated run: bootstrapped, then voting and accepting again.
      const rec = (s.nodeRecovery ?? []).filter((x) => x.node === 2);
      expect(rec).toHaveLength(1);
      expect(rec[0]!.firstSuccessfulPollMs).not.toBeNull();
      expect(rec[0]!.firstAcceptMs).not.toBeNull();
      expect(rec[0]!.firstSuccessfulPollMs!).toBeGreaterThanOrEqual(rec[0]!.bootstrapMs);
      expect(s.protocolMetrics?.counters['bootstraps']).toBe(1);

      // It caught up: by the end its chain is as long as the others' (within the blocks of the last second).
      const runDir = join(work, readdirSync(work)[0]!);
      const heights = Array.from({ length: 7 }, (_, id) => {
        const lines = readFileSync(join(runDir, `n${id}`, 'history.jsonl'), 'utf8').trim().split('\n');
        return Math.max(...lines.filter((l) => l.startsWith('{"k":"unit"')).map((l) => (JSON.parse(l) as { h: number }).h));
      });
      expect(heights[2]).toBeGreaterThanOrEqual(Math.max(...heights) - 4);

      // Nothing of the run is left running.
      expect(processesMentioning(runDir)).toEqual([]);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });
});
