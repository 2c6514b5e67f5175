import { describe, expect, it } from 'vitest';
import {
  assertValidAvalancheParams,
  type AvalancheParams,
  DEFAULT_AVALANCHE_PARAMS,
  validateAvalancheParams,
} from './params.js';

/** AvalancheGo parameters_test.go's smallest valid set. */
const ones: AvalancheParams = {
  k: 1,
  alpha: 1,
  betaVirtuous: 1,
  betaRogue: 1,
  concurrentRepolls: 1,
  optimalProcessing: 1,
  maxOutstandingItems: 1,
  maxItemProcessingTimeUs: 1,
  parents: 2,
  batchSize: 1,
};

function errorOf(p: AvalancheParams): string {
  const r = validateAvalancheParams(p);
  if (r.ok) throw new Error('expected invalid parameters');
  return r.error;
}

describe('avalanche parameters', () => {
  it('has the AvalancheGo v1.9 defaults and they are valid', () => {
    expect(DEFAULT_AVALANCHE_PARAMS).toEqual({
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
    expect(validateAvalancheParams(DEFAULT_AVALANCHE_PARAMS)).toEqual({ ok: true, params: DEFAULT_AVALANCHE_PARAMS });
  });

  it('TestParametersValid: the smallest set is valid', () => {
    expect(validateAvalancheParams(ones).ok).toBe(true);
  });

  it('TestParametersInvalidParents / TestParametersInvalidBatchSize', () => {
    expect(errorOf({ ...ones, parents: 1 })).toBe('1 < Parents (1 < 1 is false)');
    expect(errorOf({ ...ones, batchSize: 0 })).toBe('0 < BatchSize (0 < 0 is false)');
  });

  it('names each failed snowball inequality with its values, in AvalancheGo order', () => {
    expect(errorOf({ ...DEFAULT_AVALANCHE_PARAMS, alpha: 10 })).toBe('K/2 < Alpha (10 < 10 is false)');
    expect(errorOf({ ...ones, k: 0 })).toBe('Alpha <= K (1 <= 0 is false)');
    expect(errorOf({ ...ones, betaVirtuous: 0 })).toBe('0 < BetaVirtuous (0 < 0 is false)');
    expect(errorOf({ ...DEFAULT_AVALANCHE_PARAMS, betaVirtuous: 21 })).toBe('BetaVirtuous <= BetaRogue (21 <= 20 is false)');
    expect(errorOf({ ...ones, concurrentRepolls: 0 })).toBe('0 < ConcurrentRepolls (0 < 0 is false)');
    expect(errorOf({ ...ones, concurrentRepolls: 2 })).toBe('ConcurrentRepolls <= BetaRogue (2 <= 1 is false)');
    expect(errorOf({ ...ones, optimalProcessing: 0 })).toBe('0 < OptimalProcessing (0 < 0 is false)');
    expect(errorOf({ ...ones, maxOutstandingItems: -1 })).toBe('0 < MaxOutstandingItems (0 < -1 is false)');
    expect(errorOf({ ...ones, maxItemProcessingTimeUs: 0 })).toBe('0 < MaxItemProcessingTime (0 < 0 is false)');
    // The first failure wins: K/2 < Alpha is checked before 1 < Parents.
    expect(errorOf({ ...ones, k: 2, parents: 0 })).toBe('K/2 < Alpha (1 < 1 is false)');
  });

  it('rejects non-integers and absurd sizes', () => {
    expect(errorOf({ ...ones, alpha: 1.5 })).toBe('Alpha must be an integer (got 1.5)');
    expect(errorOf({ ...ones, parents: Number.NaN })).toBe('Parents must be an integer (got NaN)');
    expect(errorOf({ ...ones, parents: 5000 })).toBe('Parents <= MAX_PARENTS (5000 <= 1000 is false)');
    expect(errorOf({ ...ones, batchSize: 1e6 })).toBe('BatchSize <= MAX_BATCH_SIZE (1000000 <= 100000 is false)');
    expect(() => assertValidAvalancheParams({ ...ones, parents: 1 })).toThrow(
      'invalid avalanche parameters: 1 < Parents (1 < 1 is false)',
    );
  });
});
