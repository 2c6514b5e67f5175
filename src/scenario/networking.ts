/**
 * The `networking` section: how a node manages its requests to peers, with
 * AvalancheGo's node flags and defaults — the adaptive request timeout
 * (--network-initial-timeout, -minimum-, -maximum-, -timeout-halflife,
 * -timeout-coefficient) and the benchlist (--benchlist-halflife,
 * -bench-probability, -unbench-probability, -duration; the cap on benched
 * stake is derived from the parameters as AvalancheGo derives it, unless
 * given). The rules are the consensus modules' own (AvalancheGo's
 * inequalities), reported under this section's paths.
 */
import { z } from 'zod';
import { type AdaptiveTimeoutConfig, adaptiveTimeoutProblems, DEFAULT_ADAPTIVE_TIMEOUT } from '../consensus/networking/adaptive-timeout.js';
import {
  type BenchlistConfig,
  benchlistProblems,
  DEFAULT_BENCH_DURATION_US,
  DEFAULT_BENCH_PROBABILITY,
  DEFAULT_BENCHLIST_HALFLIFE_US,
  DEFAULT_UNBENCH_PROBABILITY,
  defaultMaxPortion,
} from '../consensus/networking/benchlist.js';
import { formatDuration } from './duration.js';
import { duration, num } from './fields.js';

const TimeoutSchema = z.strictObject({
  initial: duration.prefault(formatDuration(DEFAULT_ADAPTIVE_TIMEOUT.initialUs)),
  minimum: duration.prefault(formatDuration(DEFAULT_ADAPTIVE_TIMEOUT.minimumUs)),
  maximum: duration.prefault(formatDuration(DEFAULT_ADAPTIVE_TIMEOUT.maximumUs)),
  /** Halflife of the average response time: larger is less volatile. */
  halflife: duration.prefault(formatDuration(DEFAULT_ADAPTIVE_TIMEOUT.halflifeUs)),
  /** Timeout = coefficient × average response time. */
  coefficient: num({}).default(DEFAULT_ADAPTIVE_TIMEOUT.coefficient),
});

const BenchlistSchema = z.strictObject({
  /** Halflife of each peer's failure-probability average. */
  halflife: duration.prefault(formatDuration(DEFAULT_BENCHLIST_HALFLIFE_US)),
  /** A peer whose failure probability rises above this is benched. */
  benchProbability: num({}).default(DEFAULT_BENCH_PROBABILITY),
  /** A benched peer whose failure probability falls below this is let back. */
  unbenchProbability: num({}).default(DEFAULT_UNBENCH_PROBABILITY),
  /** Longest time a peer stays benched. */
  duration: duration.prefault(formatDuration(DEFAULT_BENCH_DURATION_US)),
  /** Most stake benched at once, as a fraction of all stake; default (1 − alphaConfidence/k) / 3; 0 turns benching off. */
  maxPortion: num({}).optional(),
});

export const NetworkingSchema = z.strictObject({
  timeout: TimeoutSchema.prefault({}),
  benchlist: BenchlistSchema.prefault({}),
});

type Networking = z.output<typeof NetworkingSchema>;
type Path = Array<string | number>;

export function adaptiveTimeoutOf(n: Networking): AdaptiveTimeoutConfig {
  const t = n.timeout;
  return { initialUs: t.initial, minimumUs: t.minimum, maximumUs: t.maximum, halflifeUs: t.halflife, coefficient: t.coefficient };
}

export function benchlistOf(n: Networking, params: { readonly k: number; readonly alphaConfidence: number }): BenchlistConfig {
  const b = n.benchlist;
  return {
    halflifeUs: b.halflife,
    benchProbability: b.benchProbability,
    unbenchProbability: b.unbenchProbability,
    durationUs: b.duration,
    // Clamped so that parameters already rejected (alphaConfidence > k) do not also fail here.
    maxPortion: b.maxPortion ?? Math.max(0, defaultMaxPortion(params)),
  };
}

/** Every broken rule of the section, with its path. */
export function networkingProblems(n: Networking, params: { readonly k: number; readonly alphaConfidence: number }): Array<{ path: Path; message: string }> {
  return [
    ...adaptiveTimeoutProblems(adaptiveTimeoutOf(n)).map((p) => ({ path: ['networking', 'timeout', p.field], message: p.message })),
    ...benchlistProblems(benchlistOf(n, params)).map((p) => ({ path: ['networking', 'benchlist', p.field], message: p.message })),
  ];
}
