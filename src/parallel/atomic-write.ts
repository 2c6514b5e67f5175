import { open, readdir, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** Temp files are hidden, named after their target, and unique per process and write. */
const TEMP_MARK = '.tmp-';
let tempCounter = 0;

/**
 * Writes `data` to `path` so that a reader (or a resumed sweep after a crash or
 * SIGKILL) sees either the old file or the whole new one, never a torn one:
 * write a temp file in the same directory, fsync it, rename it over the target,
 * then fsync the directory so the rename itself survives a power cut.
 * `beforeRename` runs once the temp file is durable and before it replaces the target.
 */
export async function writeFileAtomic(path: string, data: string, beforeRename?: () => Promise<void>): Promise<void> {
  const dir = dirname(path);
  const temp = join(dir, `.${basename(path)}${TEMP_MARK}${process.pid}-${tempCounter++}`);
  const handle = await open(temp, 'w');
  try {
    await handle.writeFile(data, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    // E.g. record the file's hash first, so that whenever the file exists its hash is on record.
    await beforeRename?.();
    await rename(temp, path);
  } catch (err) {
    await rm(temp, { force: true });
    throw err;
  }
  await fsyncDir(dir);
}

async function fsyncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } catch {
    // Some platforms (Windows) cannot fsync a directory; the rename is still atomic there.
  } finally {
    await handle.close();
  }
}

/** True for a temp file left behind by a writer that died between open and rename. */
export function isTempFile(name: string): boolean {
  return name.startsWith('.') && name.includes(TEMP_MARK);
}

/** Removes temp files a killed writer left in `dir`; returns how many. A missing dir counts as clean. */
export async function removeStaleTempFiles(dir: string): Promise<number> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw err;
  }
  const stale = names.filter(isTempFile);
  await Promise.all(stale.map((name) => rm(join(dir, name), { force: true })));
  return stale.length;
}
