/**
 * Checks of output paths before any work: a run or sweep that can only fail
 * at its end, when it writes its results, must fail at its start instead, as
 * bad input (exit 2) naming the flag, the path and the cause.
 */
import { closeSync, openSync, rmSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { causeInWords, IoProblem, isFsError } from './errno.js';
import { makeDir } from './make-dir.js';

let probeCounter = 0;

/** Creates and removes a hidden file in `dir`: the one test of writability that sees read-only mounts, quotas and ACLs. */
function probe(dir: string, label: string, shown: string): void {
  const path = join(dir, `.avsim-probe-${process.pid}-${probeCounter++}`);
  try {
    closeSync(openSync(path, 'wx'));
  } catch (e) {
    throw new IoProblem(`${label}: ${shown}: cannot write ${shown === dir ? 'in it' : `in ${dir}`}: ${causeInWords(isFsError(e) ? e.code : 'EIO')}`);
  }
  rmSync(path, { force: true });
}

/** Makes `dir` if needed and checks that files can be written in it. */
export function prepareOutputDir(dir: string, label: string, shown: string = resolve(dir)): string {
  const abs = resolve(dir);
  makeDir(abs, label, shown);
  probe(abs, label, shown);
  return abs;
}

/** Checks that the parent of `dir` can hold it (for a directory that is created later, e.g. by a rename). */
export function prepareParentDir(dir: string, label: string): void {
  const abs = resolve(dir);
  try {
    if (!statSync(abs).isDirectory()) throw new IoProblem(`${label}: ${abs}: is a file, not a directory`);
  } catch (e) {
    if (e instanceof IoProblem) throw e;
    if (!(isFsError(e) && e.code === 'ENOENT')) throw new IoProblem(`${label}: ${abs}: ${causeInWords(isFsError(e) ? e.code : 'EIO')}`);
  }
  prepareOutputDir(dirname(abs), label, abs);
}

/** Checks that `file` can be written: not a directory, its folder made and writable. */
export function prepareOutputFile(file: string, label: string): string {
  const abs = resolve(file);
  try {
    if (statSync(abs).isDirectory()) throw new IoProblem(`${label}: ${abs}: is a directory; give a file name`);
  } catch (e) {
    if (e instanceof IoProblem) throw e;
    if (!(isFsError(e) && (e.code === 'ENOENT' || e.code === 'ENOTDIR'))) throw new IoProblem(`${label}: ${abs}: ${causeInWords(isFsError(e) ? e.code : 'EIO')}`);
  }
  prepareOutputDir(dirname(abs), label, abs);
  return abs;
}
