/**
 * Which nodes are Byzantine: given ids, a count drawn by seed, or a fraction
 * of stake drawn by seed. For a fraction, nodes are taken in a seeded random
 * order while the Byzantine stake stays <= fraction × total stake, so the
 * adversary never holds more than it was given.
 */
import type { Byzantine } from '../scenario/schema.js';
import { createStream, RUN_OWNER, type RandomStream } from '../sim/rng.js';
import { sampleIds } from './fault-timeline.js';

/**
 * The stream Byzantine selection draws from. Region placement draws node i's
 * region from the run's 'placement' stream; Byzantine selection used to open
 * that same stream, so in a run with both, the shuffle that picks Byzantine
 * nodes reused the very numbers that placed nodes in regions (the two choices
 * were correlated). Where regions are placed, selection now has its own
 * purpose, 'byzantine-selection'. Where they are not, nothing else draws from
 * 'placement', so selection keeps that key: its Byzantine nodes, and so the
 * trace hashes of those runs (the committed results among them), stay as
 * they were.
 */
export function byzantineSelectionStream(seed: number, placesRegions: boolean): RandomStream {
  return createStream(seed, RUN_OWNER, placesRegions ? 'byzantine-selection' : 'placement');
}

export function assignByzantine(b: Byzantine | undefined, stake: Uint32Array, rng: RandomStream): number[] {
  if (b === undefined) return [];
  const n = stake.length;
  if (b.ids !== undefined) {
    for (const id of b.ids) {
      if (id >= n) throw new RangeError(`byzantine.ids: node id ${id} must be < nodes.count (${n})`);
    }
    return [...new Set(b.ids)].toSorted((x, y) => x - y);
  }
  if (b.count !== undefined) {
    if (b.count > n) throw new RangeError(`byzantine.count: must be <= nodes.count (${n}), got ${b.count}`);
    return sampleIds(n, b.count, rng);
  }
  const fraction = b.fraction ?? 0;
  let total = 0;
  for (const u of stake) total += u;
  const budget = fraction * total;
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const t = order[i] as number;
    order[i] = order[j] as number;
    order[j] = t;
  }
  const chosen: number[] = [];
  let held = 0;
  for (const id of order) {
    const u = stake[id] as number;
    // 1e-9 slack: 0.1 × 1000 is 100.00000000000001 in binary floating point.
    if (held + u <= budget * (1 + 1e-9)) {
      chosen.push(id);
      held += u;
    }
  }
  return chosen.toSorted((x, y) => x - y);
}
