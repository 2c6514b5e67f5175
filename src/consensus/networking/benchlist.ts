/**
 * The benchlist (AvalancheGo snow/networking/benchlist/benchlist.go), sans-I/O.
 *
 * A peer that keeps failing to answer is "benched": queries to it fail at
 * once instead of waiting for the timeout. Each validator's failure
 * probability is a continuous EWMA (averager.ts) of its request outcomes —
 * 1 for a timeout, 0 for a response — with an optimistic prior of 0 at the
 * first observation. A peer is benched when the probability rises above
 * `benchProbability`, and unbenched when it falls below
 * `unbenchProbability` or when it has been benched for `durationUs` (then
 * its average restarts from the prior, a clean slate).
 *
 * Benched stake is capped at `maxPortion` of the total stake: a peer that
 * would exceed it is benched only if enough benched peers with a strictly
 * lower failure probability can be unbenched to make room (least failing
 * first); otherwise it is not benched. AvalancheGo sets
 * maxPortion = (1 − AlphaConfidence / K) / 3, so benching alone cannot take
 * away the stake a poll needs (config.go getBenchlistConfig); a maxPortion of
 * 0 turns benching off (benchlist/manager.go NewManager).
 *
 * Peers without stake are not tracked. Ties between equally failing benched
 * peers are broken by node id (AvalancheGo's order there is a map's).
 * Bench changes are returned to the caller (AvalancheGo calls
 * Benched/Unbenched on the router, which tells the engine the peer
 * disconnected or connected).
 *
 * Defaults (benchlist.go): halflife 1 min, bench above 0.5, unbench below
 * 0.2, duration 5 min.
 */
import type { Micros, NodeId } from '../host.js';
import { type ConfigProblem, showUs } from './problems.js';

export interface BenchlistConfig {
  readonly halflifeUs: Micros;
  readonly benchProbability: number;
  readonly unbenchProbability: number;
  /** Longest time a peer stays benched. */
  readonly durationUs: Micros;
  /** Most stake that may be benched, as a fraction of the total; 0 disables benching. */
  readonly maxPortion: number;
}

export const DEFAULT_BENCHLIST_HALFLIFE_US: Micros = 60_000_000;
export const DEFAULT_BENCH_PROBABILITY = 0.5;
export const DEFAULT_UNBENCH_PROBABILITY = 0.2;
export const DEFAULT_BENCH_DURATION_US: Micros = 300_000_000;

/** AvalancheGo's cap on benched stake for a parameter set: (1 − αc/K) / 3. */
export function defaultMaxPortion(params: { readonly k: number; readonly alphaConfidence: number }): number {
  return (1 - params.alphaConfidence / params.k) / 3;
}

export function defaultBenchlistConfig(params: { readonly k: number; readonly alphaConfidence: number }): BenchlistConfig {
  return Object.freeze({
    halflifeUs: DEFAULT_BENCHLIST_HALFLIFE_US,
    benchProbability: DEFAULT_BENCH_PROBABILITY,
    unbenchProbability: DEFAULT_UNBENCH_PROBABILITY,
    durationUs: DEFAULT_BENCH_DURATION_US,
    maxPortion: defaultMaxPortion(params),
  });
}

/**
 * Checks a configuration. AvalancheGo checks only `0 <= maxPortion < 1`
 * (newBenchlist); the other rules are avsim's, for values that would make the
 * EWMA meaningless (a halflife of 0) or a probability that cannot be crossed.
 */
export function benchlistProblems(c: BenchlistConfig): ConfigProblem[] {
  const out: ConfigProblem[] = [];
  if (!(Number.isSafeInteger(c.halflifeUs) && c.halflifeUs > 0)) out.push({ field: 'halflife', message: `fails 0 < halflife (halflife = ${showUs(c.halflifeUs)})` });
  if (!(Number.isSafeInteger(c.durationUs) && c.durationUs > 0)) out.push({ field: 'duration', message: `fails 0 < duration (duration = ${showUs(c.durationUs)})` });
  if (!(c.benchProbability >= 0 && c.benchProbability <= 1)) {
    out.push({ field: 'benchProbability', message: `fails 0 <= benchProbability <= 1 (benchProbability = ${c.benchProbability})` });
  }
  if (!(c.unbenchProbability >= 0 && c.unbenchProbability <= c.benchProbability)) {
    out.push({
      field: 'unbenchProbability',
      message: `fails 0 <= unbenchProbability <= benchProbability (${c.unbenchProbability} <= ${c.benchProbability})`,
    });
  }
  if (!(c.maxPortion >= 0 && c.maxPortion < 1)) out.push({ field: 'maxPortion', message: `fails 0 <= maxPortion < 1 (maxPortion = ${c.maxPortion})` });
  return out;
}

/** Stake of each validator (engine/sampler.ts ValidatorSet has this shape). */
export interface StakeView {
  readonly totalStake: number;
  stakeOf(node: NodeId): number;
  /** Number of validators (ids 0..size-1), when known: the per-peer arrays are then sized once. */
  readonly size?: number;
}

