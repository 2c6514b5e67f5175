import { describe, expect, it } from 'vitest';
import { Flat, modeOf } from './flat.js';
import { NnarySnowball } from './nnary-snowball.js';
import { NnarySnowflake } from './snowflake.js';

const single = [{ alphaConfidence: 15, beta: 2 }];

describe('Flat', () => {
  it('mode of a bag: most votes, smallest id on ties, independent of insertion order', () => {
    expect(modeOf(new Map([[3, 4], [7, 9], [5, 9]]))).toEqual({ choice: 5, count: 9 });
    expect(modeOf(new Map([[5, 9], [7, 9], [3, 4]]))).toEqual({ choice: 5, count: 9 });
    expect(modeOf(new Map())).toEqual({ choice: Number.NaN, count: 0 });
    expect(modeOf(new Map([[8, 0]]))).toEqual({ choice: Number.NaN, count: 0 });
  });

  it('records the mode count for the mode choice and reports success at AlphaPreference', () => {
    const f = new Flat(new NnarySnowflake(15, single, 1), 15);
    expect(f.recordVotes(new Map([[1, 4], [2, 16]]))).toBe(true);
    expect([f.preference(), [...f.confidence()], f.finalized()]).toEqual([2, [1], false]);
    // 20 votes in the bag, but the mode has only 14: unsuccessful, confidence reset.
    expect(f.recordVotes(new Map([[1, 6], [2, 14]]))).toBe(false);
    expect([f.preference(), [...f.confidence()]]).toEqual([2, [0]]);
    expect(f.recordVotes(new Map())).toBe(false);
    expect(f.recordVotes(new Map([[2, 15]]))).toBe(true);
    expect(f.recordVotes(new Map([[2, 20]]))).toBe(true);
    expect([f.preference(), [...f.confidence()], f.finalized()]).toEqual([2, [2], true]);
    // Finalised: an empty bag no longer touches confidence.
    expect(f.recordVotes(new Map())).toBe(false);
    expect(f.confidence()).toEqual([2]);
    f.recordUnsuccessfulPoll();
    expect(f.confidence()).toEqual([0]);
    expect(f.finalized()).toBe(true);
  });

  it('with Snowball underneath, success does not imply a change of preference', () => {
    const f = new Flat(new NnarySnowball(15, [{ alphaConfidence: 15, beta: 9 }], 1), 15);
    f.recordVotes(new Map([[1, 15]]));
    expect(f.recordVotes(new Map([[2, 15]]))).toBe(true);
    expect(f.preference()).toBe(1); // strength 1:1 tie keeps 1
  });
});
