/**
 * Bad input, as a new user gives it: each case is one CLI call (the built
 * command, in a child process) with its exit code and the first line of
 * stderr. Every case is refused before any simulation runs, with one line
 * naming the field, flag or path and the rule or cause in words.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CLI = join(ROOT, 'dist/src/cli/main.js');

const SMALL = `name: small
duration: 2s
nodes: {count: 20}
network:
  latency: {kind: constant, oneWay: 20ms}
workload:
  phases:
    - {kind: constant, rateTps: 10, duration: 2s}
`;

/** A YAML "billion laughs": 9^10 copies of one string through nested aliases. */
function aliasBomb(): string {
  const lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
  let prev = 'a';
  for (let i = 1; i < 10; i++) {
    const name = String.fromCharCode(97 + i);
    lines.push(`${name}: &${name} [${Array.from({ length: 9 }, () => `*${prev}`).join(',')}]`);
    prev = name;
  }
  return `${lines.join('\n')}\n`;
}

let dir = '';
let small = '';
/** A read-only tmpfs mounted for the test (root only; null elsewhere). */
let readOnly: string | null = null;

/** The built CLI in a child process, killed after 30 s (a hang fails the case instead of the suite). */
function avsim(args: readonly string[]): Promise<{ code: number | null; first: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: dir, env: { ...process.env, AVSIM_DEBUG: '' }, stdio: ['ignore', 'ignore', 'pipe'], timeout: 30_000 });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('close', (code) => resolve({ code, first: stderr.split('\n')[0] ?? '', stderr }));
  });
}

beforeAll(() => {
  execFileSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(ROOT, 'tsconfig.json')], { stdio: 'ignore' });
  dir = mkdtempSync(join(tmpdir(), 'avsim-bad-'));
  small = join(dir, 'small.yaml');
  writeFileSync(small, SMALL);
  writeFileSync(join(dir, 'a-file'), 'not a directory\n');
  mkdirSync(join(dir, 'a-dir'));
  writeFileSync(join(dir, 'bomb.yaml'), aliasBomb());
  if (process.getuid?.() === 0) {
    const ro = join(dir, 'ro');
    mkdirSync(ro);
    const m = spawnSync('mount', ['-t', 'tmpfs', '-o', 'ro,size=1m', 'tmpfs', ro]);
    if (m.status === 0) readOnly = ro;
  }
});

afterAll(() => {
  if (readOnly !== null) spawnSync('umount', [readOnly]);
  rmSync(dir, { recursive: true, force: true });
});

type Case = [name: string, args: () => string[], code: number, first: (d: string) => string | RegExp];

