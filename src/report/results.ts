/**
 * Results files. A results directory holds runs/<id>.json (one RunSummary per
 * run, as `avsim run --out` and `avsim sweep` write them), and the report
 * adds runs.json, runs.csv, points.csv, throughput.csv, plots/ and
 * report.html. Every file is written atomically.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { aggregate } from './aggregate.js';
import { removeStaleTemps, writeFileAtomic, isTempFile } from './atomic.js';
import { pointsCsv, runsCsv, throughputCsv } from './csv.js';
import { parseRunSummary, type RunSummary } from '../metrics/summary.js';

export const RUNS_DIR = 'runs';
/** Most runs a report reads. */
export const MAX_RUNS = 100_000;

/** `<pointId>.s<seed>`: the same id src/parallel gives a sweep task. */
export function runId(pointId: string, seed: number): string {
  return `${pointId}.s${seed}`;
}

export function jsonText(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

export function writeRunFile(dir: string, id: string, summary: RunSummary): string {
  const path = join(dir, RUNS_DIR, `${id}.json`);
  writeFileAtomic(path, jsonText(summary));
  return path;
}

/** Reads every runs/*.json, validated against the contract, ordered by node count, sweep point, then seed. Throws naming the bad file. */
export function readRuns(dir: string): RunSummary[] {
  const runsDir = join(dir, RUNS_DIR);
  let names: string[];
  try {
    names = readdirSync(runsDir).filter((n) => n.endsWith('.json') && !isTempFile(n)).sort();
  } catch {
    throw new Error(`${dir}: no ${RUNS_DIR}/ folder (is this an avsim results directory?)`);
  }
  if (names.length > MAX_RUNS) throw new Error(`${runsDir}: ${names.length} runs, more than the limit of ${MAX_RUNS}`);
  const runs = names.map((name) => {
    const file = join(runsDir, name);
    let data: unknown;
    try {
      data = JSON.parse(readFileSync(file, 'utf8'));
    } catch (e) {
      throw new Error(`${file}: not JSON (${(e as Error).message})`);
    }
    const r = parseRunSummary(data);
    if (!r.ok) throw new Error(`${file}: not a run summary: ${r.error}`);
    return r.summary;
  });
  // Numeric order, not file-name order (file names put 1000 before 500).
  return runs.toSorted((a, b) => a.nodes - b.nodes || pointKey(a).localeCompare(pointKey(b)) || a.seed - b.seed);
}

function pointKey(r: RunSummary): string {
  return JSON.stringify(Object.entries(r.point).toSorted(([x], [y]) => x.localeCompare(y)));
}

/** Writes the tables of a set of runs: runs.json, runs.csv, points.csv, throughput.csv. */
export function writeTables(dir: string, runs: readonly RunSummary[]): void {
  removeStaleTemps(dir);
  writeFileAtomic(join(dir, 'runs.json'), jsonText(runs));
  writeFileAtomic(join(dir, 'runs.csv'), runsCsv(runs));
  writeFileAtomic(join(dir, 'points.csv'), pointsCsv(aggregate(runs)));
  writeFileAtomic(join(dir, 'throughput.csv'), throughputCsv(runs));
}
