/**
 * Where the memory of a scale run goes: runs the bench:scale scenario in
 * this process (1 worker, so one V8 heap holds everything) and prints, at
 * the given simulated seconds, RSS, V8 heap used per space, external and
 * ArrayBuffer memory; optionally writes a heap snapshot at one of them (then
 * summarise it with heapsnapshot-summary.js).
 *
 *   node --max-old-space-size=12000 dist/bench/heap-at.js --nodes 10000 --at 1,2,3 [--tps 1000] [--snapshot-at 3 --snapshot-dir /tmp]
 *
 * --tps sets the offered load (default 1,000, the bench:scale scenario's). At
 * 1,000 TPS the chain accepts less than is offered, so every node's pending
 * transactions pile up until the mempool bound; a load below capacity shows
 * the steady state.
 *
 * Wall-clock reads are fine here: bench/ is outside the determinism lint.
 */
import { getHeapSpaceStatistics, writeHeapSnapshot } from 'node:v8';
import { join } from 'node:path';
import { simulate } from '../src/runner/run-scenario.js';
import { parseScenarioText } from '../src/scenario/load.js';
import { benchMain, parseFlags, parsePositiveInt, parseSecondsList, str } from './lib/flags.js';
import { BenchUsageError } from './lib/git-ref.js';
import { scaleScenarioText } from './lib/jobs.js';
import { fmt, MiB } from './lib/stats.js';
import { markdownTable } from './lib/table.js';

function sample(simSeconds: number, nodes: number): string[] {
  const m = process.memoryUsage();
  const spaces = getHeapSpaceStatistics();
  const used = (name: string): number => spaces.find((s) => s.space_name === name)?.space_used_size ?? 0;
  return [
    fmt(simSeconds, 2),
    fmt(m.rss / MiB),
    fmt(m.heapUsed / MiB),
    fmt(used('old_space') / MiB),
    fmt(used('new_space') / MiB),
    fmt((used('large_object_space') + used('code_large_object_space')) / MiB),
    fmt(m.external / MiB),
    fmt(m.arrayBuffers / MiB),
    fmt(m.rss / nodes / 1024),
  ];
}

async function main(): Promise<number> {
  const f = parseFlags(process.argv.slice(2), { nodes: { type: 'string' }, at: { type: 'string' }, tps: { type: 'string' }, 'snapshot-at': { type: 'string' }, 'snapshot-dir': { type: 'string' } });
  const nodes = parsePositiveInt('--nodes', str(f.nodes) ?? '10000', 100_000);
  const at = parseSecondsList('--at', str(f.at) ?? '1,2,3');
  const snapshotAt = str(f['snapshot-at']) === undefined ? undefined : parseSecondsList('--snapshot-at', str(f['snapshot-at'])!)[0];
  if (snapshotAt !== undefined && !at.includes(snapshotAt)) throw new BenchUsageError(`--snapshot-at: must be one of the --at times (${at.join(', ')}), got ${snapshotAt}`);
  const dir = str(f['snapshot-dir']) ?? '.';
  const durationMs = Math.round(Math.max(...at) * 1000);
  const tps = parsePositiveInt('--tps', str(f.tps) ?? '1000', 1_000_000);
  const { scenario } = parseScenarioText(scaleScenarioText(nodes, durationMs, tps));
  const rows: string[][] = [];
  const marks = at.toSorted((a, b) => a - b);
  let next = 0;
  simulate(scenario, {
    seed: 1,
    onProgress: (p) => {
      const s = p.simMicros / 1e6;
      while (next < marks.length && s >= marks[next]!) {
        rows.push(sample(s, nodes));
        process.stderr.write(`heap-at: ${fmt(s, 2)} simulated s, RSS ${fmt(process.memoryUsage().rss / MiB)} MiB\n`);
        if (snapshotAt === marks[next]) process.stderr.write(`heap-at: snapshot ${writeHeapSnapshot(join(dir, `scale-${nodes}-${snapshotAt}s.heapsnapshot`))}\n`);
        next++;
      }
    },
  });
  process.stdout.write(
    `${markdownTable(['sim s', 'RSS MiB', 'heap used MiB', 'old space', 'new space', 'large objects', 'external MiB', 'ArrayBuffers MiB', 'RSS KB/node'], rows)}\n`,
  );
  return 0;
}

await benchMain('heap-at', main);