const CASES: Case[] = [
  // validate must reject everything run rejects
  ['unknown Byzantine strategy', () => ['validate', small, '--set', 'byzantine.strategy=nope', '--set', 'byzantine.count=2'], 2, () => /^.*small\.yaml: byzantine\.strategy: unknown strategy "nope" for protocol snowman; known: silent, /],
  ['a strategy option it does not take', () => ['validate', small, '--set', 'byzantine.strategy=silent', '--set', 'byzantine.count=2', '--set', 'byzantine.options.x=1'], 2, () => /byzantine\.options\.x: not an option of strategy silent \(it takes none\)/],
  ['a strategy option of the wrong type', () => ['validate', small, '--set', 'byzantine.strategy=always-accept', '--set', 'byzantine.count=2', '--set', 'byzantine.options.equivocate=3'], 2, () => /byzantine\.options\.equivocate: must be true or false, got 3/],
  ['a node count above the engine limit', () => ['validate', small, '--set', 'nodes.count=20000'], 2, () => /small\.yaml: nodes\.count: must be an integer from 1 to 16383 \(set by --set\)$/],
  ['--set protocol.x on a file without a protocol section', () => ['validate', small, '--set', 'protocol.conflictFraction=0.1'], 2, () => /small\.yaml: protocol\.conflictFraction: unknown field/],
  ['__proto__ inside a --set path', () => ['validate', small, '--set', 'nodes.__proto__.count=5'], 2, () => /--set nodes\.__proto__\.count=5: "__proto__" is not a field name \(__proto__, constructor, prototype are refused in paths\)$/],
  ['__proto__ at the top of a --set path', () => ['validate', small, '--set', '__proto__.x=1'], 2, () => /--set __proto__\.x=1: "__proto__" is not a field name/],
  ['constructor as a --set path', () => ['validate', small, '--set', 'constructor.prototype=1'], 2, () => /"constructor" is not a field name/],
  ['--trace-nodes beyond the run', () => ['run', small, '--trace', 't.jsonl', '--trace-nodes', '500'], 2, () => 'avsim: --trace-nodes: 500 is not a node of this run (node ids run from 0 to 19, nodes.count = 20)'],
  ['--trace-window past the end', () => ['run', small, '--trace', 't.jsonl', '--trace-window', '10s..20s'], 2, () => "avsim: --trace-window: starts at 10s, at or after the run's end (duration 2s): the trace would be empty"],
  ['--trace-nodes without --trace', () => ['run', small, '--trace-nodes', '3'], 2, () => 'avsim: --trace-nodes: needs --trace FILE (it picks the nodes the trace file records)'],
  ['negative uniform minimum', () => ['validate', small, '--set', 'network.latency={kind: uniform, min: -10ms, max: 10ms}'], 2, () => /network\.latency\.min: must be a duration >= 0, got "-10ms" \(set by --set\)$/],
  ['a phase index that does not exist', () => ['validate', small, '--set', 'workload.phases[5].rateTps=3'], 2, () => /--set workload\.phases\[5\]\.rateTps=3: index 5 does not exist: workload\.phases has 1 item\(s\), index 0 to 0$/],
  ['k above the total stake', () => ['validate', small, '--set', 'nodes.count=1', '--set', 'nodes.stake={kind: explicit, weights: [3]}', '--set', 'parameters.k=5', '--set', 'parameters.alphaPreference=3', '--set', 'parameters.alphaConfidence=3'], 2, () => /parameters\.k: fails k <= total stake units \(k = 5, nodes\.stake gives 3 units\)/],
  ['zipf stake beyond 32-bit units', () => ['validate', small, '--set', 'nodes.stake={kind: zipf, exponent: 10}'], 2, () => /nodes\.stake\.exponent: gives the largest of 20 validators 2\.05e\+16 stake units, more than 4294967295/],
  // --max-wall: a wall-time duration above 0, with a unit
  ['--max-wall without a unit', () => ['run', small, '--max-wall', '10'], 2, () => 'avsim: --max-wall: must be a wall-time duration above 0 with a unit (s, m, h, d), e.g. 30s or 2h, got "10"'],
  ['--max-wall of zero', () => ['run', small, '--max-wall', '0'], 2, () => 'avsim: --max-wall: must be a wall-time duration above 0 with a unit (s, m, h, d), e.g. 30s or 2h, got "0"'],
  ['--max-wall negative', () => ['run', small, '--max-wall=-5m'], 2, () => 'avsim: --max-wall: must be a wall-time duration above 0 with a unit (s, m, h, d), e.g. 30s or 2h, got "-5m"'],
  ['--max-wall not a duration', () => ['sweep', small, '--max-wall', 'soon', '--no-progress'], 2, () => 'avsim: --max-wall: must be a wall-time duration above 0 with a unit (s, m, h, d), e.g. 30s or 2h, got "soon"'],
  // I/O errors are bad input, found before the work
  ['run --out an existing file', () => ['run', small, '--out', join(dir, 'a-file')], 2, (d) => `avsim: --out: ${d}/a-file: is a file, not a directory`],
  ['run --out under a file', () => ['run', small, '--out', join(dir, 'a-file', 'x')], 2, (d) => `avsim: --out: ${d}/a-file/x: ${d}/a-file is a file, not a directory`],
  ['run --out under /sys', () => ['run', small, '--out', '/sys/avsim'], 2, () => "avsim: --out: /sys/avsim: is on the kernel's sysfs file system (/sys), which holds no files; choose a directory on disk"],
  ['run --out under /proc (hung forever before)', () => ['run', small, '--out', '/proc/avsim'], 2, () => "avsim: --out: /proc/avsim: is on the kernel's proc file system (/proc), which holds no files; choose a directory on disk"],
  ['sweep --out under /proc (hung forever before)', () => ['sweep', small, '--out', '/proc/avsim', '--no-progress'], 2, () => "avsim: --out: /proc/avsim: is on the kernel's proc file system (/proc), which holds no files; choose a directory on disk"],
  ['sweep --out an existing file', () => ['sweep', small, '--out', join(dir, 'a-file'), '--no-progress'], 2, (d) => `avsim: --out: ${d}/a-file: is a file, not a directory`],
  ['check --out under /proc', () => ['check', join(ROOT, 'experiments/bft-threshold-reduced.yaml'), '--out', '/proc/avsim'], 2, () => "avsim: --out: /proc/avsim: is on the kernel's proc file system (/proc), which holds no files; choose a directory on disk"],
  ['--trace a directory', () => ['run', small, '--trace', join(dir, 'a-dir')], 2, (d) => `avsim: --trace: ${d}/a-dir: is a directory; give a file name`],
  ['a scenario path that is a directory', () => ['run', join(dir, 'a-dir')], 2, (d) => `${d}/a-dir: (file): is a directory, not a scenario file (give a .yaml file)`],
  ['a scenario path that does not exist', () => ['validate', join(dir, 'nope.yaml')], 2, (d) => `${d}/nope.yaml: (file): cannot be read: does not exist`],
  ['a YAML alias bomb', () => ['validate', join(dir, 'bomb.yaml')], 2, (d) => `${d}/bomb.yaml:2: (yaml): aliases expand to more than 100 copies (a YAML "alias bomb"?); refused`],
  // Logs a user reads
  ["commander's suggestion is kept", () => ['run', small, '--sed', '3'], 2, () => "error: unknown option '--sed' (Did you mean one of --seed, --set?)"],
];

