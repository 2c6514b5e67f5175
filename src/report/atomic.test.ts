import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { removeStaleTemps, writeFileAtomic } from './atomic.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BUILT = join(ROOT, 'dist/src/report/atomic.js');

describe('atomic writes', () => {
  beforeAll(() => {
    // The killed child runs the compiled module (Node 20 cannot run .ts).
    // tsc emits even when other files have type errors, so only the output is checked.
    if (!existsSync(BUILT) || statSync(BUILT).mtimeMs < statSync(join(ROOT, 'src/report/atomic.ts')).mtimeMs) {
      try {
        execFileSync(join(ROOT, 'node_modules/.bin/tsc'), ['-p', join(ROOT, 'tsconfig.json')], { stdio: 'ignore' });
      } catch {
        // checked below
      }
    }
    if (!existsSync(BUILT)) throw new Error(`${BUILT} is missing: run npm run build`);
  });

  it('replaces the whole file and leaves no temp file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'avsim-atomic-'));
    const file = join(dir, 'runs.json');
    writeFileAtomic(file, 'old');
    writeFileAtomic(file, ['new ', Buffer.from('content')]);
    expect(readFileSync(file, 'utf8')).toBe('new content');
    expect(readdirSync(dir)).toEqual(['runs.json']);
  });

  it('keeps the old file when the writer fails mid-write', () => {
    const dir = mkdtempSync(join(tmpdir(), 'avsim-atomic-'));
    const file = join(dir, 'runs.csv');
    writeFileSync(file, 'old,file\n');
    function* failing(): Generator<string> {
      yield 'partial,row\n';
      throw new Error('disk on fire');
    }
    expect(() => writeFileAtomic(file, failing())).toThrow('disk on fire');
    expect(readFileSync(file, 'utf8')).toBe('old,file\n');
    expect(readdirSync(dir)).toEqual(['runs.csv']);
  });

  it('keeps the old file intact when the writing process is killed mid-write', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'avsim-atomic-'));
    const file = join(dir, 'big.json');
    writeFileSync(file, 'the old, complete file');
    const moduleUrl = new URL(`file://${BUILT}`).href;
    // A child that writes 4 GiB slowly in 1 MiB chunks: it will be killed long before it finishes.
    const script = `const { writeFileAtomic } = await import(${JSON.stringify(moduleUrl)});
      const chunk = new Uint8Array(1 << 20).fill(120);
      function* chunks() { for (let i = 0; i < 4096; i++) yield chunk; }
      writeFileAtomic(${JSON.stringify(file)}, chunks());`;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: 'ignore' });
    const temp = await new Promise<string>((resolve, reject) => {
      const started = Date.now();
      const poll = setInterval(() => {
        const t = readdirSync(dir).find((n) => n.startsWith('.big.json.tmp-'));
        if (t !== undefined && statSync(join(dir, t)).size > 8 << 20) {
          clearInterval(poll);
          resolve(t);
        } else if (Date.now() - started > 20_000) {
          clearInterval(poll);
          reject(new Error('child never started writing'));
        }
      }, 5);
    });
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    expect(readFileSync(file, 'utf8')).toBe('the old, complete file');
    expect(existsSync(join(dir, temp))).toBe(true);
    expect(removeStaleTemps(dir)).toBe(1);
    expect(readdirSync(dir)).toEqual(['big.json']);
  });
});
