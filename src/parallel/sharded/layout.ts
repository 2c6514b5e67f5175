/**
 * How a sharded run splits its nodes, and its lookahead.
 *
 * The lookahead L is the smallest latency a message between two nodes of
 * different shards can have: with windows of length L, a message sent in one
 * window always arrives in a later one, so shards only exchange messages at
 * the barrier between windows. Any layout gives the same results (the engine
 * is layout-independent); the layout only decides speed:
 *  - the lookahead: with a region latency matrix, keeping whole regions
 *    together makes L the smallest INTER-region latency (SimBlock 2019: 119 ms
 *    for Europe | rest) instead of the smallest intra-region one (6 ms);
 *  - the balance: every shard waits for the slowest at every barrier.
 * So whole regions are packed onto shards when that stays within
 * BALANCE_SLACK of an even split, and nodes are split by (region, id)
 * otherwise. Byzantine nodes all go to one shard: colluding strategies share
 * state between them (src/byzantine/group.ts), which is only sound when their
 * events interleave as in a serial run, i.e. in one engine.
 */
import type { Scenario } from '../../scenario/schema.js';
import { assignRegions, minLatencyUs, type LatencyProfile } from '../../sim/latency.js';
import { createStream, RUN_OWNER } from '../../sim/rng.js';
import { fromMillis, type Micros } from '../../sim/time.js';
import { MAX_SHARDS } from '../../sim/simulation.js';
import { latencyProfileOf } from '../../runner/network-config.js';

/** A packing of whole regions may load a shard this much above an even split. */
export const BALANCE_SLACK = 0.1;

export interface ShardLayout {
  shards: number;
  /** Shard of each node. */
  ownerOf: Uint8Array;
  /** Window length: the smallest latency between nodes of different shards, µs (>= 1). */
  lookaheadUs: Micros;
  /** Nodes per shard. */
  sizes: number[];
  /** How the nodes were split (for logs and docs). */
  strategy: 'single' | 'whole-regions' | 'region-order' | 'id-order';
}

/**
 * Rejects a scenario whose latency has no positive minimum: a sharded run
 * needs one as its lookahead. One line, naming the field.
 */
export function checkShardable(scenario: Scenario): void {
  const lat = scenario.network.latency;
  const rule = 'must be > 0 for a sharded run (--workers > 1): the smallest latency is the lookahead between shards';
  switch (lat.kind) {
    case 'constant':
      if (!(lat.oneWay > 0)) throw new RangeError(`network.latency.oneWay: ${rule}, got ${lat.oneWay} µs`);
      return;
    case 'uniform':
      if (!(lat.min > 0)) throw new RangeError(`network.latency.min: ${rule}, got ${lat.min} µs`);
      return;
    case 'lognormal':
      if (lat.min === undefined) {
        throw new RangeError(
          `network.latency.min: a lognormal latency needs a propagation floor (e.g. min: 5ms) for a sharded run (--workers > 1): the smallest latency is the lookahead between shards; add one, or use --workers 1`,
        );
      }
      return;
    case 'regions': {
      const floor = lat.jitter.kind === 'pareto' ? 5 : 0;
      lat.oneWayMs.forEach((row, a) =>
        row.forEach((ms, b) => {
          if (!(ms > floor)) {
            throw new RangeError(`network.latency.oneWayMs[${a}][${b}]: its minimum (${floor === 0 ? 'the entry' : 'entry − 5 ms of Pareto jitter'}) ${rule}, got ${ms} ms`);
          }
        }),
      );
      return;
    }
  }
}

/** Minimum one-way latency between two regions, µs (the engine's sampler never goes below it). */
function pairMinUs(p: Extract<LatencyProfile, { kind: 'region' }>, a: number, b: number): Micros {
  const m = p.matrixMs[a]![b]!;
  return Math.max(1, p.jitter.kind === 'pareto-simblock' ? fromMillis(m - 5) : fromMillis(m));
}

