/**
 * Snow consensus parameters (AvalancheGo snow/consensus/snowball/parameters.go):
 * defaults, validity rules and the termination conditions derived from them.
 *
 * Validity (checked in this order, first failure reported):
 *   K/2 < AlphaPreference <= AlphaConfidence <= K      (K/2 is integer division)
 *   0 < ConcurrentRepolls <= Beta
 *   0 < OptimalProcessing
 *   0 < MaxOutstandingItems
 *   0 < MaxItemProcessingTime
 * plus, for several termination conditions (the invariants AvalancheGo writes on
 * its snowflake types): the first pair is (AlphaConfidence, Beta); alphas strictly
 * ascending, betas not increasing, every alpha in [AlphaPreference, K], every beta > 0.
 */
import type { Micros } from './host.js';

/** Finalise once `beta` consecutive polls reached at least `alphaConfidence` votes. */
export interface TerminationCondition {
  readonly alphaConfidence: number;
  readonly beta: number;
}

export interface ConsensusParams {
  /** Sample size of one poll. */
  readonly k: number;
  /** Votes needed to change preference (and for a poll to count as successful). */
  readonly alphaPreference: number;
  /** Votes needed to raise confidence. */
  readonly alphaConfidence: number;
  /** Consecutive successful polls needed to finalise. */
  readonly beta: number;
  /** Polls the engine keeps in flight while something is processing. */
  readonly concurrentRepolls: number;
  /** Block building stops while this many blocks are processing. */
  readonly optimalProcessing: number;
  /** Health limit: more processing items than this is unhealthy. */
  readonly maxOutstandingItems: number;
  /** Health limit: an item processing longer than this is unhealthy. */
  readonly maxItemProcessingTimeUs: Micros;
  /**
   * Several termination conditions (AvalancheGo supports them on its instances;
   * production uses one). When given, element 0 must be (alphaConfidence, beta).
   */
  readonly terminationConditions?: readonly TerminationCondition[];
}

export const DEFAULT_PARAMS: ConsensusParams = Object.freeze({
  k: 20,
  alphaPreference: 15,
  alphaConfidence: 15,
  beta: 20,
  concurrentRepolls: 4,
  optimalProcessing: 10,
  maxOutstandingItems: 256,
  maxItemProcessingTimeUs: 30_000_000,
});

/** Upper limits so that a typo cannot ask for an absurd run. */
export const MAX_K = 10_000;
export const MAX_BETA = 1_000_000;
export const MAX_TERMINATION_CONDITIONS = 16;

export type ParamsValidation =
  | { readonly ok: true; readonly params: ConsensusParams }
  | { readonly ok: false; readonly error: string };

/** The termination pairs of a parameter set: the explicit list, or [(alphaConfidence, beta)]. */
export function terminationConditionsOf(p: ConsensusParams): readonly TerminationCondition[] {
  return p.terminationConditions ?? [{ alphaConfidence: p.alphaConfidence, beta: p.beta }];
}

/** One error line naming the failed inequality and its values (shared with the DAG parameters). */
export function fails(inequality: string, lhs: number, op: '<' | '<=' | '=', rhs: number): string {
  return `${inequality} (${lhs} ${op} ${rhs} is false)`;
}

function checkIntegers(p: ConsensusParams): string | undefined {
  const fields: [string, number][] = [
    ['K', p.k],
    ['AlphaPreference', p.alphaPreference],
    ['AlphaConfidence', p.alphaConfidence],
    ['Beta', p.beta],
    ['ConcurrentRepolls', p.concurrentRepolls],
    ['OptimalProcessing', p.optimalProcessing],
    ['MaxOutstandingItems', p.maxOutstandingItems],
    ['MaxItemProcessingTimeUs', p.maxItemProcessingTimeUs],
  ];
  for (const [name, v] of fields) {
    if (!Number.isSafeInteger(v)) return `${name} must be an integer (got ${v})`;
  }
  if (p.k > MAX_K) return fails('K <= MAX_K', p.k, '<=', MAX_K);
  if (p.beta > MAX_BETA) return fails('Beta <= MAX_BETA', p.beta, '<=', MAX_BETA);
  return undefined;
}

