/**
 * Analytic overlay: what theory predicts for a poll and for finalisation, to
 * plot against what the simulation measures.
 *
 * A poll samples K votes. With a fraction f of stake silent or voting against,
 * the number of votes for the honest choice is
 *   - Binomial(K, 1−f) if the sample were drawn with replacement (the usual
 *     textbook approximation, DESIGN.md "Known results"), or
 *   - Hypergeometric(S, H, K) for what the sampler really does: K stake units
 *     drawn without replacement from S units of which H = (1−f)S are honest.
 *     A validator holding several drawn units votes that many times, so the
 *     honest vote count is exactly the number of honest units drawn, however
 *     the units are grouped into validators. The validator-level form (n
 *     validators of m units, b of them faulty) is therefore the hypergeometric
 *     with S = n·m and H = (n−b)·m: m = 1 is identity-uniform sampling without
 *     replacement, m → ∞ tends to the binomial with p = (n−b)/n.
 * A poll succeeds when at least α votes agree: P[X ≥ α].
 *
 * Numerics: probabilities are built from log-space binomial coefficients and
 * exponentiated term by term; every term is non-negative so the tail sum has
 * no cancellation.
 */
import { gammaln } from 'simple-statistics';

/** Largest sample size K accepted (AvalancheGo uses 20; the simulator caps far below this). */
export const MAX_SAMPLE_K = 10_000;
/** Largest β accepted by the expected-polls functions. */
export const MAX_BETA = 100_000;
/** Largest β with several termination pairs (the state recursion is β deep). */
export const MAX_MULTI_PAIR_BETA = 2_000;
/** Largest number of Markov states explored for several termination pairs. */
export const MAX_TERMINATION_STATES = 500_000;

function assertInt(x: number, what: string, lo: number, hi: number): void {
  if (!Number.isSafeInteger(x) || x < lo || x > hi) {
    throw new RangeError(`${what} must be an integer in [${lo}, ${hi}], got ${x}`);
  }
}

function assertProbability(x: number, what: string): void {
  if (!(x >= 0 && x <= 1)) throw new RangeError(`${what} must be in [0, 1], got ${x}`);
}

/**
 * ln C(n, k). Exact-to-rounding product form Σ ln((n−j+i)/i), i = 1..j with
 * j = min(k, n−k), which keeps full relative precision even when n is huge
 * (stake units ~ 1e17) and k small; a difference of two ln Γ of huge numbers
 * would lose absolute precision there. Falls back to ln Γ when j is large.
 */
export function logChoose(n: number, k: number): number {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`logChoose: n must be a non-negative integer, got ${n}`);
  if (!Number.isSafeInteger(k)) throw new RangeError(`logChoose: k must be an integer, got ${k}`);
  if (k < 0 || k > n) return Number.NEGATIVE_INFINITY;
  const j = Math.min(k, n - k);
  if (j > 100_000) return gammaln(n + 1) - gammaln(k + 1) - gammaln(n - k + 1);
  let s = 0;
  for (let i = 1; i <= j; i++) s += Math.log((n - j + i) / i);
  return s;
}

/** pmf of Binomial(K, p) as an array indexed 0..K. */
export function binomialPmf(k: number, p: number): Float64Array {
  assertInt(k, 'binomial: K', 0, MAX_SAMPLE_K);
  assertProbability(p, 'binomial: p');
  const out = new Float64Array(k + 1);
  if (p === 0) {
    out[0] = 1;
    return out;
  }
  if (p === 1) {
    out[k] = 1;
    return out;
  }
  const lp = Math.log(p);
  const lq = Math.log1p(-p);
  for (let i = 0; i <= k; i++) out[i] = Math.exp(logChoose(k, i) + i * lp + (k - i) * lq);
  return out;
}

/**
 * pmf of Hypergeometric(total, successes, draws): the number of success units
 * among `draws` units drawn without replacement, indexed 0..draws.
 */
export function hypergeometricPmf(total: number, successes: number, draws: number): Float64Array {
  if (!Number.isSafeInteger(total) || total < 1) {
    throw new RangeError(`hypergeometric: total must be a positive integer, got ${total}`);
  }
  assertInt(successes, 'hypergeometric: successes', 0, total);
  assertInt(draws, 'hypergeometric: draws', 0, Math.min(total, MAX_SAMPLE_K));
  const out = new Float64Array(draws + 1);
  const lTotal = logChoose(total, draws);
  for (let x = 0; x <= draws; x++) {
    const l = logChoose(successes, x) + logChoose(total - successes, draws - x) - lTotal;
    out[x] = l === Number.NEGATIVE_INFINITY ? 0 : Math.exp(l);
  }
  return out;
}

