/**
 * Avalanche DAG parameters (AvalancheGo before the X-chain linearisation,
 * v1.9.x: snow/consensus/avalanche/parameters.go embedding the snowball
 * parameters of that era, which had one Alpha and the two betas of
 * snowstorm), defaults from config/flags.go of the same release.
 *
 * Validity, checked in AvalancheGo's order; the first failure is reported
 * with the inequality and its values:
 *   K/2 < Alpha <= K                       (K/2 is integer division)
 *   0 < BetaVirtuous <= BetaRogue
 *   0 < ConcurrentRepolls <= BetaRogue
 *   0 < OptimalProcessing
 *   0 < MaxOutstandingItems
 *   0 < MaxItemProcessingTime
 *   1 < Parents
 *   0 < BatchSize
 */
import type { Micros } from '../host.js';
import { fails, MAX_BETA, MAX_K } from '../params.js';

export interface AvalancheParams {
  /** Sample size of one poll. */
  readonly k: number;
  /** Votes a transaction needs in one poll for the poll to count for it. */
  readonly alpha: number;
  /** Consecutive successful polls that finalise a transaction with no known conflict. */
  readonly betaVirtuous: number;
  /** Consecutive successful polls that finalise a transaction with a known conflict. */
  readonly betaRogue: number;
  /** Polls the engine keeps in flight while something virtuous is processing. */
  readonly concurrentRepolls: number;
  /** The engine stops building vertices while this many vertices are processing. */
  readonly optimalProcessing: number;
  /** Health limit: more processing items than this is unhealthy. */
  readonly maxOutstandingItems: number;
  /** Health limit: an item processing longer than this is unhealthy. */
  readonly maxItemProcessingTimeUs: Micros;
  /** Most parents a new vertex names (taken from the virtuous frontier). */
  readonly parents: number;
  /** Most transactions one new vertex carries. */
  readonly batchSize: number;
}

export const DEFAULT_AVALANCHE_PARAMS: AvalancheParams = Object.freeze({
  k: 20,
  alpha: 15,
  betaVirtuous: 15,
  betaRogue: 20,
  concurrentRepolls: 4,
  optimalProcessing: 10,
  maxOutstandingItems: 256,
  maxItemProcessingTimeUs: 30_000_000,
  parents: 5,
  batchSize: 30,
});

/** Upper limits so that a typo cannot ask for an absurd run. */
export const MAX_PARENTS = 1_000;
export const MAX_BATCH_SIZE = 100_000;

export type AvalancheParamsValidation =
  | { readonly ok: true; readonly params: AvalancheParams }
  | { readonly ok: false; readonly error: string };

const FIELDS: readonly [string, keyof AvalancheParams][] = [
  ['K', 'k'],
  ['Alpha', 'alpha'],
  ['BetaVirtuous', 'betaVirtuous'],
  ['BetaRogue', 'betaRogue'],
  ['ConcurrentRepolls', 'concurrentRepolls'],
  ['OptimalProcessing', 'optimalProcessing'],
  ['MaxOutstandingItems', 'maxOutstandingItems'],
  ['MaxItemProcessingTimeUs', 'maxItemProcessingTimeUs'],
  ['Parents', 'parents'],
  ['BatchSize', 'batchSize'],
];

function checkIntegers(p: AvalancheParams): string | undefined {
  for (const [name, key] of FIELDS) {
    const v = p[key];
    if (!Number.isSafeInteger(v)) return `${name} must be an integer (got ${v})`;
  }
  if (p.k > MAX_K) return fails('K <= MAX_K', p.k, '<=', MAX_K);
  if (p.betaRogue > MAX_BETA) return fails('BetaRogue <= MAX_BETA', p.betaRogue, '<=', MAX_BETA);
  if (p.parents > MAX_PARENTS) return fails('Parents <= MAX_PARENTS', p.parents, '<=', MAX_PARENTS);
  if (p.batchSize > MAX_BATCH_SIZE) return fails('BatchSize <= MAX_BATCH_SIZE', p.batchSize, '<=', MAX_BATCH_SIZE);
  return undefined;
}

/** Checks a DAG parameter set; on failure the error names the first inequality that failed, with its values. */
export function validateAvalancheParams(p: AvalancheParams): AvalancheParamsValidation {
  const error = checkIntegers(p) ?? checkInequalities(p);
  return error === undefined ? { ok: true, params: p } : { ok: false, error };
}

function checkInequalities(p: AvalancheParams): string | undefined {
  const halfK = Math.floor(p.k / 2);
  if (!(halfK < p.alpha)) return fails('K/2 < Alpha', halfK, '<', p.alpha);
  if (!(p.alpha <= p.k)) return fails('Alpha <= K', p.alpha, '<=', p.k);
  if (!(0 < p.betaVirtuous)) return fails('0 < BetaVirtuous', 0, '<', p.betaVirtuous);
  if (!(p.betaVirtuous <= p.betaRogue)) return fails('BetaVirtuous <= BetaRogue', p.betaVirtuous, '<=', p.betaRogue);
  if (!(0 < p.concurrentRepolls)) return fails('0 < ConcurrentRepolls', 0, '<', p.concurrentRepolls);
  if (!(p.concurrentRepolls <= p.betaRogue)) {
    return fails('ConcurrentRepolls <= BetaRogue', p.concurrentRepolls, '<=', p.betaRogue);
  }
  if (!(0 < p.optimalProcessing)) return fails('0 < OptimalProcessing', 0, '<', p.optimalProcessing);
  if (!(0 < p.maxOutstandingItems)) return fails('0 < MaxOutstandingItems', 0, '<', p.maxOutstandingItems);
  if (!(0 < p.maxItemProcessingTimeUs)) return fails('0 < MaxItemProcessingTime', 0, '<', p.maxItemProcessingTimeUs);
  if (!(1 < p.parents)) return fails('1 < Parents', 1, '<', p.parents);
  if (!(0 < p.batchSize)) return fails('0 < BatchSize', 0, '<', p.batchSize);
  return undefined;
}

/** validateAvalancheParams that throws a RangeError with the failed inequality. */
export function assertValidAvalancheParams(p: AvalancheParams): AvalancheParams {
  const r = validateAvalancheParams(p);
  if (!r.ok) throw new RangeError(`invalid avalanche parameters: ${r.error}`);
  return r.params;
}
