/**
 * How far the machine, not the model, set the latency: for every message,
 * actual arrival minus intended arrival (what the scenario's latency profile,
 * the uplink and FIFO order asked for). Late is the usual case (timer
 * granularity, a busy event loop, the kernel); early is counted apart.
 *
 * Kept as a sparse histogram (1% log-spaced buckets above 10 µs) that a
 * node writes into its history and the harness merges over every node.
 */

const GROWTH = 1.01;
const LOG_GROWTH = Math.log(GROWTH);
const FLOOR_US = 10;

export interface EmulationErrorSummary {
  /** Messages measured. */
  count: number;
  /** Quantiles of actual − intended arrival, ms (late side; early arrivals count as 0). */
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  meanMs: number;
  /** Messages that arrived before their intended time, and by how much at most. */
  early: number;
  maxEarlyMs: number;
}

/** The mergeable form written into a node's history. */
export interface EmulationErrorData {
  /** bucket -> count; bucket 0 holds [0, 10) µs, bucket b >= 1 holds [10·1.01^(b-1), 10·1.01^b) µs. */
  buckets: Record<string, number>;
  count: number;
  sumUs: number;
  maxUs: number;
  early: number;
  maxEarlyUs: number;
}

function bucketOf(us: number): number {
  return us < FLOOR_US ? 0 : 1 + Math.floor(Math.log(us / FLOOR_US) / LOG_GROWTH);
}

function bucketMidUs(b: number): number {
  return b === 0 ? FLOOR_US / 2 : FLOOR_US * GROWTH ** (b - 0.5);
}

const ms = (us: number): number => Math.round(us) / 1000;

export class EmulationError {
  private data: EmulationErrorData = { buckets: {}, count: 0, sumUs: 0, maxUs: 0, early: 0, maxEarlyUs: 0 };

  record(actualUs: number, intendedUs: number): void {
    const d = actualUs - intendedUs;
    const late = d > 0 ? d : 0;
    if (d < 0) {
      this.data.early++;
      if (-d > this.data.maxEarlyUs) this.data.maxEarlyUs = -d;
    }
    const b = String(bucketOf(late));
    this.data.buckets[b] = (this.data.buckets[b] ?? 0) + 1;
    this.data.count++;
    this.data.sumUs += late;
    if (late > this.data.maxUs) this.data.maxUs = late;
  }

  merge(other: EmulationErrorData): void {
    for (const [b, c] of Object.entries(other.buckets)) this.data.buckets[b] = (this.data.buckets[b] ?? 0) + c;
    this.data.count += other.count;
    this.data.sumUs += other.sumUs;
    this.data.maxUs = Math.max(this.data.maxUs, other.maxUs);
    this.data.early += other.early;
    this.data.maxEarlyUs = Math.max(this.data.maxEarlyUs, other.maxEarlyUs);
  }

  toData(): EmulationErrorData {
    return { ...this.data, buckets: { ...this.data.buckets } };
  }

  quantileUs(q: number): number {
    const d = this.data;
    if (d.count === 0) return 0;
    const rank = Math.max(1, Math.ceil(q * d.count));
    const keys = Object.keys(d.buckets).map(Number).toSorted((a, b) => a - b);
    let seen = 0;
    for (const b of keys) {
      seen += d.buckets[String(b)] ?? 0;
      if (seen >= rank) return Math.min(d.maxUs, bucketMidUs(b));
    }
    return d.maxUs;
  }

  summary(): EmulationErrorSummary {
    const d = this.data;
    return {
      count: d.count,
      p50Ms: ms(this.quantileUs(0.5)),
      p99Ms: ms(this.quantileUs(0.99)),
      maxMs: ms(d.maxUs),
      meanMs: ms(d.count === 0 ? 0 : d.sumUs / d.count),
      early: d.early,
      maxEarlyMs: ms(d.maxEarlyUs),
    };
  }
}
