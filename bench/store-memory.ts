/**
 * Memory of the node's store under a stream of accepted blocks, side by side in one process: the chain store as the
 * node uses it (one chained batch per block, closed by write()) against the binding's array `batch(ops)` the store
 * used before, on a second database. @nxtedition/rocksdb 12.2.12's array form builds a chained batch and writes it
 * through the private `_write`, which never closes it, so every batch, native write batch and data included, stays
 * in the database's resource set until the database closes: the RSS creep of the first sk-real-soak run.
 *
 *   npm run bench:store-memory        (node --expose-gc dist/bench/store-memory.js [--blocks 3000] [--txs 3])
 *
 * Blocks carry `--txs` transaction bodies of real ML-DSA-65 size (2,000 B payload, 1,952 B key, 3,309 B signature:
 * the soak's 10 TPS is ~3 per block). Each form runs in a fresh process of its own; prints RSS and heap growth per
 * 1,000 blocks for both, after a GC, and the batches each leaves open. Wall-clock and memory reads are fine here: bench/ is outside the determinism lint.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RocksLevel, type BatchOp } from '@nxtedition/rocksdb';
import { ChainStore } from '../src/cluster/store/chain-store.js';
import { benchMain, parseFlags, parsePositiveInt, str } from './lib/flags.js';
import { BenchUsageError } from './lib/git-ref.js';
import { fmt, MiB } from './lib/stats.js';
import { markdownTable } from './lib/table.js';

const body = { payload: new Uint8Array(2_000).fill(7), publicKey: new Uint8Array(1_952).fill(1), signature: new Uint8Array(3_309).fill(2) };
const b64 = (u: Uint8Array): string => Buffer.from(u).toString('base64');

function settled(): { rss: number; heap: number } {
  (globalThis as { gc?: () => void }).gc?.();
  const m = process.memoryUsage();
  return { rss: m.rss, heap: m.heapUsed };
}

/** abstract-level's set of a database's open resources (batches, iterators). */
function openResources(db: object): number {
  const key = Object.getOwnPropertySymbols(db).find((k) => k.description === 'resources');
  return key === undefined ? -1 : ((db as Record<symbol, Set<unknown>>)[key]?.size ?? -1);
}

function blockAt(h: number, txs: number) {
  const ids = Array.from({ length: txs }, (_, i) => h * 64 + i);
  return { block: { id: h * 131_072 + 3, parent: (h - 1) * 131_072 + 3, height: h, proposer: 2, txs: ids, sizeBytes: 1_000 + txs * 7_300, builtAt: h }, bodies: ids.map((id) => ({ id, ...body })) };
}

/** The same keys and values ChainStore writes for a block (block/h, block/id, tx bodies, meta/last), as array ops. */
function opsOf(h: number, txs: number): BatchOp[] {
  const { block, bodies } = blockAt(h, txs);
  return [
    { type: 'put', key: `block/h/${String(h).padStart(12, '0')}`, value: JSON.stringify({ block }) },
    { type: 'put', key: `block/id/${block.id}`, value: String(h) },
    ...bodies.map((t) => ({ type: 'put' as const, key: `tx/${t.id}`, value: JSON.stringify({ payload: b64(t.payload), publicKey: b64(t.publicKey), signature: b64(t.signature) }) })),
    { type: 'put', key: 'meta/last', value: JSON.stringify({ height: h, id: block.id }) },
  ];
}

type Mode = 'chained' | 'array';

/** One mode in this (fresh) process: RSS and heap growth over `blocks` writes, and the batches left open. */
async function measure(mode: Mode, dir: string, blocks: number, txs: number): Promise<{ rss: number; heap: number; open: number }> {
  if (mode === 'chained') {
    const store = new ChainStore(dir);
    await store.open();
    const m0 = settled();
    for (let h = 1; h <= blocks; h++) {
      const { block, bodies } = blockAt(h, txs);
      await store.appendAccepted({ block }, bodies);
    }
    const m1 = settled();
    const open = openResources((store as unknown as { db: object }).db);
    await store.close();
    return { rss: m1.rss - m0.rss, heap: m1.heap - m0.heap, open };
  }
  const db = new RocksLevel(dir);
  await db.open();
  const m0 = settled();
  for (let h = 1; h <= blocks; h++) await db.batch(opsOf(h, txs), { sync: true });
  const m1 = settled();
  const open = openResources(db);
  await db.close();
  return { rss: m1.rss - m0.rss, heap: m1.heap - m0.heap, open };
}

async function main(): Promise<number> {
  const flags = parseFlags(process.argv.slice(2), { blocks: { type: 'string' }, txs: { type: 'string' }, mode: { type: 'string' } });
  const blocks = parsePositiveInt('--blocks', str(flags.blocks) ?? '3000', 100_000);
  const txs = parsePositiveInt('--txs', str(flags.txs) ?? '3', 100);
  const mode = str(flags.mode);
  if (mode !== undefined && mode !== 'chained' && mode !== 'array') throw new BenchUsageError(`--mode: must be chained or array, got "${mode}"`);
  if ((globalThis as { gc?: unknown }).gc === undefined) process.stderr.write('store-memory: run with --expose-gc for settled figures\n');
  const dir = mkdtempSync(join(tmpdir(), 'avsim-store-memory-'));
  try {
    if (mode !== undefined) {
      // A child: one mode, its figures as one JSON line.
      process.stdout.write(`${JSON.stringify(await measure(mode, join(dir, 'db'), blocks, txs))}\n`);
      return 0;
    }
    // Each mode in a fresh process of its own (memory one database freed would mask the other's growth), one after the other.
    const run = (m: Mode): { rss: number; heap: number; open: number } => {
      const r = spawnSync(process.execPath, ['--expose-gc', fileURLToPath(import.meta.url), '--mode', m, '--blocks', String(blocks), '--txs', String(txs)], { encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`--mode ${m} child failed: ${r.stderr.trim().split('\n').at(-1) ?? ''}`);
      return JSON.parse(r.stdout.trim().split('\n').at(-1) ?? '{}') as { rss: number; heap: number; open: number };
    };
    const a = run('chained');
    const b = run('array');
    const per = (d: number): string => fmt((d / MiB) * (1_000 / blocks), 2);
    const rows = [
      ['ChainStore (chained batch, write() closes it)', String(blocks), per(a.rss), per(a.heap), String(a.open)],
      ['binding array batch(ops) (before the fix)', String(blocks), per(b.rss), per(b.heap), String(b.open)],
    ];
    process.stdout.write(`store memory, ${txs} real-size tx bodies per block (~${fmt((txs * 9_700) / 1024, 1)} KiB per batch); RocksDB's memtable (64 MiB write buffer) fills in both\n`);
    process.stdout.write(markdownTable(['writes', 'blocks', 'RSS MiB per 1,000 blocks', 'heap MiB per 1,000 blocks', 'batches left open'], rows));
    process.stdout.write(`\nRSS growth, array / chained: ${fmt(b.rss / Math.max(1, a.rss), 2)}; extra per leaked batch: ${fmt((b.rss - a.rss) / blocks / 1024, 1)} KiB\n`);
    return 0;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

benchMain('store-memory', main);
