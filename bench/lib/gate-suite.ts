/**
 * The regression gate's fixed suite and its verdict (the specification's
 * PR-001: fail when head is more than 10 % slower). Each row compares CPU
 * time per unit of work (per simulated second; per queue op for the queue),
 * as the median of per-round head/base ratios of alternating runs.
 */
import type { Comparison, Paired } from './alternate.js';
import { okFigures } from './alternate.js';
import type { Job } from './jobs.js';

export interface GateRow {
  name: string;
  job: Job;
}

export interface SuiteSize {
  rounds: number;
  rows: GateRow[];
}

const scenario = (nodes: number, durationMs: number): Job => ({ kind: 'scenario', nodes, workers: 1, durationMs, seed: 1, rssAtSeconds: [] });

const QUEUE_ROW: GateRow = { name: 'engine queue (hold, 100k pending)', job: { kind: 'queue', pending: 100_000, ops: 10_000_000 } };

function suite(rounds: number, seconds1k: number, seconds5k: number): SuiteSize {
  return {
    rounds,
    rows: [
      QUEUE_ROW,
      { name: `1k nodes, 1 worker, ${seconds1k} s`, job: scenario(1_000, seconds1k * 1000) },
      { name: `5k nodes, 1 worker, ${seconds5k} s`, job: scenario(5_000, seconds5k * 1000) },
    ],
  };
}

/**
 * full: for a pull request, ~8 min on 2 cores at today's speed.
 * quick: the short version CI runs against the previous commit.
 */
export const SUITES: Record<'full' | 'quick', SuiteSize> = {
  full: suite(5, 3, 2),
  quick: suite(5, 2, 1),
};

export type RowVerdict =
  | { kind: 'ok'; ratio: number }
  | { kind: 'slower'; ratio: number }
  | { kind: 'head-failed'; detail: string }
  | { kind: 'base-failed'; detail: string };

/** Rounds in which both sides must have completed for a row to count. */
/**
 * Rounds of a row. The queue row's runs last under a second, so one burst of
 * outside load can cover one side of a round (measured: a 1.67 per-round
 * ratio with base = head at load average 22); it gets 2·rounds + 1 rounds,
 * which cost seconds, so that its median resists as many disturbed rounds as
 * the scenario rows' medians do in proportion to their length.
 */
export function roundsOf(row: GateRow, rounds: number): number {
  return row.job.kind === 'queue' ? 2 * rounds + 1 : rounds;
}

export function minRounds(rounds: number): number {
  return Math.max(1, Math.ceil(rounds / 2));
}

export function rowVerdict(p: Paired, c: Comparison, threshold: number): RowVerdict {
  const needed = minRounds(p.base.length);
  const headOk = okFigures(p.head).length;
  const baseOk = okFigures(p.base).length;
  if (headOk < needed) return { kind: 'head-failed', detail: `head completed ${headOk} of ${p.head.length} runs` };
  if (baseOk < needed || c.ratios.length < needed) return { kind: 'base-failed', detail: `base completed ${baseOk} of ${p.base.length} runs` };
  return c.ratio > 1 + threshold ? { kind: 'slower', ratio: c.ratio } : { kind: 'ok', ratio: c.ratio };
}

/** 0 pass; 1 head slower (or broken) on some row; 2 the base could not be measured. */
export function gateExitCode(verdicts: readonly RowVerdict[]): 0 | 1 | 2 {
  if (verdicts.some((v) => v.kind === 'slower' || v.kind === 'head-failed')) return 1;
  if (verdicts.some((v) => v.kind === 'base-failed')) return 2;
  return 0;
}
