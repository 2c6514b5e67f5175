import { describe, expect, it } from 'vitest';
import {
  assertValidParams,
  type ConsensusParams,
  DEFAULT_PARAMS,
  terminationConditionsOf,
  validateParams,
} from './params.js';

const ones: ConsensusParams = {
  k: 1,
  alphaPreference: 1,
  alphaConfidence: 1,
  beta: 1,
  concurrentRepolls: 1,
  optimalProcessing: 1,
  maxOutstandingItems: 1,
  maxItemProcessingTimeUs: 1,
};

const tc = (alphaConfidence: number, beta: number) => ({ alphaConfidence, beta });

function errorOf(p: ConsensusParams): string {
  const r = validateParams(p);
  if (r.ok) throw new Error('expected invalid parameters');
  return r.error;
}

describe('consensus parameters', () => {
  it('has AvalancheGo defaults and they are valid', () => {
    expect(DEFAULT_PARAMS).toEqual({
      k: 20,
      alphaPreference: 15,
      alphaConfidence: 15,
      beta: 20,
      concurrentRepolls: 4,
      optimalProcessing: 10,
      maxOutstandingItems: 256,
      maxItemProcessingTimeUs: 30_000_000,
    });
    expect(validateParams(DEFAULT_PARAMS)).toEqual({ ok: true, params: DEFAULT_PARAMS });
    expect(terminationConditionsOf(DEFAULT_PARAMS)).toEqual([{ alphaConfidence: 15, beta: 20 }]);
  });

  it('accepts the smallest valid set and the AvalancheGo edge cases', () => {
    expect(validateParams(ones).ok).toBe(true);
    // K/2 with integer division: K=3 -> 1 < 2.
    expect(validateParams({ ...ones, k: 3, alphaPreference: 2, alphaConfidence: 3, beta: 2 }).ok).toBe(true);
    expect(validateParams({ ...ones, k: 30, alphaPreference: 28, alphaConfidence: 30, beta: 2 }).ok).toBe(true);
  });

  it('names each failed inequality with its values', () => {
    expect(errorOf({ ...DEFAULT_PARAMS, alphaPreference: 9 })).toBe('K/2 < AlphaPreference (10 < 9 is false)');
    expect(errorOf({ ...ones, k: 2 })).toBe('K/2 < AlphaPreference (1 < 1 is false)');
    expect(errorOf({ ...ones, alphaPreference: 0 })).toBe('K/2 < AlphaPreference (0 < 0 is false)');
    expect(errorOf({ ...ones, k: 3, alphaPreference: 3, alphaConfidence: 2 })).toBe(
      'AlphaPreference <= AlphaConfidence (3 <= 2 is false)',
    );
    expect(errorOf({ ...ones, k: 0 })).toBe('AlphaConfidence <= K (1 <= 0 is false)');
    expect(errorOf({ ...ones, k: 1, alphaPreference: 28, alphaConfidence: 30 })).toBe(
      'AlphaConfidence <= K (30 <= 1 is false)',
    );
    expect(errorOf({ ...ones, concurrentRepolls: 0 })).toBe('0 < ConcurrentRepolls (0 < 0 is false)');
    expect(errorOf({ ...ones, concurrentRepolls: 2 })).toBe('ConcurrentRepolls <= Beta (2 <= 1 is false)');
    expect(errorOf({ ...ones, beta: 0 })).toBe('ConcurrentRepolls <= Beta (1 <= 0 is false)');
    expect(errorOf({ ...ones, optimalProcessing: 0 })).toBe('0 < OptimalProcessing (0 < 0 is false)');
    expect(errorOf({ ...ones, maxOutstandingItems: -1 })).toBe('0 < MaxOutstandingItems (0 < -1 is false)');
    expect(errorOf({ ...ones, maxItemProcessingTimeUs: 0 })).toBe('0 < MaxItemProcessingTime (0 < 0 is false)');
  });

  it('rejects non-integers and absurd sizes', () => {
    expect(errorOf({ ...DEFAULT_PARAMS, k: 20.5 })).toBe('K must be an integer (got 20.5)');
    expect(errorOf({ ...DEFAULT_PARAMS, maxItemProcessingTimeUs: Number.NaN })).toBe(
      'MaxItemProcessingTimeUs must be an integer (got NaN)',
    );
    expect(errorOf({ ...DEFAULT_PARAMS, k: 20_000 })).toBe('K <= MAX_K (20000 <= 10000 is false)');
  });

  describe('several termination conditions', () => {
    const two = [
      { alphaConfidence: 15, beta: 20 },
      { alphaConfidence: 18, beta: 10 },
    ];

    it('accepts ascending alphas with non-increasing betas and derives them', () => {
      const p = { ...DEFAULT_PARAMS, terminationConditions: two };
      expect(validateParams(p).ok).toBe(true);
      expect(terminationConditionsOf(p)).toBe(two);
      const equalBetas = [
        { alphaConfidence: 15, beta: 20 },
        { alphaConfidence: 16, beta: 20 },
      ];
      expect(validateParams({ ...DEFAULT_PARAMS, terminationConditions: equalBetas }).ok).toBe(true);
    });

    it('requires the first pair to be (AlphaConfidence, Beta)', () => {
      expect(
        errorOf({ ...DEFAULT_PARAMS, terminationConditions: [{ alphaConfidence: 16, beta: 20 }] }),
      ).toBe('terminationConditions[0].alphaConfidence = AlphaConfidence (16 = 15 is false)');
      expect(
        errorOf({ ...DEFAULT_PARAMS, terminationConditions: [{ alphaConfidence: 15, beta: 19 }] }),
      ).toBe('terminationConditions[0].beta = Beta (19 = 20 is false)');
      expect(errorOf({ ...DEFAULT_PARAMS, terminationConditions: [] })).toBe(
        'terminationConditions must be non-empty when given',
      );
    });

    it('names the ordering rule that failed', () => {
      expect(errorOf({ ...DEFAULT_PARAMS, terminationConditions: [tc(15, 20), tc(15, 10)] })).toBe(
        'terminationConditions[0].alphaConfidence < terminationConditions[1].alphaConfidence (15 < 15 is false)',
      );
      expect(errorOf({ ...DEFAULT_PARAMS, terminationConditions: [tc(15, 20), tc(18, 21)] })).toBe(
        'terminationConditions[1].beta <= terminationConditions[0].beta (21 <= 20 is false)',
      );
      expect(errorOf({ ...DEFAULT_PARAMS, terminationConditions: [tc(15, 20), tc(21, 10)] })).toBe(
        'terminationConditions[1].alphaConfidence <= K (21 <= 20 is false)',
      );
      expect(errorOf({ ...DEFAULT_PARAMS, terminationConditions: [tc(15, 20), tc(18, 0)] })).toBe(
        '0 < terminationConditions[1].beta (0 < 0 is false)',
      );
      expect(
        errorOf({ ...DEFAULT_PARAMS, alphaPreference: 16, alphaConfidence: 16, terminationConditions: [tc(15, 20)] }),
      ).toBe('AlphaPreference <= terminationConditions[0].alphaConfidence (16 <= 15 is false)');
    });
  });

  it('assertValidParams throws with the inequality', () => {
    expect(() => assertValidParams({ ...DEFAULT_PARAMS, concurrentRepolls: 21 })).toThrow(
      'invalid consensus parameters: ConcurrentRepolls <= Beta (21 <= 20 is false)',
    );
    expect(assertValidParams(DEFAULT_PARAMS)).toBe(DEFAULT_PARAMS);
  });
});
