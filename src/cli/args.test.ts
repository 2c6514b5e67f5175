import { describe, expect, it } from 'vitest';
import { parseWindow } from './args.js';

describe('parseWindow (--trace-window)', () => {
  it('reads FROM..TO with decimal durations', () => {
    expect(parseWindow('2s..2.1s')).toEqual({ fromMicros: 2_000_000, toMicros: 2_100_000 });
    expect(parseWindow('1.5m..')).toEqual({ fromMicros: 90_000_000 });
    expect(parseWindow('..250ms')).toEqual({ toMicros: 250_000 });
  });
  it('rejects a window without the separator or with TO before FROM', () => {
    expect(() => parseWindow('10s')).toThrow('--trace-window: must be FROM..TO');
    expect(() => parseWindow('20s..10s')).toThrow('--trace-window: FROM must be before TO, got "20s..10s"');
  });
});
