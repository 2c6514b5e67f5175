/** The RocksDB chain store: what was written (sync) reads back after reopening, also after the writer was killed with SIGKILL. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { Block } from '../../consensus/snowman/block.js';
import { ChainStore } from './chain-store.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function blockAt(h: number, parent: number): Block {
  return { id: h * 131_072 + 2, parent, height: h, proposer: 1, txs: [h * 10, h * 10 + 1], sizeBytes: 11_000, builtAt: h * 250_000 };
}

async function collect<T>(g: AsyncGenerator<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of g) out.push(x);
  return out;
}

describe('ChainStore', () => {
  it('reads back the accepted chain, the last accepted block, tx bodies and the id reservation after reopening', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'avsim-store-'));
    dirs.push(dir);
    const s = new ChainStore(dir);
    await s.open();
    expect(await s.chain()).toEqual([]);
    expect(await s.lastAccepted()).toBeUndefined();
    expect(await s.reservation()).toEqual({ blocks: 0, requests: 0, incarnations: 0 });
    let parent = 0;
    const written: Block[] = [];
    for (let h = 1; h <= 30; h++) {
      const b = blockAt(h, parent);
      parent = b.id;
      written.push(b);
      const entry = h === 5 ? { block: b, signature: { blockId: b.id, publicKey: new Uint8Array([7, 7]), signature: new Uint8Array([9]) } } : { block: b };
      void s.appendAccepted(entry, h === 3 ? [{ id: 30, payload: new Uint8Array([1, 2, 3]), publicKey: new Uint8Array(4), signature: new Uint8Array(5) }] : []);
    }
    await s.reserve({ blocks: 1024, requests: 1 << 20, incarnations: 1 });
    await s.close();
    const again = new ChainStore(dir);
    await again.open();
    expect((await again.chain()).map((e) => e.block)).toEqual(written);
    expect(await again.lastAccepted()).toEqual({ height: 30, id: written[29]!.id, txs: 60, bytes: 30 * 11_000 });
    expect([...(await collect(again.range(28, 40)))].map((e) => e.block.height)).toEqual([28, 29, 30]);
    expect(await again.reservation()).toEqual({ blocks: 1024, requests: 1 << 20, incarnations: 1 });
    expect(await again.txBody(30)).toEqual({ id: 30, payload: new Uint8Array([1, 2, 3]), publicKey: new Uint8Array(4), signature: new Uint8Array(5) });
    expect(await again.txBody(31)).toBeUndefined();
    // The same, synchronously (SignatureLayer's store fallback).
    expect(again.txBodyOf(30)).toEqual({ id: 30, payload: new Uint8Array([1, 2, 3]), publicKey: new Uint8Array(4), signature: new Uint8Array(5) });
    expect(again.txBodyOf(31)).toBeUndefined();
    expect(again.signatureOf(written[4]!.id)).toEqual({ blockId: written[4]!.id, publicKey: new Uint8Array([7, 7]), signature: new Uint8Array([9]) });
    expect(again.signatureOf(written[5]!.id)).toBeUndefined();
    expect(again.signatureOf(12_345)).toBeUndefined();
    await again.close();
  });

  it('keeps running totals in meta/last; a store written before them gets them by one scan at open', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'avsim-store-'));
    dirs.push(dir);
    const s = new ChainStore(dir, { sync: false });
    await s.open();
    let parent = 0;
    for (let h = 1; h <= 10; h++) {
      const b = blockAt(h, parent);
      parent = b.id;
      void s.appendAccepted({ block: b }, []);
    }
    expect(await s.lastAccepted()).toEqual({ height: 10, id: parent, txs: 20, bytes: 110_000 });
    await s.close();
    // The pre-totals form of meta/last, as stores before running totals hold it.
    const { RocksLevel } = await import('@nxtedition/rocksdb');
    const db = new RocksLevel(dir);
    await db.open();
    await db.batch([{ type: 'put', key: 'meta/last', value: JSON.stringify({ height: 10, id: parent }) }]);
    await db.close();
    const old = new ChainStore(dir);
    await old.open();
    expect(old.blocksRead).toBe(10);
    expect(await old.lastAccepted()).toEqual({ height: 10, id: parent, txs: 20, bytes: 110_000 });
    await old.close();
    const again = new ChainStore(dir);
    await again.open();
    expect(again.blocksRead).toBe(10); // still the old form: nothing was written since
    await again.close();
  });

  it('reads an accepted block by height and id synchronously (AcceptedStore), queued or durable, also after reopening', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'avsim-store-'));
    dirs.push(dir);
    const s = new ChainStore(dir);
    await s.open();
    let parent = 0;
    const written: Block[] = [];
    const durable: Promise<void>[] = [];
    for (let h = 1; h <= 20; h++) {
      const b = blockAt(h, parent);
      parent = b.id;
      written.push(b);
      durable.push(s.appendAccepted({ block: b }, []));
      // Queued, not yet written: served from the queue.
      expect([s.blockAt(h), s.heightOf(b.id)]).toEqual([b, h]);
    }
    await Promise.all(durable);
    expect(written.map((b) => [s.blockAt(b.height), s.heightOf(b.id)])).toEqual(written.map((b) => [b, b.height]));
    expect([s.blockAt(21), s.heightOf(12_345)]).toEqual([undefined, undefined]);
    await s.close();
    const again = new ChainStore(dir);
    await again.open();
    expect([again.blockAt(7), again.heightOf(written[6]!.id)]).toEqual([written[6], 7]);
    const seen: number[] = [];
    for await (const e of again.blocks()) seen.push(e.block.height);
    expect(seen).toEqual(written.map((b) => b.height));
    await again.close();
  });

  it('leaves no batch open after its writes (the binding\'s array batch() kept every one, data included, until close)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'avsim-store-'));
    dirs.push(dir);
    const s = new ChainStore(dir);
    await s.open();
    let parent = 0;
    for (let h = 1; h <= 50; h++) {
      const b = blockAt(h, parent);
      parent = b.id;
      void s.appendAccepted({ block: b }, []);
    }
    await s.reserve({ blocks: 1024, requests: 1 << 20, incarnations: 1 });
    // abstract-level's set of open resources (iterators, batches) of the database: empty once writes and reads are done.
    await s.chain();
    const db = (s as unknown as { db: object }).db;
    const key = Object.getOwnPropertySymbols(db).find((k) => k.description === 'resources');
    expect(key, 'abstract-level keeps its open resources under Symbol(resources)').toBeDefined();
    expect((db as Record<symbol, Set<unknown>>)[key!]!.size).toBe(0);
    await s.close();
  });

  it('after kill -9 of a writer, the reopened chain is a gap-free prefix holding every write that completed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'avsim-store-kill-'));
    dirs.push(dir);
    const script = join(fileURLToPath(new URL('../../../', import.meta.url)), 'dist/src/cluster/store/chain-store.kill-fixture.js');
    // The fixture writes blocks and prints each height once its write completed, then SIGKILLs itself mid-stream.
    const r = spawnSync(process.execPath, [script, dir], { encoding: 'utf8', timeout: 60_000 });
    expect(r.signal).toBe('SIGKILL');
    const acked = r.stdout.trim().split('\n').filter((l) => l !== '').map(Number);
    expect(acked.length).toBeGreaterThan(10);
    const s = new ChainStore(dir);
    await s.open();
    const chain = (await s.chain()).map((e) => e.block);
    await s.close();
    expect(chain.length).toBeGreaterThanOrEqual(acked.at(-1)!);
    chain.forEach((b, i) => {
      expect(b.height).toBe(i + 1);
      expect(b.parent).toBe(i === 0 ? 0 : chain[i - 1]!.id);
    });
  });
});
