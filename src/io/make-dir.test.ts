import { existsSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { IoProblem } from './errno.js';
import { makeDir, virtualFileSystemOf } from './make-dir.js';

describe('makeDir', () => {
  it('creates missing levels and accepts an existing directory', () => {
    const root = mkdtempSync(join(tmpdir(), 'avsim-mkdir-'));
    makeDir(join(root, 'a', 'b', 'c'));
    expect(statSync(join(root, 'a', 'b', 'c')).isDirectory()).toBe(true);
    makeDir(join(root, 'a', 'b', 'c'));
  });

  it('names the level that is a file', () => {
    const root = mkdtempSync(join(tmpdir(), 'avsim-mkdir-'));
    writeFileSync(join(root, 'f'), '');
    expect(() => makeDir(join(root, 'f', 'x'), '--out')).toThrow(new IoProblem(`--out: ${root}/f/x: ${root}/f is a file, not a directory`));
    expect(() => makeDir(join(root, 'f'), '--out')).toThrow(`--out: ${root}/f: is a file, not a directory`);
  });

  it('refuses kernel file systems at once instead of looping (Node 20 recursive mkdir never returns under /proc)', () => {
    if (virtualFileSystemOf('/proc') === null) return; // not Linux
    const t = Date.now();
    expect(() => makeDir('/proc/avsim/x', '--out')).toThrow("--out: /proc/avsim/x: is on the kernel's proc file system (/proc), which holds no files");
    expect(Date.now() - t).toBeLessThan(1000);
    expect(existsSync('/proc/avsim')).toBe(false);
  });
});
