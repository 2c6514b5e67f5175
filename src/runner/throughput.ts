/**
 * Throughput over time: the collector's per-bucket counts of accepted and
 * submitted transactions -> rates per bucket, for [0, end] of the run.
 *
 * The edges are rates over what they cover:
 * - every bucket from 0 to the end of the run is listed, empty ones too
 *   (a run that stops accepting shows it);
 * - a last bucket the run ends inside covers only [start, end]: its rate is
 *   its count over that part, not over a whole bucket (a part shorter than
 *   half a bucket joins the bucket before it, so that no rate comes from a
 *   sliver); its `widthSeconds` says how wide it is;
 * - the engine processes events at t <= end, so an acceptance at the very
 *   end instant of a run that ends on a bucket edge falls into a bucket that
 *   starts at the end: it counts in the last bucket instead of drawing a
 *   bucket of width zero.
 */
import type { Micros } from '../consensus/host.js';
import type { ThroughputPoint } from '../metrics/summary.js';
import { toSeconds } from '../sim/time.js';

const round3 = (x: number): number => Math.round(x * 1000) / 1000;

export interface BucketCounts {
  accepted: readonly number[];
  submitted: readonly number[];
  bucketUs: Micros;
  /** The run's end (simulated µs). */
  endUs: Micros;
  /** Most buckets the collector keeps (counts past it were not recorded). */
  maxBuckets: number;
  /** Offered load at a time, transactions/s. */
  offeredAt: (t: Micros) => number;
}

export function throughputBuckets(c: BucketCounts): ThroughputPoint[] {
  const whole = Math.ceil(c.endUs / c.bucketUs);
  const capped = whole > c.maxBuckets;
  const tail = c.endUs - (whole - 1) * c.bucketUs;
  // Buckets drawn: a tail under half a bucket joins the one before it.
  const n = capped ? c.maxBuckets : whole > 1 && tail * 2 < c.bucketUs ? whole - 1 : whole;
  const out: ThroughputPoint[] = [];
  for (let b = 0; b < n; b++) {
    const start = b * c.bucketUs;
    const last = b === n - 1 && !capped;
    // The last bucket ends at the run's end, unless the collector stopped adding before it.
    const end = last ? c.endUs : start + c.bucketUs;
    let accepted = c.accepted[b] ?? 0;
    let submitted = c.submitted[b] ?? 0;
    if (last) {
      // What the joined tail holds, and events at exactly t = end (in the bucket starting at the end).
      for (let j = b + 1; j * c.bucketUs <= c.endUs; j++) {
        accepted += c.accepted[j] ?? 0;
        submitted += c.submitted[j] ?? 0;
      }
    }
    const width = end - start;
    const seconds = toSeconds(width);
    out.push({
      tSeconds: round3(toSeconds(start)),
      tps: round3(accepted / seconds),
      submittedTps: round3(submitted / seconds),
      offeredTps: round3(c.offeredAt(start + width / 2)),
      ...(width === c.bucketUs ? {} : { widthSeconds: round3(seconds) }),
    });
  }
  return out;
}