/** P[X ≥ alpha] for a pmf indexed 0..K. */
export function tailAtLeast(pmf: Float64Array, alpha: number): number {
  if (!Number.isSafeInteger(alpha)) throw new RangeError(`tail: alpha must be an integer, got ${alpha}`);
  let s = 0;
  for (let i = Math.max(0, alpha); i < pmf.length; i++) s += pmf[i] ?? 0;
  return Math.min(1, s);
}

export interface PollShape {
  /** Sample size K. */
  k: number;
  /** Votes needed for the poll to count (α). */
  alpha: number;
}

function assertShape({ k, alpha }: PollShape): void {
  assertInt(k, 'poll: k', 1, MAX_SAMPLE_K);
  assertInt(alpha, 'poll: alpha', 1, k);
}

/** Textbook approximation: P[Binomial(K, 1−f) ≥ α], f = fraction of stake silent or voting against. */
export function pollSuccessBinomial(shape: PollShape & { faultyFraction: number }): number {
  assertShape(shape);
  assertProbability(shape.faultyFraction, 'poll: faultyFraction');
  return tailAtLeast(binomialPmf(shape.k, 1 - shape.faultyFraction), shape.alpha);
}

/**
 * What the sampler does: K stake units without replacement from `totalUnits`,
 * `honestUnits` of which answer for the honest choice. P[Hypergeometric ≥ α].
 */
export function pollSuccessStakeUnits(shape: PollShape & { totalUnits: number; honestUnits: number }): number {
  assertShape(shape);
  if (shape.totalUnits < shape.k) {
    throw new RangeError(`poll: totalUnits must be >= k (${shape.k}), got ${shape.totalUnits}`);
  }
  return tailAtLeast(hypergeometricPmf(shape.totalUnits, shape.honestUnits, shape.k), shape.alpha);
}

/**
 * n equal-stake validators of m units each, `faulty` of them silent or voting
 * against. Same hypergeometric as pollSuccessStakeUnits with S = n·m, H = (n−b)·m
 * (see the header: grouping units into validators does not change the count).
 */
export function pollSuccessValidators(
  shape: PollShape & { validators: number; faulty: number; unitsPerValidator: number },
): number {
  assertInt(shape.validators, 'poll: validators', 1, Number.MAX_SAFE_INTEGER);
  assertInt(shape.faulty, 'poll: faulty', 0, shape.validators);
  assertInt(shape.unitsPerValidator, 'poll: unitsPerValidator', 1, Number.MAX_SAFE_INTEGER);
  const totalUnits = shape.validators * shape.unitsPerValidator;
  if (!Number.isSafeInteger(totalUnits)) {
    throw new RangeError(`poll: validators × unitsPerValidator must stay below 2^53, got ${totalUnits}`);
  }
  return pollSuccessStakeUnits({
    k: shape.k,
    alpha: shape.alpha,
    totalUnits,
    honestUnits: (shape.validators - shape.faulty) * shape.unitsPerValidator,
  });
}

/**
 * Rule of thumb for liveness: polls keep succeeding (P[X ≥ α] stays high)
 * only while the expected honest count K(1−f) exceeds α, i.e. f < 1 − α/K
 * (25% at K = 20, α = 15). It ignores variance: at f = 1 − α/K exactly a
 * poll still succeeds about half the time, but β = 20 consecutive successes
 * then take ~10^6 polls.
 */
export function livenessFractionRuleOfThumb(shape: PollShape): number {
  assertShape(shape);
  return 1 - shape.alpha / shape.k;
}

/**
 * Expected number of polls until β consecutive successful polls, each
 * succeeding independently with probability p:
 *
 *   E = Σ_{i=1..β} p^{−i} = (1 − p^β) / ((1 − p) p^β).
 *
 * Derivation: let E_j be the expected polls still needed with a streak of j
 * (E_β = 0). One more poll extends the streak with probability p or resets
 * it: E_j = 1 + p·E_{j+1} + (1−p)·E_0. Unrolling from j = 0 gives
 * E_0 = (1 + p + … + p^{β−1}) + (1 − p^β)·E_0, so
 * E_0 = (1 − p^β) / ((1 − p)·p^β). It is β at p = 1 and infinite at p = 0.
 * Computed as expm1(−β ln p)/(1 − p) so that it stays accurate near p = 1.
 * Assumes every successful poll is for the same choice (no preference flip).
 */
export function expectedPollsToFinalise(p: number, beta: number): number {
  assertProbability(p, 'expectedPolls: p');
  assertInt(beta, 'expectedPolls: beta', 1, MAX_BETA);
  if (p === 1) return beta;
  if (p === 0) return Number.POSITIVE_INFINITY;
  return Math.expm1(-beta * Math.log(p)) / (1 - p);
}

export interface TerminationCondition {
  alphaConfidence: number;
  beta: number;
}

