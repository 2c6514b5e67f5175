/**
 * One-way network latency profiles (a tagged union) and their samplers.
 *
 * All samples are integer microseconds >= 1, so every message takes strictly
 * positive time: `minLatencyUs(profile)` is the lookahead a sharded run may
 * rely on (no message sent at t can arrive before t + minLatencyUs).
 */
import { fromMillis, MICROS_PER_MS, type Micros } from './time.js';
import type { RandomStream } from './rng.js';

/**
 * SimBlock's 2019 one-way latency between six regions, in milliseconds.
 * Region order: North America, Europe, South America, Asia-Pacific, Japan, Australia.
 * Source: SimBlock (Distributed Systems Group, Tokyo Institute of Technology),
 * simulator/src/main/java/simblock/settings/NetworkConfiguration.java, LATENCY_2019,
 * https://github.com/dsg-titech/simblock (Apache-2.0). Values are data, not code.
 */
export const SIMBLOCK_REGIONS_2019 = ['NA', 'EU', 'SA', 'AP', 'JP', 'AU'] as const;
export const SIMBLOCK_LATENCY_2019_MS: readonly (readonly number[])[] = [
  [32, 124, 184, 198, 151, 189],
  [124, 11, 227, 237, 252, 294],
  [184, 227, 88, 325, 301, 322],
  [198, 237, 325, 85, 58, 198],
  [151, 252, 301, 58, 12, 126],
  [189, 294, 322, 198, 126, 16],
];
/**
 * SimBlock's default node-to-region distribution, REGION_DISTRIBUTION_BITCOIN_2019
 * (share of Bitcoin nodes per region, same order and same source file as above).
 * It sums to 1.0000.
 */
export const SIMBLOCK_REGION_DISTRIBUTION_2019: readonly number[] = [0.3316, 0.4998, 0.009, 0.1177, 0.0224, 0.0195];

/** How latency varies around a region pair's mean. */
export type RegionJitter =
  /** No jitter: every message takes exactly the table value. */
  | { kind: 'none' }
  /**
   * SimBlock's Pareto jitter: for a mean m (ms), shape = 0.2·m and scale = m − 5 ms,
   * so the Pareto mean α·x_m/(α−1) equals m exactly; every sample is >= m − 5 ms.
   * Needs every table entry > 5 ms (and shape > 1, i.e. m > 5, for a finite mean).
   */
  | { kind: 'pareto-simblock' };

export type LatencyProfile =
  | { kind: 'constant'; latencyUs: Micros }
  /** Integer-uniform on [minUs, maxUs], both inclusive. */
  | { kind: 'uniform'; minUs: Micros; maxUs: Micros }
  /**
   * Lognormal parametrised by its MEDIAN (= e^μ) and σ of the underlying normal;
   * mean = median·e^(σ²/2). Samples below floorUs are raised to floorUs (>= 1).
   */
  | { kind: 'lognormal'; medianUs: Micros; sigma: number; floorUs: Micros }
  /**
   * Region matrix: `matrixMs[a][b]` is the mean one-way latency from region a to
   * region b in milliseconds; nodes are placed in regions by `regionWeights`
   * (drawn from the run's 'placement' stream, node by node in id order).
   */
  | { kind: 'region'; matrixMs: readonly (readonly number[])[]; regionWeights: readonly number[]; jitter: RegionJitter };

/** SimBlock's 2019 profile: six regions, Pareto jitter, Bitcoin-2019 placement. */
export function simblock2019Profile(): LatencyProfile {
  return {
    kind: 'region',
    matrixMs: SIMBLOCK_LATENCY_2019_MS,
    regionWeights: SIMBLOCK_REGION_DISTRIBUTION_2019,
    jitter: { kind: 'pareto-simblock' },
  };
}

function fail(field: string, rule: string, got: unknown): never {
  throw new RangeError(`latency.${field}: ${rule}, got ${JSON.stringify(got)}`);
}

function checkIntUs(field: string, v: number, min: number): void {
  if (!Number.isSafeInteger(v) || v < min) fail(field, `must be an integer number of microseconds >= ${min}`, v);
}

export function validateLatencyProfile(p: LatencyProfile): void {
  switch (p.kind) {
    case 'constant':
      checkIntUs('latencyUs', p.latencyUs, 1);
      return;
    case 'uniform':
      checkIntUs('minUs', p.minUs, 1);
      checkIntUs('maxUs', p.maxUs, p.minUs);
      return;
    case 'lognormal':
      checkIntUs('medianUs', p.medianUs, 1);
      checkIntUs('floorUs', p.floorUs, 1);
      if (!Number.isFinite(p.sigma) || p.sigma < 0 || p.sigma > 5) fail('sigma', 'must be in [0, 5]', p.sigma);
      return;
    case 'region': {
      const r = p.matrixMs.length;
      if (r < 1 || r > 255) fail('matrixMs', 'must have 1..255 rows', r);
      for (let a = 0; a < r; a++) {
        const row = p.matrixMs[a]!;
        if (row.length !== r) fail(`matrixMs[${a}]`, `must have ${r} entries (square matrix)`, row.length);
        for (let b = 0; b < r; b++) {
          const m = row[b]!;
          const min = p.jitter.kind === 'pareto-simblock' ? 5 : 0;
          if (!Number.isFinite(m) || m <= min || m > 60_000) {
            fail(`matrixMs[${a}][${b}]`, `must be a latency in ms in (${min}, 60000]`, m);
          }
        }
      }
      if (p.regionWeights.length !== r) fail('regionWeights', `must have one weight per region (${r})`, p.regionWeights.length);
      let sum = 0;
      for (const w of p.regionWeights) {
        if (!Number.isFinite(w) || w < 0) fail('regionWeights', 'weights must be finite and >= 0', w);
        sum += w;
      }
      if (!(sum > 0)) fail('regionWeights', 'must have a positive sum', sum);
      return;
    }
  }
}

