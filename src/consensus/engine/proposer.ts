/**
 * Who may build blocks when. Time is cut into slots of fixed length; the
 * proposer of a slot is drawn by stake from a hash of (seed, slot), so every
 * node computes the same proposer with no communication (a simplification of
 * Snowman++'s proposer windows: one proposer per slot, no fallback window).
 */
import type { Micros, NodeId } from '../host.js';
import { uniformInt, type UniformSource, type ValidatorSet } from './sampler.js';

/** 32-bit avalanche mix (murmur3 finaliser). */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * A deterministic uniform source for (seed, slot): the i-th value hashes
 * (seed, slot, i). Values are multiples of 2^-32, as uniformInt requires.
 */
export function hashSource(seed: number, slot: number): UniformSource {
  let i = 0;
  const lo = slot >>> 0;
  const hi = Math.floor(slot / 2 ** 32) >>> 0;
  return () => {
    let h = fmix32((seed >>> 0) ^ 0x9e3779b9);
    h = fmix32(h ^ lo);
    h = fmix32(h ^ Math.imul(hi + 1, 0x27d4eb2f));
    h = fmix32(h ^ Math.imul(++i, 0x165667b1));
    return h / 2 ** 32;
  };
}

export class ProposerSchedule {
  constructor(
    private readonly validators: ValidatorSet,
    private readonly seed: number,
    readonly slotDurationUs: Micros,
  ) {
    if (!Number.isSafeInteger(slotDurationUs) || slotDurationUs < 1) {
      throw new RangeError(`slotDurationUs must be a positive integer, got ${slotDurationUs}`);
    }
  }

  slotAt(time: Micros): number {
    return Math.floor(time / this.slotDurationUs);
  }

  slotStart(slot: number): Micros {
    return slot * this.slotDurationUs;
  }

  /** The proposer of a slot, drawn with probability proportional to stake. */
  proposerOf(slot: number): NodeId {
    const unit = uniformInt(hashSource(this.seed, slot), this.validators.totalStake);
    return this.validators.ownerOfUnit(unit);
  }

  /** First slot >= `from` whose proposer is `node`, looking at most `horizon` slots ahead. */
  nextSlotOf(node: NodeId, from: number, horizon: number): number | undefined {
    for (let s = from; s < from + horizon; s++) if (this.proposerOf(s) === node) return s;
    return undefined;
  }
}
