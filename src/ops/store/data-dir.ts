/**
 * A node's data directory before the node opens it: absent or empty (a new node), or a node's (its `db/` a RocksDB
 * store, its history). Anything else is refused with one line, so that a mistyped path or a volume holding other data
 * is never turned into a store (RocksDB would happily create one among foreign files).
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export class DataDirError extends RangeError {
  override readonly name = 'DataDirError';
}

/** What a node directory may hold besides its store (lost+found: a fresh ext4 volume). */
const NODE_FILES = new Set(['db', 'history.jsonl', 'ready.json', 'api-token', 'run-epoch.json', 'lost+found']);

export function checkDataDir(dir: string, field = 'dataDir'): void {
  if (!existsSync(dir)) return;
  if (!statSync(dir).isDirectory()) throw new DataDirError(`${field}: ${dir} is not a directory`);
  const db = join(dir, 'db');
  if (existsSync(db)) {
    if (!statSync(db).isDirectory() || !existsSync(join(db, 'CURRENT'))) throw new DataDirError(`${field}: ${dir} is not a node store (${db} exists but is no RocksDB store: no CURRENT file)`);
    return;
  }
  const foreign = readdirSync(dir).filter((f) => !NODE_FILES.has(f));
  if (foreign.length > 0) {
    const shown = foreign.toSorted().slice(0, 3).join(', ');
    throw new DataDirError(`${field}: ${dir} is not a node store and not empty (holds ${shown}${foreign.length > 3 ? `, … ${foreign.length} entries` : ''}); give a new or empty directory, or a node's`);
  }
}