/**
 * Lower bound on any latency sample, in µs (> 0 for every valid profile).
 * Region/Pareto: a sample is round(scale / u^(1/shape)) with u in (0, 1], so >= scale.
 */
export function minLatencyUs(p: LatencyProfile): Micros {
  validateLatencyProfile(p);
  switch (p.kind) {
    case 'constant':
      return p.latencyUs;
    case 'uniform':
      return p.minUs;
    case 'lognormal':
      return p.floorUs;
    case 'region': {
      let min = Infinity;
      for (const row of p.matrixMs) {
        for (const m of row) {
          const lo = p.jitter.kind === 'pareto-simblock' ? fromMillis(m - 5) : fromMillis(m);
          if (lo < min) min = lo;
        }
      }
      return Math.max(1, min);
    }
  }
}

/** Draws a region per node from the weights, node by node (deterministic given the stream). */
export function assignRegions(weights: readonly number[], nodeCount: number, rng: RandomStream): Uint8Array {
  let sum = 0;
  for (const w of weights) sum += w;
  const out = new Uint8Array(nodeCount);
  for (let i = 0; i < nodeCount; i++) {
    let u = rng.next() * sum;
    let r = 0;
    while (r < weights.length - 1 && u >= weights[r]!) {
      u -= weights[r]!;
      r++;
    }
    out[i] = r;
  }
  return out;
}

/**
 * A compiled sampler: flat tables, no allocation per sample. The stream passed
 * to `sample` must be the SENDER's own 'network' stream.
 */
export class LatencySampler {
  private readonly kind: LatencyProfile['kind'];
  private readonly a: number;
  private readonly b: number;
  private readonly c: number;
  /** Region of each node (region profile only). */
  readonly regionOf: Uint8Array;
  private readonly regions: number;
  /** Per region pair: scale in µs (pareto) or fixed latency in µs (none). */
  private readonly scaleUs: Float64Array;
  /** Per region pair: 1/shape (pareto), or 0 for no jitter. */
  private readonly invShape: Float64Array;

  constructor(profile: LatencyProfile, nodeCount: number, placement: RandomStream) {
    validateLatencyProfile(profile);
    this.kind = profile.kind;
    this.a = 0;
    this.b = 0;
    this.c = 0;
    this.regions = 1;
    this.regionOf = new Uint8Array(0);
    this.scaleUs = new Float64Array(0);
    this.invShape = new Float64Array(0);
    switch (profile.kind) {
      case 'constant':
        this.a = profile.latencyUs;
        break;
      case 'uniform':
        this.a = profile.minUs;
        this.b = profile.maxUs - profile.minUs + 1;
        break;
      case 'lognormal':
        this.a = Math.log(profile.medianUs);
        this.b = profile.sigma;
        this.c = profile.floorUs;
        break;
      case 'region': {
        const r = profile.matrixMs.length;
        this.regions = r;
        this.regionOf = assignRegions(profile.regionWeights, nodeCount, placement);
        this.scaleUs = new Float64Array(r * r);
        this.invShape = new Float64Array(r * r);
        for (let x = 0; x < r; x++) {
          for (let y = 0; y < r; y++) {
            const m = profile.matrixMs[x]![y]!;
            if (profile.jitter.kind === 'pareto-simblock') {
              this.scaleUs[x * r + y] = (m - 5) * MICROS_PER_MS;
              this.invShape[x * r + y] = 1 / (0.2 * m);
            } else {
              this.scaleUs[x * r + y] = fromMillis(m);
              this.invShape[x * r + y] = 0;
            }
          }
        }
        break;
      }
    }
  }

  sample(src: number, dst: number, rng: RandomStream): Micros {
    switch (this.kind) {
      case 'constant':
        return this.a;
      case 'uniform':
        return this.a + Math.floor(rng.next() * this.b);
      case 'lognormal': {
        // Box–Muller with exactly two draws per sample (no cached spare), so the
        // number of draws per message is fixed.
        const u1 = 1 - rng.next();
        const u2 = rng.next();
        const z = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
        const v = Math.round(Math.exp(this.a + this.b * z));
        return v < this.c ? this.c : v;
      }
      case 'region': {
        const i = this.regionOf[src]! * this.regions + this.regionOf[dst]!;
        const inv = this.invShape[i]!;
        if (inv === 0) return this.scaleUs[i]!;
        // u in (0, 1]: the sample is finite and >= scale.
        const u = 1 - rng.next();
        return Math.round(this.scaleUs[i]! / Math.pow(u, inv));
      }
    }
  }
}
