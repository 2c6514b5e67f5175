import { describe, expect, it } from 'vitest';
import { ProposerSchedule, hashSource } from './proposer.js';
import { uniformInt, ValidatorSet } from './sampler.js';

describe('ProposerSchedule', () => {
  const validators = new ValidatorSet([5, 1, 0, 3, 7, 2, 9, 4]);
  /** The proposer drawn from scratch, without the memo. */
  const drawn = (seed: number, slot: number): number => validators.ownerOfUnit(uniformInt(hashSource(seed, slot), validators.totalStake));

  it('answers every slot as the stake-weighted draw, through memo collisions and out-of-order asks', () => {
    const s = new ProposerSchedule(validators, 42, 250_000);
    // Slots 2^14 apart share a memo entry; ask them interleaved, backwards and again.
    const slots = [0, 1, 16_384, 0, 32_768, 16_385, 1, 5, 2 ** 33 + 7, 7, 2 ** 33 + 7, 16_384];
    for (const slot of slots) expect(s.proposerOf(slot)).toBe(drawn(42, slot));
    for (let slot = 40_000; slot >= 39_000; slot--) expect(s.proposerOf(slot)).toBe(drawn(42, slot));
    // A validator with no stake never proposes.
    for (let slot = 0; slot < 2_000; slot++) expect(s.proposerOf(slot)).not.toBe(2);
  });

  it('nextSlotOf finds the first own slot within the horizon', () => {
    const s = new ProposerSchedule(validators, 7, 1_000);
    const from = 100;
    const mine = s.nextSlotOf(4, from, 1_000)!;
    expect(drawn(7, mine)).toBe(4);
    for (let slot = from; slot < mine; slot++) expect(drawn(7, slot)).not.toBe(4);
    expect(s.nextSlotOf(2, from, 1_000)).toBeUndefined();
  });
});
