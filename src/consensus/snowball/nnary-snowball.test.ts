import { describe, expect, it } from 'vitest';
import { NnarySnowball } from './nnary-snowball.js';
import { checkScript } from './script.js';

const single = [{ alphaConfidence: 15, beta: 3 }];

describe('n-ary Snowball', () => {
  it('prefers the choice whose strength exceeds the largest seen; ties keep the preference', () => {
    const sb = new NnarySnowball(15, single, 100);
    expect(
      checkScript<number>(sb, [
        ['poll', 15, 7, 7, [1], false], // 7:1 > 0
        ['poll', 15, 9, 7, [1], false], // 9:1 ties max 1: preference stays 7; snowflake moved to 9
        ['poll', 15, 9, 9, [2], false], // 9:2 > 1
        ['poll', 10, 7, 9, [0], false], // unsuccessful: no strength
        ['poll', 15, 7, 9, [1], false], // 7:2 ties max 2
        ['poll', 15, 100, 9, [1], false], // 100:1
        ['fail', 9, [0], false],
        ['poll', 15, 7, 7, [1], false], // 7:3 > 2
        ['poll', 15, 7, 7, [2], false],
        ['poll', 15, 7, 7, [3], true],
        ['poll', 20, 9, 7, [3], true],
      ]),
    ).toEqual([]);
    expect([sb.preferenceStrength(7), sb.preferenceStrength(9), sb.preferenceStrength(100)]).toEqual([5, 3, 1]); // strength keeps counting after finalisation, as in AvalancheGo
  });

  it('finalised snowflake choice wins over strength', () => {
    const sb = new NnarySnowball(15, single, 1);
    expect(
      checkScript<number>(sb, [
        ['poll', 15, 1, 1, [1], false],
        ['fail', 1, [0], false],
        ['poll', 15, 1, 1, [1], false],
        ['fail', 1, [0], false],
        ['poll', 15, 1, 1, [1], false], // 1:3
        ['fail', 1, [0], false],
        ['poll', 15, 2, 1, [1], false],
        ['poll', 15, 2, 1, [2], false],
        ['poll', 15, 2, 2, [3], true], // 2:3 ties, but finalised on 2
      ]),
    ).toEqual([]);
  });
});
