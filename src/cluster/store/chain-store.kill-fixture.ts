/** Test fixture (chain-store.test.ts): writes blocks, prints each height once its sync write completed, and SIGKILLs itself mid-stream. */
import { ChainStore } from './chain-store.js';

const dir = process.argv[2];
if (dir === undefined) throw new Error('usage: chain-store.kill-fixture.js DIR');
const s = new ChainStore(dir);
await s.open();
let parent = 0;
for (let h = 1; h <= 10_000; h++) {
  const block = { id: h * 131_072 + 2, parent, height: h, proposer: 1, txs: [h], sizeBytes: 1_000, builtAt: h };
  parent = block.id;
  const done = s.appendAccepted({ block }, []);
  if (h === 40) {
    // Some writes completed, some queued, one perhaps half-way: kill -9 now.
    process.kill(process.pid, 'SIGKILL');
  }
  await done;
  process.stdout.write(`${h}\n`);
}
