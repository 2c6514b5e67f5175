import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RocksLevel } from '@nxtedition/rocksdb';
import { afterEach, describe, expect, it } from 'vitest';
import type { Block } from '../../consensus/snowman/block.js';
import { ChainStore, heightKey, StoreIdentityError } from '../../cluster/store/chain-store.js';
import { NotAStoreError, verifyStore } from './verify-db.js';

const cli = fileURLToPath(new URL('../../../dist/src/cli/main.js', import.meta.url));
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const block = (h: number, parent: number): Block => ({ id: 100 + h, parent, height: h, proposer: 1, txs: [h * 10, h * 10 + 1], sizeBytes: 900, builtAt: h * 1000 });

/** A store with blocks 1..n, closed. */
async function storeWith(n: number): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'avsim-verify-'));
  dirs.push(dir);
  const s = new ChainStore(join(dir, 'db'));
  await s.open();
  for (let h = 1; h <= n; h++) await s.appendAccepted({ block: block(h, h === 1 ? 0 : 100 + h - 1) }, []);
  await s.close();
  return dir;
}

async function tamper(dir: string, f: (db: RocksLevel) => Promise<void>): Promise<void> {
  const db = new RocksLevel(join(dir, 'db'));
  await db.open();
  await f(db);
  await db.close();
}

describe('verify-db', () => {
  it('a store the node wrote verifies: every block checksummed, heights 1..n, last accepted the top', async () => {
    const dir = await storeWith(6);
    expect(await verifyStore(dir)).toEqual({ ok: true, blocks: 6, last: { height: 6, id: 106 }, checksummed: 6 });
    expect(await verifyStore(join(dir, 'db'))).toMatchObject({ ok: true, blocks: 6 });
  });

  it('finds a changed block (checksum), a gap, a broken parent link, a stale id index, a wrong last accepted', async () => {
    const changed = await storeWith(4);
    await tamper(changed, async (db) => {
      const v = JSON.parse(await db.get(heightKey(2))) as { block: Block };
      v.block = { ...v.block, txs: [999] };
      await db.batch([{ type: 'put', key: heightKey(2), value: JSON.stringify(v) }]);
    });
    expect(await verifyStore(changed)).toEqual({ ok: false, problem: expect.stringMatching(/^height 2: checksum mismatch/) });

    const gap = await storeWith(4);
    await tamper(gap, (db) => db.batch([{ type: 'del', key: heightKey(3) }]));
    expect(await verifyStore(gap)).toEqual({ ok: false, problem: 'heights: expected block at height 3, found 4 (a gap)' });

    const meta = await storeWith(4);
    await tamper(meta, (db) => db.batch([{ type: 'put', key: 'meta/last', value: JSON.stringify({ height: 3, id: 103 }) }]));
    expect(await verifyStore(meta)).toEqual({ ok: false, problem: 'meta/last: names height 3 block 103, but the highest stored block is 104 at height 4' });

    const totals = await storeWith(4);
    await tamper(totals, async (db) => {
      const v = JSON.parse(await db.get('meta/last')) as { txs: number };
      await db.batch([{ type: 'put', key: 'meta/last', value: JSON.stringify({ ...v, txs: v.txs + 1 }) }]);
    });
    expect(await verifyStore(totals)).toEqual({ ok: false, problem: expect.stringMatching(/^meta\/last: running total of \d+ transactions, but the stored chain holds \d+$/) });

    const index = await storeWith(3);
    await tamper(index, (db) => db.batch([{ type: 'put', key: 'block/id/102', value: '7' }]));
    expect(await verifyStore(index)).toEqual({ ok: false, problem: 'height 2: the id index of block 102 says height 7' });

    const orphan = await storeWith(3);
    const s = new ChainStore(join(orphan, 'db'));
    await s.open();
    await s.appendAccepted({ block: { ...block(4, 555) } }, []); // a parent that is not block 103
    await s.close();
    expect(await verifyStore(orphan)).toEqual({ ok: false, problem: 'height 4: block 104 has parent 555, but the block at height 3 is 103' });
  });

  it('a directory that is not a store is told apart from an inconsistent store', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'avsim-verify-not-'));
    dirs.push(dir);
    writeFileSync(join(dir, 'notes.txt'), 'hello');
    await expect(verifyStore(dir)).rejects.toThrow(NotAStoreError);
    await expect(verifyStore(join(dir, 'missing'))).rejects.toThrow(/no such directory/);
    mkdirSync(join(dir, 'db'));
    writeFileSync(join(dir, 'db', 'CURRENT'), 'garbage\n');
    await expect(verifyStore(dir)).rejects.toThrow(/cannot open the store/);
  });

  it('avsim node verify-db: exit 0 with a summary, 1 with the first inconsistency, 2 for not a store', async () => {
    const good = await storeWith(3);
    const ok = spawnSync(process.execPath, [cli, 'node', 'verify-db', good], { encoding: 'utf8' });
    expect(ok.status).toBe(0);
    expect(ok.stdout).toBe(`${good}: ok: 3 blocks, heights 1..3 contiguous, last accepted 103 at height 3, 3 checksums verified\n`);
    const bad = await storeWith(3);
    await tamper(bad, (db) => db.batch([{ type: 'del', key: heightKey(2) }]));
    const r1 = spawnSync(process.execPath, [cli, 'node', 'verify-db', bad], { encoding: 'utf8' });
    expect(r1.status).toBe(1);
    expect(r1.stderr).toBe(`avsim: ${bad}: heights: expected block at height 2, found 3 (a gap)\n`);
    const r2 = spawnSync(process.execPath, [cli, 'node', 'verify-db', tmpdir()], { encoding: 'utf8' });
    expect(r2.status).toBe(2);
    expect(r2.stderr).toMatch(/^avsim: .*: not a node store/);
  });

  it('a store from another run, scenario or node is refused with one line naming both', async () => {
    const dir = await storeWith(2);
    const id = { scenario: 'a', seed: 1, runTag: 0xabc, node: 3 };
    const s = new ChainStore(join(dir, 'db'));
    await s.open();
    try {
      await s.claim(id);
      await s.claim(id); // the same run reopening: fine
      await expect(s.claim({ ...id, runTag: 0xdef })).rejects.toThrow(StoreIdentityError);
      await expect(s.claim({ ...id, scenario: 'b' })).rejects.toThrow(`belongs to node 3 of scenario a seed 1 run abc, not node 3 of scenario b seed 1 run abc`);
      await expect(s.claim({ ...id, node: 4 })).rejects.toThrow(/not node 4/);
    } finally {
      await s.close();
    }
  });
});