describe.concurrent('bad input: exit code and the first line of stderr', () => {
  it.each(CASES)('%s', async (_name, args, code, first) => {
    const r = await avsim(args());
    expect(r.code, r.stderr).toBe(code);
    const want = first(dir);
    if (typeof want === 'string') expect(r.first).toBe(want);
    else expect(r.first).toMatch(want);
    expect(r.stderr).not.toContain('AVSIM_DEBUG=1 for the stack');
  });

  it('an output path on a read-only file system (root only: mounts a read-only tmpfs)', async () => {
    if (readOnly === null) return; // needs root to mount; CI runs as root
    const inside = await avsim(['run', small, '--out', join(readOnly, 'x')]);
    expect(inside.code).toBe(2);
    expect(inside.first).toBe(`avsim: --out: ${readOnly}/x: cannot create it: is on a read-only file system`);
    const itself = await avsim(['sweep', small, '--out', readOnly, '--no-progress']);
    expect(itself.code).toBe(2);
    expect(itself.first).toBe(`avsim: --out: ${readOnly}: cannot write in it: is on a read-only file system`);
    const trace = await avsim(['run', small, '--trace', join(readOnly, 't.jsonl')]);
    expect(trace.code).toBe(2);
    expect(trace.first).toBe(`avsim: --trace: ${readOnly}/t.jsonl: cannot write in ${readOnly}: is on a read-only file system`);
    expect(existsSync(join(readOnly, 'x'))).toBe(false);
  });

  it('k above nodes.count runs, with a warning naming both fields', async () => {
    const r = await avsim(['validate', small, '--set', 'parameters.k=30', '--set', 'parameters.alphaPreference=16', '--set', 'parameters.alphaConfidence=16']);
    expect(r.code).toBe(0);
    expect(r.first).toMatch(/small\.yaml: warning: parameters\.k: k = 30 is more than nodes\.count = 20: every sample repeats validators/);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
  });
});