export function planLayout(scenario: Scenario, seed: number, shards: number, byzantine: readonly number[]): ShardLayout {
  if (!Number.isInteger(shards) || shards < 1 || shards > MAX_SHARDS) {
    throw new RangeError(`--workers: must be an integer in [1, ${MAX_SHARDS}], got ${shards}`);
  }
  const n = scenario.nodes.count;
  if (shards > n) throw new RangeError(`--workers: must be <= nodes.count (${n}), got ${shards}`);
  const profile = latencyProfileOf(scenario);
  if (shards === 1) {
    return { shards, ownerOf: new Uint8Array(n), lookaheadUs: minLatencyUs(profile), sizes: [n], strategy: 'single' };
  }
  checkShardable(scenario);
  // The same placement the engine draws (its own 'placement' stream, node by node).
  const regionOf =
    profile.kind === 'region' ? assignRegions(profile.regionWeights, n, createStream(seed, RUN_OWNER, 'placement')) : new Uint8Array(n);
  const regions = profile.kind === 'region' ? profile.matrixMs.length : 1;
  const byz = new Uint8Array(n);
  for (const b of byzantine) byz[b] = 1;

  const ownerOf = wholeRegions(regionOf, regions, byz, shards) ?? ordered(regionOf, byz, shards);
  const strategy = profile.kind !== 'region' ? 'id-order' : isWholeRegions(ownerOf, regionOf) ? 'whole-regions' : 'region-order';
  const sizes = Array.from({ length: shards }, () => 0);
  for (const s of ownerOf) sizes[s]!++;
  let lookaheadUs: number;
  if (profile.kind === 'region') {
    // Which shards hold each region; a pair (a, b) crosses shards if some shard of a differs from some shard of b.
    const holders = Array.from({ length: regions }, () => new Set<number>());
    regionOf.forEach((r, i) => holders[r]!.add(ownerOf[i]!));
    lookaheadUs = Infinity;
    for (let a = 0; a < regions; a++) {
      for (let b = 0; b < regions; b++) {
        const ha = holders[a]!;
        const hb = holders[b]!;
        const crosses = ha.size > 0 && hb.size > 0 && (ha.size > 1 || hb.size > 1 || [...ha][0] !== [...hb][0]);
        if (crosses) lookaheadUs = Math.min(lookaheadUs, pairMinUs(profile, a, b));
      }
    }
    if (lookaheadUs === Infinity) lookaheadUs = minLatencyUs(profile);
  } else {
    lookaheadUs = minLatencyUs(profile);
  }
  return { shards, ownerOf, lookaheadUs, sizes, strategy };
}

function isWholeRegions(ownerOf: Uint8Array, regionOf: Uint8Array): boolean {
  const shardOfRegion = new Map<number, number>();
  for (let i = 0; i < ownerOf.length; i++) {
    const r = regionOf[i]!;
    const s = shardOfRegion.get(r);
    if (s === undefined) shardOfRegion.set(r, ownerOf[i]!);
    else if (s !== ownerOf[i]) return false;
  }
  return true;
}

/**
 * Whole regions on shards, largest first onto the least loaded shard (the
 * Byzantine nodes pre-loaded on shard 0 as one block); undefined when that is
 * not within BALANCE_SLACK of even or leaves a shard empty.
 */
function wholeRegions(regionOf: Uint8Array, regions: number, byz: Uint8Array, shards: number): Uint8Array | undefined {
  const n = regionOf.length;
  const size = Array.from({ length: regions }, () => 0);
  let byzCount = 0;
  for (let i = 0; i < n; i++) {
    if (byz[i] === 1) byzCount++;
    else size[regionOf[i]!]!++;
  }
  const load = Array.from({ length: shards }, () => 0);
  load[0] = byzCount;
  const shardOfRegion = Array.from({ length: regions }, () => 0);
  const order = size.map((s, r) => [s, r] as const).toSorted((x, y) => y[0] - x[0] || x[1] - y[1]);
  for (const [s, r] of order) {
    let best = 0;
    for (let k = 1; k < shards; k++) if (load[k]! < load[best]!) best = k;
    shardOfRegion[r] = best;
    load[best]! += s;
  }
  if (load.some((l) => l === 0) || Math.max(...load) > (n / shards) * (1 + BALANCE_SLACK)) return undefined;
  return Uint8Array.from({ length: n }, (_, i) => (byz[i] === 1 ? 0 : shardOfRegion[regionOf[i]!]!));
}

/**
 * All Byzantine nodes on shard 0, then honest nodes by (region, id) in equal
 * runs: shard 0 is topped up to an even share, the rest split evenly.
 */
function ordered(regionOf: Uint8Array, byz: Uint8Array, shards: number): Uint8Array {
  const n = regionOf.length;
  const honest = Array.from({ length: n }, (_, i) => i)
    .filter((i) => byz[i] === 0)
    .toSorted((a, b) => regionOf[a]! - regionOf[b]! || a - b);
  const byzCount = n - honest.length;
  const first = Math.max(0, Math.min(honest.length, Math.round(n / shards) - byzCount));
  const out = new Uint8Array(n);
  const rest = honest.length - first;
  honest.forEach((id, k) => {
    out[id] = k < first ? 0 : 1 + Math.min(shards - 2, Math.floor(((k - first) * (shards - 1)) / Math.max(1, rest)));
  });
  return out;
}