/** A change of a peer's bench state, in the order it happened. */
export interface BenchChange {
  readonly node: NodeId;
  readonly benched: boolean;
}

/** `b` with `a` copied into its start. */
function grown<T extends Uint8Array | Float64Array>(a: T, b: T): T {
  b.set(a);
  return b;
}

/** What an observation that changes nothing returns (shared: the hot path allocates nothing). */
const NO_CHANGES: readonly BenchChange[] = Object.freeze([]);

/**
 * Per-peer state is flat: every node tracks every peer that answered it, so
 * at 10,000 nodes one simulation holds ~10^8 entries, and a Map of records
 * with an averager object each (~200 bytes an entry, growing until every
 * peer has answered) does not fit. Each peer's failure average
 * (ContinuousAverager's three fields, updated by the same formula: see
 * averager.ts) lives in typed arrays indexed by node id: the normalizer and
 * the last update time always, the weighted sum only once it is non-zero (a
 * peer that never failed has a weighted sum of exactly 0 and a probability of
 * exactly 0), which keeps a peer at 17 bytes.
 */
export class Benchlist {
  /** halflife / ln 2, as ContinuousAverager computes it. */
  private readonly tau: number;
  /** 1 while a peer is tracked (it has stake and was observed). */
  private tracked: Uint8Array;
  private normalizer: Float64Array;
  private lastUpdated: Float64Array;
  /** Weighted sums that are not 0 (absent: exactly 0). */
  private readonly weightedSum = new Map<NodeId, number>();
  /** Benched peers and when each is let back regardless of its average. */
  private readonly until = new Map<NodeId, Micros>();
  /** Benched peers, kept sorted by id (deterministic scans). */
  private benchedIds: NodeId[] = [];
  private benchedStakeSum = 0;

  constructor(
    private readonly cfg: BenchlistConfig,
    private readonly stake: StakeView,
  ) {
    const problems = benchlistProblems(cfg);
    if (problems.length > 0) throw new RangeError(`benchlist: ${problems[0]!.field} ${problems[0]!.message}`);
    this.tau = cfg.halflifeUs / Math.LN2;
    const n = cfg.maxPortion > 0 ? (stake.size ?? 0) : 0;
    this.tracked = new Uint8Array(n);
    this.normalizer = new Float64Array(n);
    this.lastUpdated = new Float64Array(n);
  }

  /** False when maxPortion is 0 (AvalancheGo then uses no benchlist at all). */
  enabled(): boolean {
    return this.cfg.maxPortion > 0;
  }

  /** `node` answered a request before its timeout. */
  registerResponse(node: NodeId, now: Micros): readonly BenchChange[] {
    return this.observe(node, 0, now);
  }

  /** A request to `node` timed out. */
  registerFailure(node: NodeId, now: Micros): readonly BenchChange[] {
    return this.observe(node, 1, now);
  }

  /** Queries to `node` should fail at once. Call `expire` first to apply the bench duration. */
  isBenched(node: NodeId): boolean {
    return this.until.has(node);
  }

  /** Benched peers, by id. */
  benched(): readonly NodeId[] {
    return this.benchedIds;
  }

  benchedStake(): number {
    return this.benchedStakeSum;
  }

  failureProbability(node: NodeId): number | undefined {
    return this.isTracked(node) ? this.read(node) : undefined;
  }

  /** When the next benched peer is let back (for the caller's timer), or undefined. */
  nextExpiry(): Micros | undefined {
    let next: Micros | undefined;
    for (const id of this.benchedIds) {
      const u = this.until.get(id)!;
      if (next === undefined || u < next) next = u;
    }
    return next;
  }

  /** Unbenches every peer benched for its full duration by `now`, with a clean slate (processTimeouts). */
  expire(now: Micros): BenchChange[] {
    const out: BenchChange[] = [];
    if (this.benchedIds.length === 0) return out;
    // Earliest deadline first, as AvalancheGo's heap pops them.
    const due = this.benchedIds
      .filter((id) => this.until.get(id)! <= now)
      .toSorted((a, b) => this.until.get(a)! - this.until.get(b)! || a - b);
    for (const id of due) {
      this.unbench(id);
      this.prior(id, now);
      out.push({ node: id, benched: false });
    }
    return out;
  }

  private isTracked(node: NodeId): boolean {
    return node >= 0 && node < this.tracked.length && this.tracked[node] === 1;
  }

  /** A fresh average for `node` at `now`: the optimistic prior 0, worth one observation. */
  private prior(node: NodeId, now: Micros): void {
    this.tracked[node] = 1;
    this.weightedSum.delete(node);
    this.normalizer[node] = 1;
    this.lastUpdated[node] = now;
  }

  private read(node: NodeId): number {
    return (this.weightedSum.get(node) ?? 0) / this.normalizer[node]!;
  }

