import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseGateSection } from './spec.js';

const YAML = `
gate:
  fractions: [0, 0.1, 0.33]
  strategies: [silent, equivocate]
  seeds: 3
  expected:
    silent: { 0: safe-live, 0.10: safe-live, 0.33: safe-not-live }
    equivocate:
      0: safe-live
      0.1: safe-live
      0.33: unsafe
`;

const raw = (): { gate: Record<string, unknown> } => parse(YAML) as { gate: Record<string, unknown> };

describe('parseGateSection', () => {
  it('normalises a YAML section into cells in strategy-major order and explicit seeds', () => {
    const spec = parseGateSection(raw().gate);
    expect(spec.seeds).toEqual([1, 2, 3]);
    expect(spec.cells).toEqual([
      { strategy: 'silent', fraction: 0, expected: 'safe-live' },
      { strategy: 'silent', fraction: 0.1, expected: 'safe-live' },
      { strategy: 'silent', fraction: 0.33, expected: 'safe-not-live' },
      { strategy: 'equivocate', fraction: 0, expected: 'safe-live' },
      { strategy: 'equivocate', fraction: 0.1, expected: 'safe-live' },
      { strategy: 'equivocate', fraction: 0.33, expected: 'unsafe' },
    ]);
  });

  it('accepts an explicit seed list', () => {
    const g = { ...raw().gate, seeds: [11, 42] };
    expect(parseGateSection(g).seeds).toEqual([11, 42]);
  });

  const bad: Array<[string, (g: Record<string, unknown>) => void, string]> = [
    ['a missing cell', (g) => delete (g.expected as Record<string, Record<string, string>>).silent!['0.33'], 'gate.expected.silent: missing expected outcome for fraction 0.33'],
    ['an unknown strategy', (g) => ((g.expected as Record<string, unknown>).sybil = { 0: 'safe-live' }), "gate.expected.sybil: strategy 'sybil' is not in gate.strategies"],
    ['a key that is not a listed fraction', (g) => ((g.expected as Record<string, Record<string, string>>).silent!['0.2'] = 'unsafe'), "gate.expected.silent.0.2: '0.2' is not a fraction listed in gate.fractions"],
    ['an unknown outcome', (g) => ((g.expected as Record<string, Record<string, string>>).silent!['0'] = 'fine'), 'gate.expected.silent.0: Invalid option'],
    ['a duplicate fraction', (g) => (g.fractions = [0, 0.1, 0.1, 0.33]), 'gate.fractions: fraction 0.1 is listed twice'],
    ['a fraction above 1', (g) => (g.fractions = [0, 0.1, 33]), 'gate.fractions.2: Too big'],
    ['zero seeds', (g) => (g.seeds = 0), 'gate.seeds'],
    ['an unknown key', (g) => (g.seed = 3), 'Unrecognized key: "seed"'],
  ];
  it.each(bad)('rejects %s with a one-line message naming the field', (_, mutate, msg) => {
    const g = raw().gate;
    mutate(g);
    expect(() => parseGateSection(g)).toThrow(msg);
  });
});