/**
 * Expected polls to finalise with several termination pairs (AvalancheGo
 * Snowflake: α ascending, β not increasing). A poll with honest count c
 * increments the confidence of every pair with α_i ≤ c and clears the others;
 * the instance finalises when some confidence_i reaches β_i
 * (snow/consensus/snowball/binary_snowflake.go RecordPoll).
 *
 * `pmf[c]` is the distribution of the count for the preferred choice in one
 * poll (binomialPmf or hypergeometricPmf), polls independent.
 *
 * Method: the state is the confidence vector (s_1 ≥ s_2 ≥ … ≥ s_m). Every
 * poll either clears everything (c < α_1) or raises s_1, so apart from the
 * reset edges the states form a DAG ordered by s_1. Each E(s) is therefore
 * a(s) + b(s)·E(0), found by memoised recursion; then E(0) = a(0)/(1 − b(0)).
 */
export function expectedPollsMultiPair(pmf: Float64Array, conditions: readonly TerminationCondition[]): number {
  if (conditions.length === 0 || conditions.length > 8) {
    throw new RangeError(`expectedPolls: conditions must hold 1..8 pairs, got ${conditions.length}`);
  }
  const k = pmf.length - 1;
  conditions.forEach((c, i) => {
    assertInt(c.alphaConfidence, `expectedPolls: conditions[${i}].alphaConfidence`, 1, k);
    assertInt(c.beta, `expectedPolls: conditions[${i}].beta`, 1, MAX_MULTI_PAIR_BETA);
    const prev = conditions[i - 1];
    if (prev !== undefined && (c.alphaConfidence < prev.alphaConfidence || c.beta > prev.beta)) {
      throw new RangeError(
        `expectedPolls: conditions[${i}] must have alphaConfidence >= and beta <= those of conditions[${i - 1}]`,
      );
    }
  });
  const m = conditions.length;
  // q[L]: probability that a poll reaches exactly level L (α_L ≤ c < α_{L+1}); level 0 clears all.
  const q = new Float64Array(m + 1);
  for (let c = 0; c <= k; c++) {
    let level = 0;
    while (level < m && c >= (conditions[level]?.alphaConfidence ?? Infinity)) level++;
    q[level] = (q[level] ?? 0) + (pmf[c] ?? 0);
  }
  const memo = new Map<string, [number, number]>();
  const solve = (s: number[]): [number, number] => {
    const key = s.join(',');
    const hit = memo.get(key);
    if (hit !== undefined) return hit;
    if (memo.size >= MAX_TERMINATION_STATES) {
      throw new RangeError(`expectedPolls: more than ${MAX_TERMINATION_STATES} confidence states; use fewer pairs or smaller beta`);
    }
    let a = 1;
    let b = q[0] ?? 0;
    for (let level = 1; level <= m; level++) {
      const ql = q[level] ?? 0;
      if (ql === 0) continue;
      const next = s.map((v, i) => (i < level ? v + 1 : 0));
      const done = next.some((v, i) => i < level && v >= (conditions[i]?.beta ?? Infinity));
      if (done) continue;
      const [na, nb] = solve(next);
      a += ql * na;
      b += ql * nb;
    }
    const r: [number, number] = [a, b];
    memo.set(key, r);
    return r;
  };
  const [a0, b0] = solve(Array.from({ length: m }, () => 0));
  return b0 >= 1 ? Number.POSITIVE_INFINITY : a0 / (1 - b0);
}

export interface OverlayRow {
  /** Faulty fraction asked for. */
  fraction: number;
  /** Faulty validators used by the without-replacement form, round(fraction · validators). */
  faultyValidators: number;
  pollSuccessBinomial: number;
  pollSuccessWithoutReplacement: number;
  expectedPollsBinomial: number;
  expectedPollsWithoutReplacement: number;
}

/**
 * One row per fraction, for plotting theory against measured poll success
 * and polls per decision: the binomial form and the validator-level
 * without-replacement form (n validators of m stake units each).
 */
export function analyticOverlay(opts: {
  k: number;
  alpha: number;
  beta: number;
  validators: number;
  unitsPerValidator: number;
  fractions: readonly number[];
}): OverlayRow[] {
  if (opts.fractions.length > 10_000) throw new RangeError(`overlay: at most 10,000 fractions, got ${opts.fractions.length}`);
  return opts.fractions.map((fraction) => {
    const faultyValidators = Math.round(fraction * opts.validators);
    const pb = pollSuccessBinomial({ k: opts.k, alpha: opts.alpha, faultyFraction: fraction });
    const ph = pollSuccessValidators({
      k: opts.k,
      alpha: opts.alpha,
      validators: opts.validators,
      faulty: faultyValidators,
      unitsPerValidator: opts.unitsPerValidator,
    });
    return {
      fraction,
      faultyValidators,
      pollSuccessBinomial: pb,
      pollSuccessWithoutReplacement: ph,
      expectedPollsBinomial: expectedPollsToFinalise(pb, opts.beta),
      expectedPollsWithoutReplacement: expectedPollsToFinalise(ph, opts.beta),
    };
  });
}
