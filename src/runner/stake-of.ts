/** Scenario nodes.stake -> integer stake units per node. */
import type { Scenario } from '../scenario/schema.js';
import { stakeUnits } from './stake.js';

/**
 * Units per equal-stake validator. AvalancheGo weights are in nAVAX, so a
 * K-sample almost never repeats a validator; 2,000 units per node (the
 * 2,000 AVAX minimum stake, in whole AVAX) keeps that behaviour while the
 * sampler stays exact.
 */
export const UNITS_PER_NODE = 2_000;

export function stakeUnitsOf(scenario: Scenario): Uint32Array {
  const s = scenario.nodes.stake;
  const n = scenario.nodes.count;
  switch (s.kind) {
    case 'equal':
      return stakeUnits({ kind: 'equal', unitsPerNode: UNITS_PER_NODE }, n);
    case 'zipf':
      return stakeUnits({ kind: 'zipf', exponent: s.exponent, minUnits: UNITS_PER_NODE }, n);
    case 'explicit':
      return stakeUnits({ kind: 'explicit', units: s.weights }, n);
  }
}
