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

/** Slots remembered by ProposerSchedule's memo (a power of two). */
const MEMO_SLOTS = 1 << 14;

export class ProposerSchedule {
  /**
   * Memo of proposerOf (a pure function of the slot): every node scans the
   * same slots ahead for its own, up to SLOT_SCAN_HORIZON each, so at 10k
   * nodes each slot's proposer is asked for thousands of times. Direct-mapped
   * by slot; `memoSlot` holds which slot an entry is for (-1: empty).
   */
  private readonly memoSlot = new Float64Array(MEMO_SLOTS).fill(-1);
  private readonly memoProposer = new Int32Array(MEMO_SLOTS);

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
    const i = slot & (MEMO_SLOTS - 1);
    if (this.memoSlot[i] === slot) return this.memoProposer[i]!;
    const p = this.drawProposer(slot);
    this.memoSlot[i] = slot;
    this.memoProposer[i] = p;
    return p;
  }

  private drawProposer(slot: number): NodeId {
    const unit = uniformInt(hashSource(this.seed, slot), this.validators.totalStake);
    return this.validators.ownerOfUnit(unit);
  }

  /** First slot >= `from` whose proposer is `node`, looking at most `horizon` slots ahead. */
  nextSlotOf(node: NodeId, from: number, horizon: number): number | undefined {
    for (let s = from; s < from + horizon; s++) if (this.proposerOf(s) === node) return s;
    return undefined;
  }
}