  /** ContinuousAverager.observe on `node`'s average (same formula, same operation order). */
  private observeAverage(node: NodeId, value: 0 | 1, now: Micros): void {
    const ws = this.weightedSum.get(node);
    const sum = ws ?? 0;
    const delta = this.lastUpdated[node]! - now;
    let next: number;
    if (delta < 0) {
      const w = Math.exp(delta / this.tau);
      next = value + w * sum;
      this.normalizer[node] = 1 + w * this.normalizer[node]!;
      this.lastUpdated[node] = now;
    } else if (delta === 0) {
      next = sum + value;
      this.normalizer[node]! += 1;
    } else {
      const w = Math.exp(-delta / this.tau);
      next = sum + w * value;
      this.normalizer[node]! += w;
    }
    // A clean peer (sum 0) answering keeps a sum of exactly 0: nothing to store.
    if (ws !== undefined || next !== 0) this.weightedSum.set(node, next);
  }

  /** Room for `node` in the per-peer arrays (only when the validator count was not given). */
  private ensure(node: NodeId): void {
    if (!(Number.isSafeInteger(node) && node >= 0 && node < 2 ** 31)) throw new RangeError(`benchlist: node must be a validator id, got ${node}`);
    if (node < this.tracked.length) return;
    const n = Math.max(node + 1, this.tracked.length * 2, 16);
    this.tracked = grown(this.tracked, new Uint8Array(n));
    this.normalizer = grown(this.normalizer, new Float64Array(n));
    this.lastUpdated = grown(this.lastUpdated, new Float64Array(n));
  }

  /** The observation, then the bench durations that ran out (AvalancheGo's run loop: events, then timeouts). */
  private observe(node: NodeId, value: 0 | 1, now: Micros): readonly BenchChange[] {
    const changes = this.apply(node, value, now);
    if (this.benchedIds.length === 0) return changes; // nothing can run out (the hot path: every answer is observed)
    const expired = this.expire(now);
    return expired.length === 0 ? changes : [...changes, ...expired];
  }

  /** processObservation. */
  private apply(node: NodeId, value: 0 | 1, now: Micros): readonly BenchChange[] {
    if (!this.enabled()) return NO_CHANGES;
    if (this.stake.stakeOf(node) === 0) {
      // Non-validators are not tracked (unless benched, which only a stake change could cause).
      if (this.isTracked(node) && !this.until.has(node)) {
        this.tracked[node] = 0;
        this.weightedSum.delete(node);
      }
      return NO_CHANGES;
    }
    if (!this.isTracked(node)) {
      this.ensure(node);
      this.prior(node, now);
    }
    this.observeAverage(node, value, now);
    const benched = this.until.has(node);
    // A peer with a weighted sum of 0 has probability 0: neither above the bench threshold nor a benched peer to let back.
    if (!benched && !this.weightedSum.has(node)) return NO_CHANGES;
    const p = this.read(node);
    if (!benched && p > this.cfg.benchProbability) {
      const evicted = this.makeRoom(node, p);
      if (evicted === undefined) return NO_CHANGES;
      const changes: BenchChange[] = [];
      for (const id of evicted) {
        this.unbench(id);
        changes.push({ node: id, benched: false });
      }
      this.until.set(node, now + this.cfg.durationUs);
      this.insertBenched(node);
      changes.push({ node, benched: true });
      return changes;
    }
    if (benched && p < this.cfg.unbenchProbability) {
      this.unbench(node);
      return [{ node, benched: false }];
    }
    return NO_CHANGES;
  }

  /**
   * The benched peers to unbench so that `node` fits under the cap (empty
   * when it fits as is), or undefined when it cannot be benched (tryMakeRoom).
   */
  private makeRoom(node: NodeId, incomingP: number): NodeId[] | undefined {
    const incoming = this.stake.stakeOf(node);
    if (incoming === 0) return undefined;
    const maxBenched = this.stake.totalStake * this.cfg.maxPortion;
    const after = this.benchedStakeSum + incoming;
    if (after <= maxBenched) return [];
    const target = after - Math.trunc(maxBenched);
    const candidates = this.benchedIds
      .map((id) => ({ id, p: this.read(id) }))
      .filter((c) => c.p < incomingP)
      .toSorted((a, b) => a.p - b.p || a.id - b.id);
    const evict: NodeId[] = [];
    let freed = 0;
    for (const c of candidates) {
      freed += this.stake.stakeOf(c.id);
      evict.push(c.id);
      if (freed >= target) break;
    }
    return freed >= target ? evict : undefined;
  }

  private insertBenched(id: NodeId): void {
    const ids = this.benchedIds;
    let i = ids.length;
    while (i > 0 && ids[i - 1]! > id) i--;
    ids.splice(i, 0, id);
    this.benchedStakeSum += this.stake.stakeOf(id);
  }

  private unbench(id: NodeId): void {
    this.until.delete(id);
    this.benchedIds = this.benchedIds.filter((x) => x !== id);
    this.benchedStakeSum -= this.stake.stakeOf(id);
  }
}
