/**
 * Test fixture (crash-torture.test.ts): reopens the chain store in DIR, continues its chain with one block per write
 * batch (a block of `TXS` signed-size transaction bodies, so a batch is as large as a loaded node's), four writes queued
 * at all times, and prints each height once its write completed ("reported"), until it is killed.
 */
import { ChainStore } from '../../cluster/store/chain-store.js';

const dir = process.argv[2];
if (dir === undefined) throw new Error('usage: store-writer.fixture.js DIR');
const TXS = 20;
const s = new ChainStore(dir);
await s.open();
const last = (await s.lastAccepted()) ?? { height: 0, id: 0 };
const body = { payload: new Uint8Array(2_000).fill(7), publicKey: new Uint8Array(1_952).fill(1), signature: new Uint8Array(3_309).fill(2) };
// A few writes queued at all times (as a node accepting a burst has): the next batch begins as one completes.
const IN_FLIGHT = 4;
const pending: Array<Promise<number>> = [];
let parent = last.id;
for (let h = last.height + 1; ; h++) {
  const txs = Array.from({ length: TXS }, (_, i) => h * 64 + i);
  const block = { id: h * 131_072 + 3, parent, height: h, proposer: 2, txs, sizeBytes: 1_000 + TXS * 7_300, builtAt: h };
  parent = block.id;
  pending.push(s.appendAccepted({ block }, txs.map((id) => ({ id, ...body }))).then(() => h));
  if (pending.length >= IN_FLIGHT) process.stdout.write(`${await pending.shift()}\n`);
}
