import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration } from './duration.js';

describe('durations', () => {
  it('parses units to integer microseconds', () => {
    expect(parseDuration('250ms')).toBe(250_000);
    expect(parseDuration('10m')).toBe(600_000_000);
    expect(parseDuration('24h')).toBe(86_400_000_000);
    expect(parseDuration('7d')).toBe(604_800_000_000);
    expect(parseDuration('1.5s')).toBe(1_500_000);
    expect(parseDuration('20us')).toBe(20);
    expect(parseDuration('0')).toBe(0);
  });
  it('rejects numbers without units, negative, and oversized durations', () => {
    for (const bad of ['10', '-1s', '1 s', 's', '1.5', '401d', '1e3ms']) expect(parseDuration(bad)).toBeNull();
  });
  it('formats with the largest exact unit', () => {
    expect(formatDuration(600_000_000)).toBe('10m');
    expect(formatDuration(1_500_000)).toBe('1500ms');
    expect(formatDuration(20)).toBe('20us');
  });
});
