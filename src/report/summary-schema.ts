/**
 * The RunSummary JSON contract (src/metrics/summary.ts) as a zod schema: the
 * report validates every results file it reads against it, and a test holds
 * the contract to it. Extra fields pass (the contract only ever grows).
 */
import { z } from 'zod';
import type { RunSummary } from '../metrics/summary.js';
import { LIMIT_KINDS } from '../sim/types.js';

const finite = z.number().refine(Number.isFinite, { error: 'must be a finite number' });
const nonNeg = finite.refine((x) => x >= 0, { error: 'must be >= 0' });
const fraction = finite.refine((x) => x >= 0 && x <= 1, { error: 'must be a fraction 0..1' });

const Quantiles = z.object({ p50: nonNeg, p95: nonNeg, p99: nonNeg, mean: nonNeg, max: nonNeg, count: z.number().int().min(0) });

export const RunSummarySchema = z.object({
  scenario: z.string().min(1),
  seed: z.number().int().min(0),
  nodes: z.number().int().min(1),
  point: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
  outcome: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('completed') }),
    z.object({ kind: z.literal('limit'), limit: z.enum(LIMIT_KINDS), detail: z.string() }),
    z.object({ kind: z.literal('error'), message: z.string() }),
  ]),
  traceHash: z.string().regex(/^[0-9a-f]+$/, { error: 'must be a hex string' }),
  events: z.number().int().min(0),
  simSeconds: nonNeg,
  wallSeconds: nonNeg,
  eventsPerSecond: nonNeg,
  simToWallRatio: nonNeg,
  offeredTps: nonNeg,
  tps: nonNeg,
  acceptedTransactions: z.number().int().min(0),
  acceptedBlocks: z.number().int().min(0),
  latencyMs: Quantiles,
  nodeLatencyMs: Quantiles,
  pollSuccessRate: fraction,
  pollsPerDecision: nonNeg,
  messagesPerNodePerSecond: nonNeg,
  bytesPerNodePerSecond: nonNeg,
  cpuUtilisation: fraction,
  cpuUtilisationMax: fraction,
  cpuQueueDelayMs: nonNeg,
  memoryBytesPerNode: nonNeg,
  recoveryMs: nonNeg.nullable(),
  latencyCdf: z.array(z.object({ ms: nonNeg, fraction: fraction })).max(10_000).optional(),
  throughput: z.array(z.object({ tSeconds: nonNeg, tps: nonNeg, offeredTps: nonNeg.optional() })),
  faultWindows: z.array(z.object({ kind: z.string(), startSeconds: nonNeg, endSeconds: nonNeg })),
  byzantine: z.object({ strategy: z.string(), fraction: fraction, nodes: z.number().int().min(0) }).nullable(),
  safety: z.object({
    violations: z.number().int().min(0),
    examples: z.array(z.object({ height: z.number().int(), nodes: z.array(z.number().int()), blocks: z.array(z.string()), timeMs: nonNeg })),
  }),
  liveness: z.object({ ok: z.boolean(), undecided: z.number().int().min(0), lateAccepted: z.number().int().min(0), boundMs: nonNeg }),
  checks: z.array(z.object({ expr: z.string(), ok: z.boolean(), value: finite.nullable() })),
  repro: z.string().min(1),
});


export function parseRunSummary(data: unknown): { ok: true; summary: RunSummary } | { ok: false; error: string } {
  const r = RunSummarySchema.safeParse(data);
  if (r.success) return { ok: true, summary: data as RunSummary };
  const first = r.error.issues[0];
  return { ok: false, error: first === undefined ? 'invalid' : `${first.path.join('.') || '(top level)'}: ${first.message}` };
}
