/**
 * The `gate:` section of a scenario file: which Byzantine fractions and
 * strategies to sweep, over how many seeds, and the outcome each cell must
 * show. The scenario schema embeds `gateSectionSchema`; `parseGateSection`
 * turns a raw section into a normalised GateSpec.
 *
 *   gate:
 *     fractions: [0, 0.1, 0.2, 0.3, 0.33, 0.4]
 *     strategies: [silent, always-reject]
 *     seeds: 5                # seeds 1..5, or an explicit list [11, 12, 13]
 *     expected:
 *       silent:        { 0: safe-live, 0.1: safe-live, 0.2: safe-live, 0.3: safe-not-live, 0.33: safe-not-live, 0.4: safe-not-live }
 *       always-reject: { ... }
 *
 * Every strategy × fraction cell must have an expected outcome: a cell left
 * out would silently never be checked.
 */
import { z } from 'zod';

export const GATE_OUTCOMES = ['safe-live', 'safe-not-live', 'unsafe'] as const;
export type GateOutcome = (typeof GATE_OUTCOMES)[number];

/** Limits: a gate is a CI job, not a research sweep. */
export const GATE_MAX_FRACTIONS = 64;
export const GATE_MAX_STRATEGIES = 64;
export const GATE_MAX_SEEDS = 1_000;
export const GATE_MAX_RUNS = 100_000;

const seedSchema = z.number().int().min(0).max(2 ** 32 - 1);

export const gateSectionSchema = z
  .strictObject({
    fractions: z.array(z.number().min(0).max(1)).min(1).max(GATE_MAX_FRACTIONS),
    strategies: z.array(z.string().min(1).max(64)).min(1).max(GATE_MAX_STRATEGIES),
    seeds: z.union([z.number().int().min(1).max(GATE_MAX_SEEDS), z.array(seedSchema).min(1).max(GATE_MAX_SEEDS)]),
    expected: z.record(z.string(), z.record(z.string(), z.enum(GATE_OUTCOMES))),
  })
  .superRefine((g, ctx) => {
    const df = dup(g.fractions);
    if (df !== undefined) ctx.addIssue({ code: 'custom', path: ['fractions'], message: `fraction ${df} is listed twice` });
    const ds = dup(g.strategies);
    if (ds !== undefined) ctx.addIssue({ code: 'custom', path: ['strategies'], message: `strategy '${ds}' is listed twice` });
    if (Array.isArray(g.seeds)) {
      const dd = dup(g.seeds);
      if (dd !== undefined) ctx.addIssue({ code: 'custom', path: ['seeds'], message: `seed ${dd} is listed twice` });
    }
    const nSeeds = Array.isArray(g.seeds) ? g.seeds.length : g.seeds;
    const runs = g.fractions.length * g.strategies.length * nSeeds;
    if (runs > GATE_MAX_RUNS) {
      ctx.addIssue({ code: 'custom', path: ['seeds'], message: `fractions × strategies × seeds = ${runs} runs exceeds ${GATE_MAX_RUNS}` });
    }
    for (const [strategy, cells] of Object.entries(g.expected)) {
      if (!g.strategies.includes(strategy)) {
        ctx.addIssue({ code: 'custom', path: ['expected', strategy], message: `strategy '${strategy}' is not in gate.strategies` });
        continue;
      }
      for (const key of Object.keys(cells)) {
        if (fractionIndex(g.fractions, key) < 0) {
          ctx.addIssue({
            code: 'custom',
            path: ['expected', strategy, key],
            message: `'${key}' is not a fraction listed in gate.fractions`,
          });
        }
      }
    }
    for (const strategy of g.strategies) {
      const cells = g.expected[strategy];
      for (const f of g.fractions) {
        if (cells === undefined || !Object.keys(cells).some((k) => fractionIndex([f], k) === 0)) {
          ctx.addIssue({ code: 'custom', path: ['expected', strategy], message: `missing expected outcome for fraction ${f}` });
        }
      }
    }
  });

function dup<T>(xs: readonly T[]): T | undefined {
  return xs.find((x, i) => xs.indexOf(x) !== i);
}

export type GateSection = z.infer<typeof gateSectionSchema>;

export interface GateCellSpec {
  strategy: string;
  fraction: number;
  expected: GateOutcome;
}

/** A validated, normalised gate: cells in strategy-major order, seeds explicit. */
export interface GateSpec {
  fractions: readonly number[];
  strategies: readonly string[];
  seeds: readonly number[];
  cells: readonly GateCellSpec[];
}

/** Index of the listed fraction a YAML key (`0.1`, `0.10`, `0`) names, or -1. */
function fractionIndex(fractions: readonly number[], key: string): number {
  if (key.trim() === '') return -1;
  const v = Number(key);
  if (!Number.isFinite(v)) return -1;
  return fractions.findIndex((f) => Math.abs(f - v) < 1e-12);
}

/** Validate a raw `gate:` section; throws one line naming the field and the rule. */
export function parseGateSection(raw: unknown, where = 'gate'): GateSpec {
  const r = gateSectionSchema.safeParse(raw);
  if (!r.success) {
    const issue = r.error.issues[0];
    const path = [where, ...(issue?.path ?? []).map(String)].join('.');
    throw new Error(`${path}: ${issue?.message ?? 'invalid'}`);
  }
  return normaliseGate(r.data);
}

export function normaliseGate(g: GateSection): GateSpec {
  const seeds = Array.isArray(g.seeds) ? g.seeds.slice() : Array.from({ length: g.seeds }, (_, i) => i + 1);
  const cells: GateCellSpec[] = [];
  for (const strategy of g.strategies) {
    const byKey = g.expected[strategy] ?? {};
    for (const fraction of g.fractions) {
      const key = Object.keys(byKey).find((k) => fractionIndex([fraction], k) === 0);
      const expected = key === undefined ? undefined : byKey[key];
      if (expected === undefined) throw new Error(`gate.expected.${strategy}: missing expected outcome for fraction ${fraction}`);
      cells.push({ strategy, fraction, expected });
    }
  }
  return { fractions: g.fractions.slice(), strategies: g.strategies.slice(), seeds, cells };
}
