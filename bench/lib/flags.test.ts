import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseBytes, parseDurationMs, parseFlags, parseIntList, parsePercent, parseSecondsList } from './flags.js';
import { thisCheckout } from './git-ref.js';

describe('bench flags', () => {
  it('parses values and names the flag and the rule when one is bad', () => {
    expect(parseDurationMs('--duration', '2.5s')).toBe(2500);
    expect(parseDurationMs('--duration', '300ms')).toBe(300);
    expect(() => parseDurationMs('--duration', '10')).toThrow('--duration: must be a positive duration like 10s or 2500ms, got "10"');
    expect(parseIntList('--sizes', '1000,5000')).toEqual([1000, 5000]);
    expect(() => parseIntList('--sizes', '1000,,5')).toThrow(/--sizes: must be comma-separated integers/);
    expect(parseSecondsList('--rss-at', '20,40,60')).toEqual([20, 40, 60]);
    expect(parseBytes('--max-rss', '12GiB')).toBe(12 * 2 ** 30);
    expect(() => parseBytes('--max-rss', '12GB')).toThrow(/--max-rss: must be a size/);
    expect(parsePercent('--threshold', '10')).toBeCloseTo(0.1);
    expect(() => parsePercent('--threshold', '0')).toThrow(/--threshold: must be a percentage/);
    expect(() => parseFlags(['--bogus'], { base: { type: 'string' } })).toThrow(/Unknown option '--bogus'/);
  });

  it('the gate exits 2 with one line for a missing --base, an unknown ref and a bad flag', () => {
    const gate = join(thisCheckout(), 'dist', 'bench', 'gate.js');
    const cases: [string[], RegExp][] = [
      [[], /^bench:gate: --base: required/],
      [['--base', 'no-such-ref-xyz'], /^bench:gate: --base\/--head: "no-such-ref-xyz" names no commit/],
      [['--base', 'HEAD', '--rounds', '0'], /^bench:gate: --rounds: must be an integer from 1 to 100, got "0"/],
      [['--base', 'HEAD', '--frobnicate'], /^bench:gate: Unknown option '--frobnicate'/],
    ];
    for (const [args, message] of cases) {
      const r = spawnSync(process.execPath, [gate, ...args], { encoding: 'utf8' });
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    }
  });

  it('bench:scale exits 2 for contradictory flags', () => {
    const scale = join(thisCheckout(), 'dist', 'bench', 'scale.js');
    const r = spawnSync(process.execPath, [scale, '--no-base', '--base', 'HEAD'], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^bench:scale: --no-base: cannot be combined with --base/);
  });
});
