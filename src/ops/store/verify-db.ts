/**
 * `avsim node verify-db DIR`: checks a stopped node's store (its RocksDB
 * directory, `<node dir>/db`, or the node dir holding it): every stored
 * block parses and matches its checksum, heights are contiguous from 1, each
 * block's parent is the block below it (genesis below height 1), the id
 * index points back at each block's height, and meta/last names the highest
 * block and holds the chain's running totals (transactions, block bytes) a
 * boot reads instead of scanning. The first inconsistency is the result; nothing is repaired.
 */
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { RocksLevel } from '@nxtedition/rocksdb';
import { GENESIS_ID } from '../../consensus/snowman/block.js';
import { checkStoredBlock, HEIGHT_DIGITS, heightKey } from '../../cluster/store/chain-store.js';

export type VerifyResult =
  | { readonly ok: true; readonly blocks: number; readonly last: { height: number; id: number } | undefined; readonly checksummed: number }
  | { readonly ok: false; readonly problem: string };

/** Not a store at all (exit 2), as opposed to a store with an inconsistency (exit 1). */
export class NotAStoreError extends Error {
  override readonly name = 'NotAStoreError';
}

export function storeDirOf(dir: string): string {
  if (!existsSync(dir)) throw new NotAStoreError(`${dir}: no such directory`);
  if (!statSync(dir).isDirectory()) throw new NotAStoreError(`${dir}: not a directory`);
  if (existsSync(join(dir, 'CURRENT'))) return dir;
  if (existsSync(join(dir, 'db', 'CURRENT'))) return join(dir, 'db');
  throw new NotAStoreError(`${dir}: not a node store (no RocksDB CURRENT file here or in db/)`);
}

export async function verifyStore(dir: string): Promise<VerifyResult> {
  const path = storeDirOf(dir);
  const db = new RocksLevel(path, { createIfMissing: false });
  try {
    await db.open();
  } catch (e) {
    const msg = (e as { cause?: Error }).cause?.message ?? (e as Error).message;
    throw new NotAStoreError(`${path}: cannot open the store (${msg.split('\n')[0]}); is its node still running?`);
  }
  try {
    const get = async (key: string): Promise<string | undefined> => {
      try {
        return await db.get(key);
      } catch (e) {
        if ((e as { code?: string }).code === 'LEVEL_NOT_FOUND') return undefined;
        throw e;
      }
    };
    let expected = 1;
    let prevId = GENESIS_ID;
    let checksummed = 0;
    let last: { height: number; id: number } | undefined;
    let txs = 0;
    let bytes = 0;
    for await (const [key, value] of db.iterator({ gte: heightKey(1), lte: heightKey(10 ** HEIGHT_DIGITS - 1) })) {
      const height = Number(String(key).slice('block/h/'.length));
      if (height !== expected) return { ok: false, problem: `heights: expected block at height ${expected}, found ${height} (a gap)` };
      const c = checkStoredBlock(String(value));
      if (!c.ok) return { ok: false, problem: `height ${height}: ${c.problem}` };
      const b = c.block;
      if (c.checksummed) checksummed++;
      if (b.height !== height) return { ok: false, problem: `height ${height}: the block stored there says height ${b.height}` };
      if (b.parent !== prevId) return { ok: false, problem: `height ${height}: block ${b.id} has parent ${b.parent}, but the block at height ${height - 1} is ${prevId}` };
      const indexed = await get(`block/id/${b.id}`);
      if (indexed !== String(height)) return { ok: false, problem: `height ${height}: the id index of block ${b.id} says ${indexed === undefined ? 'nothing' : `height ${indexed}`}` };
      prevId = b.id;
      txs += b.txs.length;
      bytes += b.sizeBytes;
      last = { height, id: b.id };
      expected++;
    }
    const metaText = await get('meta/last');
    if (metaText === undefined) {
      if (last !== undefined) return { ok: false, problem: `meta/last: missing, but blocks up to height ${last.height} are stored` };
    } else {
      let meta: { height?: unknown; id?: unknown; txs?: unknown; bytes?: unknown };
      try {
        meta = JSON.parse(metaText) as typeof meta;
      } catch {
        return { ok: false, problem: 'meta/last: not JSON' };
      }
      if (last === undefined) return { ok: false, problem: `meta/last: names height ${String(meta.height)}, but no block is stored` };
      if (meta.height !== last.height || meta.id !== last.id) return { ok: false, problem: `meta/last: names height ${String(meta.height)} block ${String(meta.id)}, but the highest stored block is ${last.id} at height ${last.height}` };
      // Absent only in stores written before the running totals (a boot computes them once).
      if (meta.txs !== undefined && meta.txs !== txs) return { ok: false, problem: `meta/last: running total of ${String(meta.txs)} transactions, but the stored chain holds ${txs}` };
      if (meta.bytes !== undefined && meta.bytes !== bytes) return { ok: false, problem: `meta/last: running total of ${String(meta.bytes)} block bytes, but the stored chain holds ${bytes}` };
    }
    return { ok: true, blocks: expected - 1, last, checksummed };
  } finally {
    await db.close();
  }
}
