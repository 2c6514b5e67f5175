/**
 * Content hashes of finished results: what lets a resumed sweep and a
 * report trust `runs/<id>.json`. Each result's SHA-256 is appended to
 * `sweep.journal` (one fsynced line) after the result's temp file is durable
 * and before it is renamed into place, so a result on disk always has its
 * hash on record, whenever a SIGKILL comes; the index written when the sweep
 * stops carries every hash; the journal is then removed. A result whose bytes
 * do not match its hash was truncated or edited after the sweep wrote it.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { open, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { INDEX_FILE, readIndex, resultPath, type SweepIndex } from './sweep-index.js';

export const JOURNAL_FILE = 'sweep.journal';

export function contentHash(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** Appends `{id, sha256}` to the journal and fsyncs it. */
export async function journalResult(dir: string, id: string, sha256: string): Promise<void> {
  const handle = await open(join(dir, JOURNAL_FILE), 'a');
  try {
    await handle.write(`${JSON.stringify({ id, sha256 })}\n`);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** id -> sha256 from the journal; a torn last line (a write cut short) is left out, so that task runs again. */
export async function readJournal(dir: string): Promise<Map<string, string>> {
  let text: string;
  try {
    text = await readFile(join(dir, JOURNAL_FILE), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return new Map();
    throw err;
  }
  const out = new Map<string, string>();
  for (const line of text.split('\n')) {
    try {
      const entry = JSON.parse(line) as { id?: unknown; sha256?: unknown };
      if (typeof entry.id === 'string' && typeof entry.sha256 === 'string' && /^[0-9a-f]{64}$/.test(entry.sha256)) out.set(entry.id, entry.sha256);
    } catch {
      // torn or empty line
    }
  }
  return out;
}

export async function removeJournal(dir: string): Promise<void> {
  await rm(join(dir, JOURNAL_FILE), { force: true });
}

/** Every hash a sweep directory records: the index's, then the journal's (newer) over them. */
export async function recordedHashes(dir: string, index: SweepIndex | null): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const entry of index?.tasks ?? []) if (typeof entry.sha256 === 'string') out.set(entry.id, entry.sha256);
  for (const [id, sha] of await readJournal(dir)) out.set(id, sha);
  return out;
}

export type ResultCheck = { kind: 'ok'; sha256: string } | { kind: 'unrecorded' } | { kind: 'mismatch'; file: string } | { kind: 'unreadable'; file: string };

/** Checks runs/<id>.json against its recorded hash. */
export function checkResult(dir: string, id: string, hashes: ReadonlyMap<string, string>): ResultCheck {
  const expected = hashes.get(id);
  const file = join(dir, resultPath(id));
  if (expected === undefined) return { kind: 'unrecorded' };
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return { kind: 'unreadable', file };
  }
  return contentHash(text) === expected ? { kind: 'ok', sha256: expected } : { kind: 'mismatch', file };
}

/**
 * For a report: every result of a sweep directory whose hash is recorded must
 * match it; throws naming the first file that does not. Directories without
 * sweep.json (`avsim run --out`) hold no hashes and pass.
 */
export async function verifySweepResults(dir: string): Promise<void> {
  const index = await readIndex(dir);
  if (index === null) return;
  const hashes = await recordedHashes(dir, index);
  for (const id of [...hashes.keys()].toSorted()) {
    const check = checkResult(dir, id, hashes);
    if (check.kind === 'mismatch') {
      const payload = index.tasks.find((t) => t.id === id)?.payload;
      const file = payload !== null && typeof payload === 'object' && !Array.isArray(payload) && typeof payload.scenarioFile === 'string' ? payload.scenarioFile : 'FILE';
      throw new Error(`${check.file}: does not match the SHA-256 recorded for it in ${join(dir, INDEX_FILE)} (truncated or edited since the sweep wrote it); run it again with avsim sweep ${file} --out ${dir} --resume`);
    }
  }
}
