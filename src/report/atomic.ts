/**
 * Atomic file writes for every results file: write a temp file in the same
 * directory, fsync it, rename it over the target, fsync the directory. A crash
 * at any point leaves either the old file or the whole new one, never a torn
 * one; a crashed writer's temp file is hidden (`.name.tmp-…`) and removed by
 * removeStaleTemps.
 */
import { closeSync, fsyncSync, openSync, readdirSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { makeDir } from '../io/make-dir.js';

const TEMP_MARK = '.tmp-';
let counter = 0;

export type AtomicData = string | Uint8Array | Iterable<string | Uint8Array>;

function fsyncDir(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // Some file systems cannot fsync a directory; the rename is still atomic.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** Writes `data` (or its chunks, in order) to `path` atomically, creating the directory if needed. */
export function writeFileAtomic(path: string, data: AtomicData): void {
  const dir = dirname(path);
  makeDir(dir, 'output');
  const temp = join(dir, `.${basename(path)}${TEMP_MARK}${process.pid}-${counter++}`);
  const fd = openSync(temp, 'wx', 0o644);
  try {
    const chunks = typeof data === 'string' || data instanceof Uint8Array ? [data] : data;
    for (const chunk of chunks) {
      const buf = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
      let off = 0;
      while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off);
    }
    fsyncSync(fd);
  } catch (err) {
    closeSync(fd);
    rmSync(temp, { force: true });
    throw err;
  }
  closeSync(fd);
  try {
    renameSync(temp, path);
  } catch (err) {
    rmSync(temp, { force: true });
    throw err;
  }
  fsyncDir(dir);
}

export function isTempFile(name: string): boolean {
  return name.startsWith('.') && name.includes(TEMP_MARK);
}

/** Removes temp files left by writers that crashed; returns how many. */
export function removeStaleTemps(dir: string): number {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return 0;
  }
  const stale = names.filter(isTempFile);
  for (const name of stale) rmSync(join(dir, name), { force: true });
  return stale.length;
}
