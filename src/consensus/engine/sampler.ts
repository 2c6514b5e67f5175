/**
 * Stake-weighted sampling, as AvalancheGo's validators.Set.Sample does it
 * (utils/sampler: weightedWithoutReplacementGeneric): draw K distinct *stake
 * units* uniformly from [0, totalStake) and map each unit to the validator
 * that owns it. One validator can own several drawn units, so it fills several
 * slots of the sample and its answer counts that many times.
 *
 * The validator set is immutable and meant to be shared by every node of a
 * run (prefix sums are computed once).
 */
import type { NodeId } from '../host.js';

/** A uniform double in [0, 1); each call is one draw of the node's stream. */
export type UniformSource = () => number;

/** Largest total stake we sample exactly (see uniformInt). */
export const MAX_TOTAL_STAKE = 2 ** 52;
/** Limit on one sample's size (K, fanout); protects the rejection loops. */
export const MAX_SAMPLE_SIZE = 10_000;

const TWO_26 = 2 ** 26;
/** Up to this many draws, duplicates are found by a linear scan. */
const SMALL_SAMPLE = 64;

/**
 * Exact uniform integer in [0, n) for 1 <= n <= 2^52.
 *
 * Exactness: any source whose values are uniform multiples of 2^-32 (seedrandom
 * alea, and any 53-bit double generator) gives, through floor(r * 2^26), an
 * exactly uniform 26-bit integer (it drops low bits only). Two such draws make an
 * exactly uniform 52-bit integer x (one draw suffices when n <= 2^26, using a
 * 26-bit x). Values of x at or above the largest multiple of n that fits are
 * rejected and redrawn, so x mod n is exactly uniform: every residue has the
 * same number of preimages. Naive floor(r * n) would instead over-weight some
 * units by up to n / 2^32 relative, which is visible for large stakes.
 * The expected number of rounds is below 2.
 */
export function uniformInt(random: UniformSource, n: number): number {
  if (!Number.isSafeInteger(n) || n < 1 || n > MAX_TOTAL_STAKE) {
    throw new RangeError(`uniformInt: n must be an integer in [1, 2^52], got ${n}`);
  }
  if (n <= TWO_26) {
    const limit = Math.floor(TWO_26 / n) * n;
    for (;;) {
      const x = Math.floor(random() * TWO_26);
      if (x < limit) return x % n;
    }
  }
  const space = TWO_26 * TWO_26;
  const limit = Math.floor(space / n) * n;
  for (;;) {
    const x = Math.floor(random() * TWO_26) * TWO_26 + Math.floor(random() * TWO_26);
    if (x < limit) return x % n;
  }
}

export class ValidatorSet {
  /** Number of validators; node ids are 0..size-1. */
  readonly size: number;
  readonly totalStake: number;
  private readonly stakes: Float64Array;
  /** prefix[i] = sum of stakes[0..i] (inclusive); exact since total <= 2^52. */
  private readonly prefix: Float64Array;

  constructor(stakes: readonly number[]) {
    if (stakes.length === 0) throw new RangeError('stakes: need at least one validator');
    this.size = stakes.length;
    this.stakes = new Float64Array(stakes.length);
    this.prefix = new Float64Array(stakes.length);
    let total = 0;
    for (let i = 0; i < stakes.length; i++) {
      const s = stakes[i]!;
      if (!Number.isSafeInteger(s) || s < 0) {
        throw new RangeError(`stakes[${i}] must be a non-negative integer number of stake units, got ${s}`);
      }
      total += s;
      if (total > MAX_TOTAL_STAKE) throw new RangeError(`stakes: total stake must be <= 2^52, got more`);
      this.stakes[i] = s;
      this.prefix[i] = total;
    }
    if (total === 0) throw new RangeError('stakes: total stake must be > 0');
    this.totalStake = total;
  }

  stakeOf(node: NodeId): number {
    return this.stakes[node] ?? 0;
  }

  /** The validator that owns stake unit `unit` (0 <= unit < totalStake): first i with prefix[i] > unit. */
  ownerOfUnit(unit: number): NodeId {
    let lo = 0;
    let hi = this.size - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.prefix[mid]! > unit) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  /**
   * K stake units drawn without replacement, mapped to their owners; the
   * result lists one node per slot (a node may appear several times), in draw
   * order. Already-drawn units are rejected and redrawn: conditioned on
   * rejection, each accepted draw is uniform over the units not yet drawn,
   * which is exactly sequential sampling without replacement. K <= total
   * stake is required; the expected number of draws is at most
   * K * H(K) (coupon-collector bound, reached only when total stake = K).
   */
  sample(random: UniformSource, k: number): NodeId[] {
    if (!Number.isSafeInteger(k) || k < 0 || k > MAX_SAMPLE_SIZE) {
      throw new RangeError(`sample: k must be an integer in [0, ${MAX_SAMPLE_SIZE}], got ${k}`);
    }
    if (k > this.totalStake) {
      throw new RangeError(`sample: k (${k}) must be <= total stake (${this.totalStake})`);
    }
    const out: NodeId[] = [];
    if (k <= SMALL_SAMPLE) {
      // K is small (20 by default): a linear scan of the drawn units beats a Set and allocates less.
      const drawn: number[] = [];
      while (out.length < k) {
        const unit = uniformInt(random, this.totalStake);
        if (drawn.includes(unit)) continue;
        drawn.push(unit);
        out.push(this.ownerOfUnit(unit));
      }
      return out;
    }
    const drawn = new Set<number>();
    while (out.length < k) {
      const unit = uniformInt(random, this.totalStake);
      if (drawn.has(unit)) continue;
      drawn.add(unit);
      out.push(this.ownerOfUnit(unit));
    }
    return out;
  }

  /**
   * `count` distinct validators other than `self`, uniformly (not by stake):
   * the peers a node pushes gossip to. Returns fewer when there are not enough.
   */
  uniformPeers(random: UniformSource, count: number, self: NodeId): NodeId[] {
    const available = this.size - (self >= 0 && self < this.size ? 1 : 0);
    const want = Math.min(count, available, MAX_SAMPLE_SIZE);
    const picked = new Set<NodeId>();
    const out: NodeId[] = [];
    while (out.length < want) {
      const p = uniformInt(random, this.size);
      if (p === self || picked.has(p)) continue;
      picked.add(p);
      out.push(p);
    }
    return out;
  }
}
