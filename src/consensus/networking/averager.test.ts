import { describe, expect, it } from 'vitest';
import { ContinuousAverager } from './averager.js';

describe('ContinuousAverager (continuous_averager.go)', () => {
  it('weighs the past by half after one halflife', () => {
    const a = new ContinuousAverager(10, 1_000_000, 0);
    a.observe(20, 1_000_000);
    // (20 + 0.5 · 10) / (1 + 0.5 · 1)
    expect(a.read()).toBeCloseTo(25 / 1.5, 12);
  });

  it('counts observations at the same instant with equal weight', () => {
    const a = new ContinuousAverager(0, 60_000_000, 5);
    a.observe(1, 5);
    expect(a.read()).toBe(0.5);
    a.observe(1, 5);
    expect(a.read()).toBeCloseTo(2 / 3, 15);
  });

  it('adds an out-of-order observation with a discounted weight and keeps its clock', () => {
    const a = new ContinuousAverager(0, 1_000_000, 2_000_000);
    a.observe(4, 1_000_000); // one halflife in the past: weight 0.5
    expect(a.read()).toBeCloseTo(2 / 1.5, 12);
    a.observe(0, 3_000_000); // one halflife after the clock (still at 2 s)
    expect(a.read()).toBeCloseTo(1 / 1.75, 12);
  });

  it('rejects a halflife that is not positive', () => {
    expect(() => new ContinuousAverager(0, 0, 0)).toThrow('averager halflife must be > 0, got 0');
  });
});
