/** The wall-time estimate of a run's progress line: when it is given, what it says, and how it names --max-wall. */
import { describe, expect, it } from 'vitest';
import { estimateLine, wallEstimateSeconds } from './progress.js';

const DAY_US = 86_400_000_000;

describe('wall-time estimate', () => {
  it('scales the wall time so far by simulated time left (none before any simulated time)', () => {
    expect(wallEstimateSeconds({ simMicros: 0, endMicros: DAY_US, events: 0, wallSeconds: 5 })).toBeNull();
    // 10 simulated seconds in 5 wall seconds: a day needs half a day.
    expect(wallEstimateSeconds({ simMicros: 10_000_000, endMicros: DAY_US, events: 1, wallSeconds: 5 })).toBe(43_200);
  });

  it('points to --max-wall, or says the run will stop at it', () => {
    const p = { simMicros: 10_000_000, endMicros: 399 * DAY_US, events: 1, wallSeconds: 5 };
    expect(estimateLine('default seed 1', p)).toBe('default seed 1: 2.0x real time so far: the run needs about 199d12h of wall time, 199d11h more (--max-wall limits it)');
    expect(estimateLine('default seed 1', p, 3600)).toBe(
      'default seed 1: 2.0x real time so far: the run needs about 199d12h of wall time, 199d11h more (more than --max-wall 1h00m: it will stop at that limit)',
    );
    // Within the limit: no remark.
    expect(estimateLine('x', { ...p, endMicros: 100_000_000 }, 3600)).toBe('x: 2.0x real time so far: the run needs about 50s of wall time, 45s more');
    // Slower than real time.
    expect(estimateLine('x', { ...p, simMicros: 1_000_000 }, undefined)).toMatch(/^x: 1\/5\.0 of real time so far: /);
  });
});
