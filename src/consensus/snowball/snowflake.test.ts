import { describe, expect, it } from 'vitest';
import { BinarySnowflake, NnarySnowflake } from './snowflake.js';
import { checkScript, type Scriptable, type Step } from './script.js';
import type { BinaryInstance, Bit, NnaryInstance } from './types.js';

function run<C>(inst: Scriptable<C>, steps: Step<C>[]): void {
  expect(checkScript(inst, steps)).toEqual([]);
}

const single = [{ alphaConfidence: 15, beta: 3 }];

describe('binary Snowflake', () => {
  it('finalises after beta consecutive successful polls', () => {
    const sf: BinaryInstance = new BinarySnowflake(15, single, 0);
    run<Bit>(sf, [
      ['poll', 15, 0, 0, [1], false],
      ['poll', 20, 0, 0, [2], false],
      ['poll', 16, 0, 0, [3], true],
    ]);
  });

  it('resets on an unsuccessful poll, on a poll below AlphaPreference and on a change of preference', () => {
    const sf = new BinarySnowflake(15, single, 0);
    run<Bit>(sf, [
      ['poll', 15, 0, 0, [1], false],
      ['poll', 15, 0, 0, [2], false],
      ['fail', 0, [0], false], // recordUnsuccessfulPoll
      ['poll', 15, 0, 0, [1], false],
      ['poll', 14, 1, 0, [0], false], // below AlphaPreference: unsuccessful, preference kept
      ['poll', 15, 0, 0, [1], false],
      ['poll', 15, 0, 0, [2], false],
      ['poll', 15, 1, 1, [1], false], // change of preference: cleared, then this poll counts
      ['poll', 15, 1, 1, [2], false],
      ['poll', 15, 1, 1, [3], true],
      // Finalised: further polls change nothing.
      ['poll', 20, 0, 1, [3], true],
      ['poll', 1, 0, 1, [3], true],
    ]);
  });

  it('a poll between AlphaPreference and AlphaConfidence moves preference but clears confidence', () => {
    const sf = new BinarySnowflake(12, single, 0);
    run<Bit>(sf, [
      ['poll', 15, 0, 0, [1], false],
      ['poll', 13, 0, 0, [0], false],
      ['poll', 15, 0, 0, [1], false],
      ['poll', 13, 1, 1, [0], false],
      ['poll', 15, 1, 1, [1], false],
    ]);
  });

  it('multi-threshold (15, 20) and (18, 10): whichever counter reaches its beta first finalises', () => {
    const tcs = [
      { alphaConfidence: 15, beta: 20 },
      { alphaConfidence: 18, beta: 10 },
    ];
    // Ten strong polls finalise through the second condition.
    const fast = new BinarySnowflake(15, tcs, 1);
    const steps: Step<Bit>[] = [];
    for (let i = 1; i <= 10; i++) steps.push(['poll', 18, 1, 1, [i, i], i === 10]);
    run<Bit>(fast, steps);

    // A weak poll clears only the strong counter; the weak one keeps counting.
    const mixed = new BinarySnowflake(15, tcs, 0);
    const s2: Step<Bit>[] = [];
    for (let i = 1; i <= 5; i++) s2.push(['poll', 18, 0, 0, [i, i], false]);
    s2.push(['poll', 16, 0, 0, [6, 0], false]);
    for (let i = 1; i <= 9; i++) s2.push(['poll', 19, 0, 0, [6 + i, i], false]);
    s2.push(['poll', 17, 0, 0, [16, 0], false]);
    for (let i = 17; i <= 20; i++) s2.push(['poll', 15, 0, 0, [i, 0], i === 20]);
    run<Bit>(mixed, s2);

    // Unsuccessful and preference-changing polls clear both counters.
    const resets = new BinarySnowflake(15, tcs, 0);
    run<Bit>(resets, [
      ['poll', 18, 0, 0, [1, 1], false],
      ['poll', 18, 0, 0, [2, 2], false],
      ['fail', 0, [0, 0], false],
      ['poll', 18, 0, 0, [1, 1], false],
      ['poll', 18, 1, 1, [1, 1], false],
      ['poll', 10, 0, 1, [0, 0], false],
    ]);
  });
});

describe('n-ary Snowflake', () => {
  it('tracks any number of choices with the same reset rules', () => {
    const sf: NnaryInstance = new NnarySnowflake(15, single, 100);
    run<number>(sf, [
      ['poll', 16, 100, 100, [1], false],
      ['poll', 16, 7, 7, [1], false], // change of preference
      ['poll', 16, 7, 7, [2], false],
      ['poll', 14, 9, 7, [0], false], // below AlphaPreference
      ['poll', 16, 9, 9, [1], false],
      ['fail', 9, [0], false],
      ['poll', 15, 9, 9, [1], false],
      ['poll', 15, 9, 9, [2], false],
      ['poll', 15, 9, 9, [3], true],
      ['poll', 20, 100, 9, [3], true],
    ]);
  });

  it('multi-threshold with three conditions', () => {
    const tcs = [
      { alphaConfidence: 12, beta: 6 },
      { alphaConfidence: 16, beta: 4 },
      { alphaConfidence: 20, beta: 2 },
    ];
    const viaSecond = new NnarySnowflake(11, tcs, 5);
    run<number>(viaSecond, [
      ['poll', 11, 5, 5, [0, 0, 0], false], // successful for preference, below every alphaConfidence
      ['poll', 20, 5, 5, [1, 1, 1], false],
      ['poll', 16, 5, 5, [2, 2, 0], false],
      ['poll', 20, 5, 5, [3, 3, 1], false],
      // Condition 1 reaches beta 4 first: finalised, counter 2 not incremented in this poll.
      ['poll', 20, 5, 5, [4, 4, 1], true],
    ]);
    const viaThird = new NnarySnowflake(11, tcs, 5);
    run<number>(viaThird, [
      ['poll', 20, 5, 5, [1, 1, 1], false],
      ['poll', 20, 5, 5, [2, 2, 2], true],
    ]);
  });
});
