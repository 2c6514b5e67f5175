/**
 * The code a benchmark measures: the checkout the bench runs from ("the
 * working tree", already built by `npm run bench:*`), or a git ref built in a
 * temporary git worktree under the system temp directory.
 *
 * A temporary worktree gets node_modules as a symlink to this checkout's when
 * the ref's package-lock.json is byte-identical to ours (same dependency
 * tree), otherwise its own `npm ci`; then the ref's own `npm run build`. It is
 * removed (`git worktree remove --force`, then prune) when the bench ends, on
 * failure and on Ctrl-C too (cleanup.ts). A bench killed with SIGKILL leaves
 * its worktree behind; the next bench removes worktrees of ours whose owner
 * process is gone (pid file in the worktree).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { registerCleanup } from './cleanup.js';

/** A bench input the user got wrong (unknown ref, not a git checkout): one line, exit 2. */
export class BenchUsageError extends Error {
  override readonly name = 'BenchUsageError';
}

/** A tree of built code to benchmark. */
export interface CodeTree {
  /** Short label for tables: "base", "head". */
  label: string;
  /** What the user named: a ref, or "working tree". */
  ref: string;
  /** The commit (40 hex digits); for the working tree, HEAD's. */
  sha: string;
  /** The working tree has uncommitted changes to tracked files. */
  dirty: boolean;
  /** Directory holding dist/ (the built code). */
  root: string;
  /** Removes a temporary worktree; no-op for the working tree. */
  remove: () => void;
}

const PREFIX = 'avsim-bench-';
const PID_FILE = '.avsim-bench-pid';

interface Captured {
  status: number | null;
  stdout: string;
  stderr: string;
}

function sh(cmd: string, args: readonly string[], cwd: string): Captured {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.error !== undefined) throw new Error(`${cmd} ${args.join(' ')}: ${r.error.message}`);
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function tail(text: string, lines = 15): string {
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}

/** The checkout this bench code belongs to: the nearest directory above it with a package.json (from bench/lib/ or dist/bench/lib/). */
export function thisCheckout(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error(`no package.json above ${fileURLToPath(import.meta.url)}`);
    dir = up;
  }
  return dir;
}

/** Resolves a ref to a commit of the repository at `repo`; BenchUsageError if there is none. */
export function resolveRef(repo: string, ref: string): string {
  if (!/^[A-Za-z0-9_./~^@{}-]+$/.test(ref) || ref.startsWith('-')) throw new BenchUsageError(`--base/--head: "${ref}" is not a git ref (letters, digits, and _ . / ~ ^ @ { } -)`);
  const r = sh('git', ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], repo);
  if (r.status !== 0) throw new BenchUsageError(`--base/--head: "${ref}" names no commit in ${repo}`);
  return r.stdout.trim();
}

/** The working tree the bench runs from, as already built. */
export function workingTree(repo: string, label: string): CodeTree {
  if (!existsSync(join(repo, 'dist', 'src'))) throw new BenchUsageError(`${repo}/dist is missing: run npm run build first (npm run bench:* does)`);
  const sha = resolveRef(repo, 'HEAD');
  const dirty = sh('git', ['status', '--porcelain', '--untracked-files=no'], repo).stdout.trim() !== '';
  return { label, ref: 'working tree', sha, dirty, root: repo, remove: () => {} };
}

function removeWorktree(repo: string, dir: string): void {
  sh('git', ['worktree', 'remove', '--force', dir], repo);
  if (existsSync(dir)) rmSync(dir, { recursive: true, force: true });
  sh('git', ['worktree', 'prune'], repo);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes temporary worktrees left by benches that were killed outright. */
export function pruneStaleWorktrees(repo: string): string[] {
  const list = sh('git', ['worktree', 'list', '--porcelain'], repo).stdout;
  const removed: string[] = [];
  for (const line of list.split('\n')) {
    if (!line.startsWith('worktree ')) continue;
    const dir = line.slice('worktree '.length);
    if (!basename(dir).startsWith(PREFIX) || resolve(dir, '..') !== resolve(tmpdir())) continue;
    let pid = NaN;
    try {
      pid = Number(readFileSync(join(dir, PID_FILE), 'utf8'));
    } catch {
      // No pid file: the bench died while creating it, or the directory is gone.
    }
    if (Number.isInteger(pid) && pid > 0 && alive(pid)) continue;
    removeWorktree(repo, dir);
    removed.push(dir);
  }
  return removed;
}

export interface BuildOptions {
  label: string;
  /** Progress lines (stderr by default). */
  log?: (line: string) => void;
}

/** Checks out `ref` in a temporary worktree, installs its dependencies and builds it. */
export function buildRef(repo: string, ref: string, options: BuildOptions): CodeTree {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const sha = resolveRef(repo, ref);
  pruneStaleWorktrees(repo);
  const dir = mkdtempSync(join(tmpdir(), `${PREFIX}${sha.slice(0, 8)}-`));
  const cleanup = registerCleanup(() => removeWorktree(repo, dir));
  try {
    const add = sh('git', ['worktree', 'add', '--detach', '--quiet', dir, sha], repo);
    if (add.status !== 0) throw new Error(`git worktree add ${dir} ${sha}: ${tail(add.stderr)}`);
    writeFileSync(join(dir, PID_FILE), String(process.pid));
    const lock = sh('git', ['show', `${sha}:package-lock.json`], repo);
    const ours = existsSync(join(repo, 'package-lock.json')) ? readFileSync(join(repo, 'package-lock.json'), 'utf8') : '';
    if (lock.status === 0 && lock.stdout === ours && existsSync(join(repo, 'node_modules'))) {
      symlinkSync(join(repo, 'node_modules'), join(dir, 'node_modules'), 'dir');
      log(`bench: ${options.label} = ${ref} (${sha.slice(0, 10)}) in ${dir}; same package-lock.json, node_modules linked`);
    } else {
      log(`bench: ${options.label} = ${ref} (${sha.slice(0, 10)}) in ${dir}; its package-lock.json differs, running npm ci ...`);
      const ci = sh('npm', ['ci', '--no-audit', '--no-fund'], dir);
      if (ci.status !== 0) throw new Error(`npm ci in ${dir} (${ref}) failed:\n${tail(ci.stderr || ci.stdout)}`);
    }
    const build = sh('npm', ['run', '--silent', 'build'], dir);
    if (build.status !== 0) throw new Error(`npm run build in ${dir} (${ref}) failed:\n${tail(build.stdout + build.stderr)}`);
  } catch (e) {
    cleanup.release();
    throw e;
  }
  return { label: options.label, ref, sha, dirty: false, root: dir, remove: cleanup.release };
}

/** One line naming a tree, for the bench's header. */
export function describeTree(t: CodeTree): string {
  return `${t.label}: ${t.ref} = ${t.sha.slice(0, 10)}${t.dirty ? ' + uncommitted changes' : ''}`;
}
