import { describe, expect, it } from 'vitest';
import { stakeUnits, totalUnits } from './stake.js';

describe('stakeUnits', () => {
  it('equal stake gives every node the same units', () => {
    expect([...stakeUnits({ kind: 'equal', unitsPerNode: 3 }, 4)]).toEqual([3, 3, 3, 3]);
  });
  it('zipf stake is decreasing and the smallest holder has minUnits', () => {
    const u = stakeUnits({ kind: 'zipf', exponent: 1, minUnits: 10 }, 4);
    expect([...u]).toEqual([40, 20, 13, 10]);
    expect(totalUnits(u)).toBe(83);
  });
  it('explicit stake must list one value per node', () => {
    expect(() => stakeUnits({ kind: 'explicit', units: [1, 2] }, 3)).toThrow(
      'nodes.stake.units: must list one value per node (3), got 2',
    );
  });
  it('rejects zero or fractional units', () => {
    expect(() => stakeUnits({ kind: 'explicit', units: [1, 0] }, 2)).toThrow('node 1 must hold an integer >= 1 units');
  });
});
