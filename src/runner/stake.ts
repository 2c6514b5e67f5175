/**
 * Stake distributions: how much stake (integer units) each validator holds.
 * Integer units matter: the sampler draws K stake units without replacement,
 * so a validator's multiplicity in a sample depends on its unit count.
 */
export type StakeDistribution =
  | { kind: 'equal'; unitsPerNode: number }
  /** Zipf: node i (0-based) gets ∝ 1/(i+1)^exponent, scaled so the smallest has at least minUnits. */
  | { kind: 'zipf'; exponent: number; minUnits: number }
  | { kind: 'explicit'; units: readonly number[] };

export function stakeUnits(dist: StakeDistribution, nodeCount: number): Uint32Array {
  const out = new Uint32Array(nodeCount);
  switch (dist.kind) {
    case 'equal':
      out.fill(dist.unitsPerNode);
      break;
    case 'zipf': {
      const smallest = 1 / nodeCount ** dist.exponent;
      for (let i = 0; i < nodeCount; i++) {
        out[i] = Math.max(dist.minUnits, Math.round((dist.minUnits * (1 / (i + 1) ** dist.exponent)) / smallest));
      }
      break;
    }
    case 'explicit':
      if (dist.units.length !== nodeCount) {
        throw new RangeError(`nodes.stake.units: must list one value per node (${nodeCount}), got ${dist.units.length}`);
      }
      dist.units.forEach((u, i) => (out[i] = u));
      break;
  }
  for (let i = 0; i < nodeCount; i++) {
    const u = out[i] as number;
    if (!Number.isSafeInteger(u) || u < 1) throw new RangeError(`nodes.stake: node ${i} must hold an integer >= 1 units, got ${u}`);
  }
  return out;
}

export function totalUnits(units: Uint32Array): number {
  let s = 0;
  for (const u of units) s += u;
  return s;
}
