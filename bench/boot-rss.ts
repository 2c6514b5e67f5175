/**
 * The memory a real node's boot leaves behind, against the length of its stored chain. For each chain length a
 * node-0 data directory is prefilled (a store of that many accepted blocks of 3 transactions, modelled signatures, as
 * in sk-real-soak; a history that reported all of them), then a fresh process opens a RealNode on it and prints its
 * RSS and heap before and after open(), both after a GC, the node still open. With `--before DIST` the same is done
 * with another build's dist/ (e.g. a copy of dist/ made before a change), side by side, in the same session. The
 * last column opens only the ChainStore (RocksDB) of this build on the same store: the part of a boot's memory that
 * is RocksDB opening a larger database, not the boot's reads.
 *
 *   npm run build && node --expose-gc dist/bench/boot-rss.js [--blocks 1000,4000,12000] [--before /tmp/old/dist]
 *
 * The figure is RSS after open minus RSS before it, in MiB; a boot that scans the stored chain grows it with the
 * chain (glibc arenas the scan leaves), a boot reading a bounded window does not. Wall-clock and memory reads are
 * fine here: bench/ is outside the determinism lint.
 */
import { spawnSync } from 'node:child_process';
import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ChainStore } from '../src/cluster/store/chain-store.js';
import { blockIdOf, GENESIS_ID, type Block } from '../src/consensus/snowman/block.js';
import { benchMain, parseFlags, parseIntList, str } from './lib/flags.js';
import { fmt, MiB } from './lib/stats.js';
import { markdownTable } from './lib/table.js';

const SCENARIO = `
name: boot-rss
duration: 60s
nodes: {count: 5}
parameters: {k: 5, alphaPreference: 4, alphaConfidence: 4, beta: 20}
network: {latency: {kind: constant, oneWay: 20ms}}
workload: {phases: [{kind: poisson, rateTps: 10, duration: 60s}]}
`;
const SEED = 7;
const RUN_TAG = 0xb007;

function settled(): { rss: number; heap: number } {
  (globalThis as { gc?: () => void }).gc?.();
  const m = process.memoryUsage();
  return { rss: m.rss, heap: m.heapUsed };
}

/** A node-0 data directory with `n` accepted blocks stored and reported. */
async function prefill(dir: string, n: number): Promise<void> {
  const s = new ChainStore(join(dir, 'db'), { sync: false });
  await s.open();
  await s.claim({ scenario: 'boot-rss', seed: SEED, runTag: RUN_TAG, node: 0 });
  let last: Block | undefined;
  for (let h = 1, parent = GENESIS_ID; h <= n; h++) {
    const b: Block = { id: blockIdOf(h % 5, h), parent, height: h, proposer: h % 5, txs: [h * 8, h * 8 + 1, h * 8 + 2], sizeBytes: 1_100, builtAt: h * 280_000 };
    void s.appendAccepted({ block: b }, []);
    parent = b.id;
    last = b;
  }
  await s.reserve({ blocks: n + 1, requests: 0, incarnations: 1 });
  await s.close();
  const hist = join(dir, 'history.jsonl');
  appendFileSync(hist, `${JSON.stringify({ k: 'boot', n: 0, t: 0, inc: 1, h: 0, last: 0 })}\n`);
  if (last !== undefined) appendFileSync(hist, `${JSON.stringify({ k: 'chk', n: 0, t: n * 280_000, in: { id: last.id, height: last.height, parent: last.parent, txs: last.txs } })}\n`);
}

/** A child: opens a RealNode of `dist` on `dir` (or only its store), prints the growth as one JSON line. */
async function child(dist: string, dir: string, storeOnly: boolean): Promise<void> {
  const imp = (p: string): Promise<Record<string, unknown>> => import(pathToFileURL(join(dist, p)).href) as Promise<Record<string, unknown>>;
  if (storeOnly) {
    const m0 = settled();
    const s = new ChainStore(join(dir, 'db'));
    await s.open();
    const m1 = settled();
    await s.close();
    process.stdout.write(`${JSON.stringify({ rss: m1.rss - m0.rss, heap: m1.heap - m0.heap })}\n`);
    return;
  }
  const { RealNode } = (await imp('src/cluster/node/real-node.js')) as { RealNode: new (o: unknown) => { open(): Promise<number>; close(): Promise<void> } };
  const { parseScenarioText } = (await imp('src/scenario/load.js')) as { parseScenarioText: (t: string) => { scenario: unknown } };
  const { RunClock, monotonicNs } = (await imp('src/cluster/host/clock.js')) as { RunClock: new (t: bigint) => unknown; monotonicNs: () => bigint };
  const scenario = parseScenarioText(SCENARIO).scenario;
  const opts = { id: 0, seed: SEED, scenario, runTag: RUN_TAG, listenHost: '127.0.0.1', port: 0, dataDir: dir, realSignatures: false, byzantineIds: [], byzantine: undefined, clock: new RunClock(monotonicNs()), publish: () => undefined, log: () => undefined, payCpu: false };
  const node = new RealNode(opts);
  const m0 = settled();
  await node.open();
  const m1 = settled();
  await node.close();
  process.stdout.write(`${JSON.stringify({ rss: m1.rss - m0.rss, heap: m1.heap - m0.heap })}\n`);
}

async function main(): Promise<number> {
  const flags = parseFlags(process.argv.slice(2), { blocks: { type: 'string' }, before: { type: 'string' }, child: { type: 'string' }, dist: { type: 'string' }, 'store-only': { type: 'boolean' } });
  const c = str(flags.child);
  if (c !== undefined) {
    await child(str(flags.dist) ?? '', c, flags['store-only'] === true);
    return 0;
  }
  if ((globalThis as { gc?: unknown }).gc === undefined) process.stderr.write('boot-rss: run with --expose-gc for settled figures\n');
  const lengths = parseIntList('--blocks', str(flags.blocks) ?? '1000,4000,12000', 1_000_000);
  const here = resolve(dirname(fileURLToPath(import.meta.url)), '..');
  const before = str(flags.before);
  const builds: [string, string, boolean][] = [['this build', here, false], ...(before === undefined ? [] : ([['--before', resolve(before), false]] as [string, string, boolean][])), ['store open only', here, true]];
  const rows: string[][] = [];
  for (const n of lengths) {
    const row = [n.toLocaleString('en-US')];
    for (const [, dist, storeOnly] of builds) {
      const dir = mkdtempSync(join(tmpdir(), 'avsim-boot-rss-'));
      try {
        await prefill(dir, n);
        const args = ['--expose-gc', fileURLToPath(import.meta.url), '--child', dir, '--dist', dist, ...(storeOnly ? ['--store-only'] : [])];
        const r = spawnSync(process.execPath, args, { encoding: 'utf8' });
        if (r.status !== 0) throw new Error(`child (${dist}) failed: ${r.stderr.trim().split('\n').at(-1) ?? ''}`);
        const m = JSON.parse(r.stdout.trim().split('\n').at(-1) ?? '{}') as { rss: number; heap: number };
        row.push(fmt(m.rss / MiB, 1), fmt(m.heap / MiB, 1));
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
    rows.push(row);
  }
  const head = ['stored blocks', ...builds.flatMap(([name]) => [`${name}: RSS MiB`, `${name}: heap MiB`])];
  process.stdout.write('memory left by a RealNode boot (after open() minus before, after a GC, node open)\n');
  process.stdout.write(markdownTable(head, rows));
  return 0;
}

benchMain('boot-rss', main);
