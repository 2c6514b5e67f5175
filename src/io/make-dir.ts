/**
 * Creating a directory and its parents, one level at a time. Node 20's
 * `mkdir(path, { recursive: true })` loops forever where mkdir keeps
 * answering ENOENT for a parent that exists (under /proc), and reports ENOENT
 * where the cause is EROFS; this walks down from the deepest existing
 * ancestor, so every failure names the level that failed and its cause, and
 * nothing can loop. Kernel virtual file systems (/proc, /sys, ...) are
 * refused by name before anything is tried.
 */
import { mkdirSync, statfsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { causeInWords, IoProblem, isFsError } from './errno.js';

/** statfs magic numbers of kernel file systems that hold no user files. */
const VIRTUAL_FS: ReadonlyMap<number, string> = new Map([
  [0x9fa0, 'proc'],
  [0x62656572, 'sysfs'],
  [0x64626720, 'debugfs'],
  [0x27e0eb, 'cgroup'],
  [0x63677270, 'cgroup2'],
  [0x73636673, 'securityfs'],
  [0x74726163, 'tracefs'],
  [0xcafe4a11, 'bpf'],
  [0x6165676c, 'pstore'],
  [0x1cd1, 'devpts'],
]);

/** The name of the kernel virtual file system `path` lies on, or null (also when statfs is unavailable). */
export function virtualFileSystemOf(path: string): string | null {
  try {
    return VIRTUAL_FS.get(statfsSync(path).type) ?? null;
  } catch {
    return null;
  }
}

function kind(path: string): 'dir' | 'other' | 'missing' {
  try {
    return statSync(path).isDirectory() ? 'dir' : 'other';
  } catch (e) {
    if (isFsError(e) && (e.code === 'ENOENT' || e.code === 'ENOTDIR')) return 'missing';
    throw new IoProblem(`${path}: ${causeInWords(isFsError(e) ? e.code : 'EIO')}`);
  }
}

/**
 * Makes `dir` (and missing parents). Throws an IoProblem (`label: path: cause`)
 * when a level exists but is not a directory, lies on a kernel virtual file
 * system, or cannot be created.
 */
export function makeDir(dir: string, label = 'directory', shown: string = resolve(dir)): void {
  const target = resolve(dir);
  const missing: string[] = [];
  let at = target;
  for (;;) {
    const k = kind(at);
    if (k === 'dir') break;
    if (k === 'other') {
      throw new IoProblem(`${label}: ${shown}: ${at === target ? 'is' : `${at} is`} a file, not a directory`);
    }
    missing.push(at);
    const up = dirname(at);
    if (up === at) break;
    at = up;
  }
  const fs = virtualFileSystemOf(at);
  if (fs !== null) throw new IoProblem(`${label}: ${shown}: is on the kernel's ${fs} file system (${at}), which holds no files; choose a directory on disk`);
  for (const level of missing.toReversed()) {
    try {
      mkdirSync(level);
    } catch (e) {
      if (isFsError(e) && e.code === 'EEXIST' && kind(level) === 'dir') continue; // made meanwhile
      const cause = causeInWords(isFsError(e) ? e.code : 'EIO');
      throw new IoProblem(`${label}: ${shown}: cannot create ${level === target ? 'it' : level}: ${cause}`);
    }
  }
}
