/**
 * Latency histogram with bounded memory: log-spaced buckets of 0.1% relative
 * width, so a quantile (the geometric middle of its bucket) is within 0.05%
 * of the sample it stands for: three significant digits, as HdrHistogram's
 * numberOfSignificantValueDigits = 3 gives (with 1% buckets, p95 at 100 nodes
 * snapped to the same value for every seed). A 7-day soak at 1,000 TPS
 * (600M samples) still fits in 216 KB per histogram. Mean, min and max are exact.
 */
import type { LatencyQuantilesMs } from './summary.js';
import { toMillis } from '../sim/time.js';

const GROWTH = 1.001;
const LOG_GROWTH = Math.log(GROWTH);
/** Samples are integer µs; bucket 0 holds [0, 1) µs, bucket b >= 1 holds [GROWTH^(b-1), GROWTH^b). */
const MAX_BUCKET = 27_000; // GROWTH^27000 µs ≈ 5.3e11 µs ≈ 6 days

/** An empty histogram's summary: "no samples", not zeros. */
const NO_SAMPLE_SUMMARY: LatencyQuantilesMs = { p50: null, p95: null, p99: null, mean: null, max: null, count: 0 };

export class LatencyHistogram {
  private readonly counts = new Float64Array(MAX_BUCKET + 1);
  private n = 0;
  private sum = 0;
  private minUs = Infinity;
  private maxUs = -Infinity;

  record(us: number): void {
    if (!(us >= 0)) throw new RangeError(`latency sample must be >= 0 µs, got ${us}`);
    const b = us < 1 ? 0 : Math.min(MAX_BUCKET, 1 + Math.floor(Math.log(us) / LOG_GROWTH));
    this.counts[b] = (this.counts[b] as number) + 1;
    this.n++;
    this.sum += us;
    if (us < this.minUs) this.minUs = us;
    if (us > this.maxUs) this.maxUs = us;
  }

  get count(): number {
    return this.n;
  }

  /** Merge another histogram into this one (e.g. from another shard). */
  merge(other: LatencyHistogram): void {
    for (let b = 0; b <= MAX_BUCKET; b++) this.counts[b] = (this.counts[b] as number) + (other.counts[b] as number);
    this.n += other.n;
    this.sum += other.sum;
    this.minUs = Math.min(this.minUs, other.minUs);
    this.maxUs = Math.max(this.maxUs, other.maxUs);
  }

  /** The q-quantile in µs (0 when empty): the geometric middle of the bucket holding it, clamped to [min, max]. */
  quantileUs(q: number): number {
    if (this.n === 0) return 0;
    const rank = Math.max(1, Math.ceil(q * this.n));
    let seen = 0;
    for (let b = 0; b <= MAX_BUCKET; b++) {
      seen += this.counts[b] as number;
      if (seen >= rank) {
        const mid = b === 0 ? 0.5 : GROWTH ** (b - 0.5);
        return Math.min(this.maxUs, Math.max(this.minUs, mid));
      }
    }
    return this.maxUs;
  }

  summaryMs(): LatencyQuantilesMs {
    const ms = (us: number) => toMillis(Math.round(us));
    if (this.n === 0) return NO_SAMPLE_SUMMARY;
    return {
      p50: ms(this.quantileUs(0.5)),
      p95: ms(this.quantileUs(0.95)),
      p99: ms(this.quantileUs(0.99)),
      mean: ms(this.sum / this.n),
      max: ms(this.maxUs),
      count: this.n,
    };
  }

  /** Quantiles in the unit the samples were recorded in (for distributions that are not latencies in µs), rounded to 3 decimals. */
  summaryRaw(): LatencyQuantilesMs {
    const r = round3;
    if (this.n === 0) return NO_SAMPLE_SUMMARY;
    return {
      p50: r(this.quantileUs(0.5)),
      p95: r(this.quantileUs(0.95)),
      p99: r(this.quantileUs(0.99)),
      mean: r(this.sum / this.n),
      max: r(this.maxUs),
      count: this.n,
    };
  }

  /** At most `points` (ms, fraction <= ms) pairs for a CDF plot. */
  cdfMs(points = 200): Array<{ ms: number; fraction: number }> {
    const out: Array<{ ms: number; fraction: number }> = [];
    if (this.n === 0) return out;
    for (let i = 1; i <= points; i++) {
      const q = i / points;
      out.push({ ms: toMillis(Math.round(this.quantileUs(q))), fraction: q });
    }
    return out;
  }
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
