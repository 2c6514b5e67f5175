/**
 * Summarises a V8 CPU profile (`node --cpu-prof ...` writes *.cpuprofile):
 * self time by function and by source file, as markdown tables.
 *
 *   node --cpu-prof --cpu-prof-dir=/tmp/prof dist/src/cli/main.js run FILE --seed 1 --no-progress
 *   node dist/bench/cpuprofile-summary.js /tmp/prof/CPU.*.cpuprofile [--top 25]
 *
 * Self time of a profile node is the time of the samples whose top frame it
 * is (each sample weighs its time delta). Paths are shown relative to dist/.
 */
import { readFileSync } from 'node:fs';
import { benchMain, parseFlags, parsePositiveInt, str } from './lib/flags.js';
import { BenchUsageError } from './lib/git-ref.js';
import { fmt } from './lib/stats.js';
import { markdownTable } from './lib/table.js';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

function shortUrl(url: string): string {
  const i = url.indexOf('/dist/');
  if (i >= 0) return url.slice(i + 6);
  const nm = url.indexOf('/node_modules/');
  if (nm >= 0) return url.slice(nm + 1);
  return url.replace(/^file:\/\//, '');
}

export function summarise(p: Profile): { total: number; byFunction: Map<string, number>; byFile: Map<string, number> } {
  const byId = new Map<number, ProfileNode>(p.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  let total = 0;
  for (let i = 0; i < p.samples.length; i++) {
    const dt = p.timeDeltas[i] ?? 0;
    const id = p.samples[i]!;
    self.set(id, (self.get(id) ?? 0) + dt);
    total += dt;
  }
  const byFunction = new Map<string, number>();
  const byFile = new Map<string, number>();
  for (const [id, us] of self) {
    const f = byId.get(id)?.callFrame;
    if (f === undefined) continue;
    const file = f.url === '' ? f.functionName : shortUrl(f.url);
    const key = f.url === '' ? f.functionName : `${f.functionName || '(anonymous)'} ${file}:${f.lineNumber + 1}`;
    byFunction.set(key, (byFunction.get(key) ?? 0) + us);
    byFile.set(file, (byFile.get(file) ?? 0) + us);
  }
  return { total, byFunction, byFile };
}

function top(m: Map<string, number>, total: number, n: number): string[][] {
  return [...m.entries()]
    .toSorted((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([k, us]) => [fmt((100 * us) / total, 1), fmt(us / 1e6, 2), k]);
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const file = args[0];
  if (file === undefined || file.startsWith('--')) throw new BenchUsageError('usage: cpuprofile-summary FILE.cpuprofile [--top N]');
  const f = parseFlags(args.slice(1), { top: { type: 'string' } });
  const n = parsePositiveInt('--top', str(f.top) ?? '25', 1000);
  let p: Profile;
  try {
    p = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  } catch (e) {
    throw new BenchUsageError(`${file}: not a readable CPU profile (${(e as Error).message})`);
  }
  if (!Array.isArray(p.nodes) || !Array.isArray(p.samples) || !Array.isArray(p.timeDeltas)) throw new BenchUsageError(`${file}: not a V8 CPU profile (needs nodes, samples, timeDeltas)`);
  const s = summarise(p);
  process.stdout.write(`${file}: ${fmt(s.total / 1e6, 1)} s sampled\n\nself time by function\n\n${markdownTable(['%', 's', 'function'], top(s.byFunction, s.total, n))}\n`);
  process.stdout.write(`\nself time by file\n\n${markdownTable(['%', 's', 'file'], top(s.byFile, s.total, n))}\n`);
  return 0;
}

await benchMain('cpuprofile-summary', main);
