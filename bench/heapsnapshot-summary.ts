/**
 * Summarises a V8 heap snapshot by self size per (node type, name): the
 * name of an object node is its constructor (Map, Array, SnowmanNode, ...),
 * so the table says which kinds of objects hold the heap. Streams the file
 * line by line (V8 writes one node and one string per line), so snapshots
 * far beyond the 512 MiB limit of one JavaScript string can be read.
 * Retained sizes (a dominator tree) are not computed.
 *
 *   node dist/bench/heapsnapshot-summary.js FILE.heapsnapshot [--top 30]
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { benchMain, parseFlags, parsePositiveInt, str } from './lib/flags.js';
import { BenchUsageError } from './lib/git-ref.js';
import { fmt, MiB } from './lib/stats.js';
import { markdownTable } from './lib/table.js';

interface Meta {
  node_fields: string[];
  node_types: [string[], ...unknown[]];
}

/** Node types whose name is content (a string's text, a number), not a kind: grouped under the type alone. */
const CONTENT_NAMED = new Set(['string', 'concatenated string', 'sliced string', 'number', 'bigint', 'regexp']);

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const file = args[0];
  if (file === undefined || file.startsWith('--')) throw new BenchUsageError('usage: heapsnapshot-summary FILE.heapsnapshot [--top N]');
  const n = parsePositiveInt('--top', str(parseFlags(args.slice(1), { top: { type: 'string' } }).top) ?? '30', 1000);

  let section: 'head' | 'nodes' | 'skip' | 'strings' = 'head';
  let head = '';
  let meta: Meta | undefined;
  let stride = 0;
  let typeAt = 0;
  let nameAt = 0;
  let sizeAt = 0;
  // (type << 32 | name index) -> [count, bytes]; name index -1 for content-named types.
  const agg = new Map<number, [number, number]>();
  const wanted = new Set<number>();
  const names = new Map<number, string>();
  let stringIndex = 0;
  let total = 0;
  let nodes = 0;
  // strings: one JSON string per line, separated by commas at either end; the last closes the array.
  const takeString = (line: string): void => {
    if (wanted.has(stringIndex)) {
      const text = line.replace(/^,/, '').replace(/\]\}\s*$/, '').replace(/,$/, '');
      try {
        names.set(stringIndex, JSON.parse(text) as string);
      } catch {
        names.set(stringIndex, text.slice(0, 60));
      }
    }
    stringIndex++;
  };
  const lines = createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity });
  for await (const raw of lines) {
    if (section === 'head') {
      head += raw;
      const i = head.indexOf('"nodes":[');
      if (i < 0) continue;
      const snapshot = JSON.parse(`${head.slice(0, i).replace(/,\s*$/, '')}}`) as { snapshot: { meta: Meta } };
      meta = snapshot.snapshot.meta;
      stride = meta.node_fields.length;
      typeAt = meta.node_fields.indexOf('type');
      nameAt = meta.node_fields.indexOf('name');
      sizeAt = meta.node_fields.indexOf('self_size');
      section = 'nodes';
      const rest = head.slice(i + '"nodes":['.length);
      if (rest.trim() === '') continue;
      // The first node sits on the header's line.
      head = rest;
    }
    const line = section === 'nodes' && head !== '' ? head : raw;
    head = '';
    if (section === 'nodes') {
      if (line.startsWith(']')) {
        section = 'skip';
        continue;
      }
      const v = line.replace(/^,/, '').split(',').map(Number);
      for (let j = 0; j + stride <= v.length; j += stride) {
        const type = v[j + typeAt]!;
        const typeName = meta!.node_types[0][type] ?? `type ${type}`;
        const name = CONTENT_NAMED.has(typeName) ? -1 : v[j + nameAt]!;
        if (name >= 0) wanted.add(name);
        const key = type * 2 ** 32 + (name + 1);
        const a = agg.get(key) ?? [0, 0];
        a[0]++;
        a[1] += v[j + sizeAt]!;
        agg.set(key, a);
        total += v[j + sizeAt]!;
        nodes++;
      }
      continue;
    }
    if (section === 'skip') {
      if (line.startsWith('"strings":[')) {
        section = 'strings';
        const first = line.slice('"strings":['.length);
        if (first !== '') takeString(first);
      }
      continue;
    }
    takeString(line);
  }
  if (meta === undefined) throw new BenchUsageError(`${file}: not a V8 heap snapshot (no "nodes" section)`);
  const rows = [...agg.entries()]
    .toSorted((a, b) => b[1][1] - a[1][1])
    .slice(0, n)
    .map(([key, [count, bytes]]) => {
      const type = Math.floor(key / 2 ** 32);
      const nameIndex = (key % 2 ** 32) - 1;
      const typeName = meta!.node_types[0][type] ?? `type ${type}`;
      const name = nameIndex < 0 ? '' : (names.get(nameIndex) ?? `#${nameIndex}`).slice(0, 70);
      return [fmt((100 * bytes) / total, 1), fmt(bytes / MiB, 1), fmt(count), typeName, name];
    });
  process.stdout.write(`${file}: ${fmt(nodes)} heap nodes, ${fmt(total / MiB, 1)} MiB self size\n\n${markdownTable(['%', 'MiB', 'count', 'type', 'name (constructor)'], rows)}\n`);
  return 0;
}

await benchMain('heapsnapshot-summary', main);
