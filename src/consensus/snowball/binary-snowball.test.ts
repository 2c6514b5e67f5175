import { describe, expect, it } from 'vitest';
import { BinarySnowball } from './binary-snowball.js';
import { checkScript } from './script.js';
import type { Bit } from './types.js';

const single = [{ alphaConfidence: 15, beta: 3 }];

describe('binary Snowball', () => {
  it('prefers the choice with more successful polls, not the last one', () => {
    const sb = new BinarySnowball(15, single, 0);
    expect(
      checkScript<Bit>(sb, [
        ['poll', 15, 0, 0, [1], false], // strength 1:0
        ['poll', 15, 0, 0, [2], false], // 2:0
        ['fail', 0, [0], false],
        ['poll', 15, 0, 0, [1], false], // 3:0
        ['fail', 0, [0], false],
        ['poll', 15, 1, 0, [1], false], // 3:1, snowflake now prefers 1 (confidence reset then 1)
        // Snowflake's reset on a change of preference compares with its own (slush)
        // preference 1, not the snowball preference 0: no reset here.
        ['poll', 15, 1, 0, [2], false], // 3:2
        ['poll', 14, 1, 0, [0], false], // below AlphaPreference: no strength, reset
        ['poll', 15, 1, 0, [1], false], // 3:3 tie keeps 0
        ['poll', 15, 1, 1, [2], false], // 3:4 switches
      ]),
    ).toEqual([]);
    expect([sb.preferenceStrength(0), sb.preferenceStrength(1)]).toEqual([3, 4]);
  });

  it('once finalised prefers the finalised snowflake choice even when strength disagrees', () => {
    const sb = new BinarySnowball(15, single, 0);
    expect(
      checkScript<Bit>(sb, [
        ['poll', 15, 0, 0, [1], false],
        ['poll', 15, 0, 0, [2], false],
        ['fail', 0, [0], false],
        ['poll', 15, 0, 0, [1], false], // strength 3:0
        ['fail', 0, [0], false],
        ['poll', 15, 1, 0, [1], false], // 3:1
        ['poll', 15, 1, 0, [2], false], // 3:2
        ['poll', 15, 1, 1, [3], true], // 3:3 would keep 0, but snowflake finalised on 1
        ['poll', 20, 0, 1, [3], true], // strength 4:3 now, still finalised on 1
      ]),
    ).toEqual([]);
    expect([sb.preferenceStrength(0), sb.preferenceStrength(1)]).toEqual([4, 3]);
  });

  it('multi-threshold (15, 20) and (18, 10)', () => {
    const sb = new BinarySnowball(
      15,
      [
        { alphaConfidence: 15, beta: 20 },
        { alphaConfidence: 18, beta: 10 },
      ],
      1,
    );
    const steps: ['poll', number, Bit, Bit, number[], boolean][] = [];
    for (let i = 1; i <= 9; i++) steps.push(['poll', 18, 1, 1, [i, i], false]);
    steps.push(['poll', 15, 1, 1, [10, 0], false]);
    for (let i = 1; i <= 9; i++) steps.push(['poll', 20, 1, 1, [10 + i, i], false]);
    // Both would reach their beta: the first condition finalises and the second is not counted.
    steps.push(['poll', 19, 1, 1, [20, 9], true]);
    expect(checkScript<Bit>(sb, steps)).toEqual([]);
  });
});
