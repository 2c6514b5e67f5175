/**
 * Performance regression gate (npm run bench:gate; the specification's PR-001).
 *
 *   npm run bench:gate -- --base REF [--head REF] [--quick] [--rounds N] [--threshold 10] [--json FILE]
 *
 * Builds REF in a temporary git worktree, runs a fixed suite (the engine's
 * event queue, a 1k-node and a 5k-node run of the bench:scale scenario)
 * alternately on base and head, one child process per run, and compares CPU
 * time per simulated second (per op for the queue): the median over rounds of
 * the per-round head/base ratios. Prints a table; exits 1 when head is more
 * than --threshold percent slower on any row (or a head run fails), 2 for bad
 * input or a base that cannot be built or run, 0 otherwise. Head is this
 * checkout as built, unless --head names a ref. --quick is the short suite CI
 * runs (shorter simulated runs); docs/performance.md has its false-positive
 * and planted-slowdown record.
 */
import { writeFileSync, renameSync } from 'node:fs';
import { loadavg } from 'node:os';
import { alternate, compare } from './lib/alternate.js';
import { DEFAULT_LIMITS } from './lib/child.js';
import { benchMain, parseFlags, parsePercent, parsePositiveInt, str } from './lib/flags.js';
import { BenchUsageError, describeTree } from './lib/git-ref.js';
import { gateExitCode, roundsOf, rowVerdict, SUITES, type RowVerdict } from './lib/gate-suite.js';
import { fmt } from './lib/stats.js';
import { markdownTable } from './lib/table.js';
import { buildTrees } from './lib/trees.js';

const log = (line: string): void => {
  process.stderr.write(`${line}\n`);
};

function verdictText(v: RowVerdict, threshold: number): string {
  switch (v.kind) {
    case 'ok':
      return 'ok';
    case 'slower':
      return `SLOWER (> ${fmt(threshold * 100)} %)`;
    case 'head-failed':
      return `HEAD FAILED: ${v.detail}`;
    case 'base-failed':
      return `base failed: ${v.detail}`;
  }
}

const unit = (kind: string): string => (kind === 'queue' ? 'CPU ns/op' : 'CPU s/sim s');

async function main(): Promise<number> {
  const f = parseFlags(process.argv.slice(2), {
    base: { type: 'string' },
    head: { type: 'string' },
    quick: { type: 'boolean' },
    rounds: { type: 'string' },
    threshold: { type: 'string' },
    json: { type: 'string' },
  });
  const baseRef = str(f.base);
  if (baseRef === undefined) throw new BenchUsageError('--base: required, the git ref to compare against (e.g. --base main, --base HEAD~1)');
  const suite = SUITES[f.quick === true ? 'quick' : 'full'];
  const rounds = str(f.rounds) === undefined ? suite.rounds : parsePositiveInt('--rounds', str(f.rounds)!, 100);
  const threshold = str(f.threshold) === undefined ? 0.1 : parsePercent('--threshold', str(f.threshold)!);
  const jsonOut = str(f.json);

  const t0 = Date.now();
  const load0 = loadavg()[0]!;
  const { base, head } = buildTrees(baseRef, str(f.head), log);
  const rows = [];
  try {
    for (const row of suite.rows) {
      log(`bench:gate: ${row.name}`);
      const paired = await alternate(base, head, row.job, { rounds: roundsOf(row, rounds), limits: DEFAULT_LIMITS, log });
      const c = compare(paired);
      rows.push({ row, paired, c, verdict: rowVerdict(paired, c, threshold) });
    }
  } finally {
    base.remove();
    head.remove();
  }
  const table = markdownTable(
    ['row', 'unit', 'base (median)', 'head (median)', 'head/base', 'per-round head/base', 'verdict'],
    rows.map(({ row, c, verdict }) => [
      row.name,
      unit(row.job.kind),
      fmt(c.base, row.job.kind === 'queue' ? 1 : 3),
      fmt(c.head, row.job.kind === 'queue' ? 1 : 3),
      fmt(c.ratio, 3),
      c.ratios.map((r) => r.toFixed(3)).join(' '),
      verdictText(verdict, threshold),
    ]),
  );
  const code = gateExitCode(rows.map((r) => r.verdict));
  const minutes = (Date.now() - t0) / 60_000;
  process.stdout.write(`\nbench:gate ${describeTree(base)} vs ${describeTree(head)}; ${rounds} alternating rounds (the queue ${2 * rounds + 1}), medians; load average ${load0.toFixed(2)} -> ${loadavg()[0]!.toFixed(2)}; ${minutes.toFixed(1)} min\n\n${table}\n\n`);
  const hashes = rows.flatMap(({ row, paired }) => {
    const h = (o: (typeof paired.base)[number]): string => (o.status === 'ok' && o.figures.kind === 'scenario' ? o.figures.traceHash : '');
    const b = paired.base.map(h).find((x) => x !== '');
    const hh = paired.head.map(h).find((x) => x !== '');
    return b !== undefined && hh !== undefined && b !== hh ? [`note: ${row.name}: trace hash differs (base ${b}, head ${hh}): behaviour changed`] : [];
  });
  if (hashes.length > 0) process.stdout.write(`${hashes.join('\n')}\n`);
  const word = code === 0 ? 'PASS' : code === 1 ? 'FAIL' : 'CANNOT COMPARE';
  process.stdout.write(`bench:gate: ${word} (threshold: head at most ${fmt(threshold * 100)} % slower than base on every row)\n`);
  if (jsonOut !== undefined) {
    const tmp = `${jsonOut}.tmp-${process.pid}`;
    writeFileSync(tmp, `${JSON.stringify({ base: { ref: base.ref, sha: base.sha }, head: { ref: head.ref, sha: head.sha, dirty: head.dirty }, rounds, threshold, exitCode: code, rows }, null, 1)}\n`);
    renameSync(tmp, jsonOut);
  }
  return code;
}

await benchMain('bench:gate', main);