function checkTermination(p: ConsensusParams): string | undefined {
  const tcs = p.terminationConditions;
  if (tcs === undefined) return undefined;
  if (tcs.length === 0) return 'terminationConditions must be non-empty when given';
  if (tcs.length > MAX_TERMINATION_CONDITIONS) {
    return fails('terminationConditions.length <= 16', tcs.length, '<=', MAX_TERMINATION_CONDITIONS);
  }
  for (let i = 0; i < tcs.length; i++) {
    const tc = tcs[i]!;
    const at = `terminationConditions[${i}]`;
    if (!Number.isSafeInteger(tc.alphaConfidence)) return `${at}.alphaConfidence must be an integer (got ${tc.alphaConfidence})`;
    if (!Number.isSafeInteger(tc.beta)) return `${at}.beta must be an integer (got ${tc.beta})`;
    if (tc.alphaConfidence < p.alphaPreference) {
      return fails(`AlphaPreference <= ${at}.alphaConfidence`, p.alphaPreference, '<=', tc.alphaConfidence);
    }
    if (p.k < tc.alphaConfidence) return fails(`${at}.alphaConfidence <= K`, tc.alphaConfidence, '<=', p.k);
    if (tc.beta <= 0) return fails(`0 < ${at}.beta`, 0, '<', tc.beta);
    if (tc.beta > MAX_BETA) return fails(`${at}.beta <= MAX_BETA`, tc.beta, '<=', MAX_BETA);
    if (i === 0) {
      if (tc.alphaConfidence !== p.alphaConfidence) {
        return fails(`${at}.alphaConfidence = AlphaConfidence`, tc.alphaConfidence, '=', p.alphaConfidence);
      }
      if (tc.beta !== p.beta) return fails(`${at}.beta = Beta`, tc.beta, '=', p.beta);
      continue;
    }
    const prev = tcs[i - 1]!;
    if (!(prev.alphaConfidence < tc.alphaConfidence)) {
      return fails(
        `terminationConditions[${i - 1}].alphaConfidence < ${at}.alphaConfidence`,
        prev.alphaConfidence,
        '<',
        tc.alphaConfidence,
      );
    }
    if (!(tc.beta <= prev.beta)) {
      return fails(`${at}.beta <= terminationConditions[${i - 1}].beta`, tc.beta, '<=', prev.beta);
    }
  }
  return undefined;
}

/** Checks a parameter set; on failure the error names the first inequality that failed, with its values. */
export function validateParams(p: ConsensusParams): ParamsValidation {
  const intError = checkIntegers(p);
  if (intError !== undefined) return { ok: false, error: intError };
  const halfK = Math.floor(p.k / 2);
  let error: string | undefined;
  if (!(halfK < p.alphaPreference)) error = fails('K/2 < AlphaPreference', halfK, '<', p.alphaPreference);
  else if (!(p.alphaPreference <= p.alphaConfidence)) {
    error = fails('AlphaPreference <= AlphaConfidence', p.alphaPreference, '<=', p.alphaConfidence);
  } else if (!(p.alphaConfidence <= p.k)) error = fails('AlphaConfidence <= K', p.alphaConfidence, '<=', p.k);
  else if (!(0 < p.concurrentRepolls)) error = fails('0 < ConcurrentRepolls', 0, '<', p.concurrentRepolls);
  else if (!(p.concurrentRepolls <= p.beta)) {
    error = fails('ConcurrentRepolls <= Beta', p.concurrentRepolls, '<=', p.beta);
  } else if (!(0 < p.optimalProcessing)) error = fails('0 < OptimalProcessing', 0, '<', p.optimalProcessing);
  else if (!(0 < p.maxOutstandingItems)) error = fails('0 < MaxOutstandingItems', 0, '<', p.maxOutstandingItems);
  else if (!(0 < p.maxItemProcessingTimeUs)) {
    error = fails('0 < MaxItemProcessingTime', 0, '<', p.maxItemProcessingTimeUs);
  } else error = checkTermination(p);
  return error === undefined ? { ok: true, params: p } : { ok: false, error };
}

/** validateParams that throws a RangeError with the failed inequality. */
export function assertValidParams(p: ConsensusParams): ConsensusParams {
  const r = validateParams(p);
  if (!r.ok) throw new RangeError(`invalid consensus parameters: ${r.error}`);
  return r.params;
}
