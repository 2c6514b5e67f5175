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
import { ContinuousAverager } from './averager.js';
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
}

/** A change of a peer's bench state, in the order it happened. */
export interface BenchChange {
  readonly node: NodeId;
  readonly benched: boolean;
}

interface Tracked {
  failure: ContinuousAverager;
  benched: boolean;
  /** When a benched peer is let back regardless of its average. */
  until: Micros;
}

export class Benchlist {
  private readonly nodes = new Map<NodeId, Tracked>();
  /** Benched peers, kept sorted by id (deterministic scans). */
  private benchedIds: NodeId[] = [];
  private benchedStakeSum = 0;

  constructor(
    private readonly cfg: BenchlistConfig,
    private readonly stake: StakeView,
  ) {
    const problems = benchlistProblems(cfg);
    if (problems.length > 0) throw new RangeError(`benchlist: ${problems[0]!.field} ${problems[0]!.message}`);
  }

  /** False when maxPortion is 0 (AvalancheGo then uses no benchlist at all). */
  enabled(): boolean {
    return this.cfg.maxPortion > 0;
  }

  /** `node` answered a request before its timeout. */
  registerResponse(node: NodeId, now: Micros): BenchChange[] {
    return this.observe(node, 0, now);
  }

  /** A request to `node` timed out. */
  registerFailure(node: NodeId, now: Micros): BenchChange[] {
    return this.observe(node, 1, now);
  }

  /** Queries to `node` should fail at once. Call `expire` first to apply the bench duration. */
  isBenched(node: NodeId): boolean {
    return this.nodes.get(node)?.benched ?? false;
  }

  /** Benched peers, by id. */
  benched(): readonly NodeId[] {
    return this.benchedIds;
  }

  benchedStake(): number {
    return this.benchedStakeSum;
  }

  failureProbability(node: NodeId): number | undefined {
    return this.nodes.get(node)?.failure.read();
  }

  /** When the next benched peer is let back (for the caller's timer), or undefined. */
  nextExpiry(): Micros | undefined {
    let next: Micros | undefined;
    for (const id of this.benchedIds) {
      const u = this.nodes.get(id)!.until;
      if (next === undefined || u < next) next = u;
    }
    return next;
  }

  /** Unbenches every peer benched for its full duration by `now`, with a clean slate (processTimeouts). */
  expire(now: Micros): BenchChange[] {
    const out: BenchChange[] = [];
    // Earliest deadline first, as AvalancheGo's heap pops them.
    const due = this.benchedIds
      .filter((id) => this.nodes.get(id)!.until <= now)
      .toSorted((a, b) => this.nodes.get(a)!.until - this.nodes.get(b)!.until || a - b);
    for (const id of due) {
      const n = this.nodes.get(id)!;
      this.unbench(id, n);
      n.failure = this.prior(now);
      out.push({ node: id, benched: false });
    }
    return out;
  }

  private prior(now: Micros): ContinuousAverager {
    return new ContinuousAverager(0, this.cfg.halflifeUs, now);
  }

  /** The observation, then the bench durations that ran out (AvalancheGo's run loop: events, then timeouts). */
  private observe(node: NodeId, value: 0 | 1, now: Micros): BenchChange[] {
    const changes = this.apply(node, value, now);
    for (const c of this.expire(now)) changes.push(c);
    return changes;
  }

  /** processObservation. */
  private apply(node: NodeId, value: 0 | 1, now: Micros): BenchChange[] {
    const changes: BenchChange[] = [];
    if (!this.enabled()) return changes;
    let n = this.nodes.get(node);
    if (this.stake.stakeOf(node) === 0) {
      // Non-validators are not tracked (unless benched, which only a stake change could cause).
      if (n !== undefined && !n.benched) this.nodes.delete(node);
      return changes;
    }
    if (n === undefined) {
      n = { failure: this.prior(now), benched: false, until: 0 };
      this.nodes.set(node, n);
    }
    n.failure.observe(value, now);
    const p = n.failure.read();
    if (!n.benched && p > this.cfg.benchProbability) {
      const evicted = this.makeRoom(node, p);
      if (evicted === undefined) return changes;
      for (const id of evicted) {
        this.unbench(id, this.nodes.get(id)!);
        changes.push({ node: id, benched: false });
      }
      n.benched = true;
      n.until = now + this.cfg.durationUs;
      this.insertBenched(node);
      changes.push({ node, benched: true });
    } else if (n.benched && p < this.cfg.unbenchProbability) {
      this.unbench(node, n);
      changes.push({ node, benched: false });
    }
    return changes;
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
      .map((id) => ({ id, p: this.nodes.get(id)!.failure.read() }))
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

  private unbench(id: NodeId, n: Tracked): void {
    n.benched = false;
    this.benchedIds = this.benchedIds.filter((x) => x !== id);
    this.benchedStakeSum -= this.stake.stakeOf(id);
  }
}
