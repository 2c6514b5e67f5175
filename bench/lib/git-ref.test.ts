import { spawn, spawnSync } from 'node:child_process';
import { existsSync, lstatSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BenchUsageError, buildRef, pruneStaleWorktrees, resolveRef, thisCheckout } from './git-ref.js';

const repo = thisCheckout();
const worktrees = (): string => spawnSync('git', ['worktree', 'list', '--porcelain'], { cwd: repo, encoding: 'utf8' }).stdout;

describe('git-ref', () => {
  it('rejects a ref that names no commit, and one that looks like a flag', () => {
    expect(() => resolveRef(repo, 'no-such-branch-xyz')).toThrow(BenchUsageError);
    expect(() => resolveRef(repo, 'no-such-branch-xyz')).toThrow(/names no commit/);
    expect(() => resolveRef(repo, '--output=x')).toThrow(/is not a git ref/);
    expect(resolveRef(repo, 'HEAD')).toMatch(/^[0-9a-f]{40}$/);
  });

  it('builds a ref in a temporary worktree with linked node_modules, and removes it', () => {
    const tree = buildRef(repo, 'HEAD', { label: 'base', log: () => {} });
    try {
      expect(tree.sha).toBe(resolveRef(repo, 'HEAD'));
      expect(existsSync(join(tree.root, 'dist', 'src', 'runner', 'run-scenario.js'))).toBe(true);
      expect(lstatSync(join(tree.root, 'node_modules')).isSymbolicLink()).toBe(true);
      expect(worktrees()).toContain(tree.root);
    } finally {
      tree.remove();
    }
    expect(existsSync(tree.root)).toBe(false);
    expect(worktrees()).not.toContain(tree.root);
  });

  it('prunes a worktree left by a bench that died (its pid is gone), and keeps one whose owner lives', () => {
    const dead = mkdtempSync(join(tmpdir(), 'avsim-bench-test-'));
    const live = mkdtempSync(join(tmpdir(), 'avsim-bench-test-'));
    for (const dir of [dead, live]) expect(spawnSync('git', ['worktree', 'add', '--detach', '--quiet', '--force', dir, 'HEAD'], { cwd: repo }).status).toBe(0);
    // A pid that is certainly gone: a child that has exited.
    const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout;
    writeFileSync(join(dead, '.avsim-bench-pid'), gone);
    writeFileSync(join(live, '.avsim-bench-pid'), String(process.pid));
    try {
      const removed = pruneStaleWorktrees(repo);
      expect(removed).toContain(dead);
      expect(removed).not.toContain(live);
      expect(existsSync(dead)).toBe(false);
      expect(existsSync(live)).toBe(true);
    } finally {
      spawnSync('git', ['worktree', 'remove', '--force', live], { cwd: repo });
      spawnSync('git', ['worktree', 'remove', '--force', dead], { cwd: repo });
    }
    expect(worktrees()).not.toContain(live);
  });

  it('Ctrl-C during a gate run kills its child and removes the base worktree', async () => {
    const proc = spawn(process.execPath, [join(repo, 'dist', 'bench', 'gate.js'), '--base', 'HEAD', '--quick', '--rounds', '1'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    const code = await new Promise<number | null>((resolve) => {
      proc.stderr.on('data', (d: Buffer) => {
        err += d.toString();
        // Interrupt once the first measured run has started (the worktree exists by then).
        if (/round 1\/1/.test(err) && proc.exitCode === null) proc.kill('SIGINT');
      });
      proc.on('exit', (c) => resolve(c));
    });
    expect(code).toBe(130);
    const dir = /in (\/\S+avsim-bench-[^;\s]+);/.exec(err)?.[1];
    expect(dir).toBeDefined();
    expect(existsSync(dir!)).toBe(false);
    expect(worktrees()).not.toContain(dir!);
    // The gate builds the base ref (tsc) before its first round: on 2 shared, loaded cores that
    // alone took more than the suite's default 120 s, so this test gets its own bound.
  }, 360_000);
});
