import { describe, expect, it } from 'vitest';
import { parseScenarioText } from '../scenario/load.js';
import { PROTOCOL_NAMES, PROTOCOLS, protocolOrThrow } from './protocols.js';

const BASE = `
name: proto
duration: 1s
nodes: {count: 5}
workload: {phases: [{kind: constant, rateTps: 1, duration: 1s}]}
`;

describe('protocol registry', () => {
  it('names each protocol once, and each section is tagged with its own name', () => {
    expect(new Set(PROTOCOL_NAMES).size).toBe(PROTOCOLS.length);
    for (const p of PROTOCOLS) {
      expect(p.section.safeParse({ name: p.name }).success).toBe(true);
      expect(p.section.safeParse({ name: `${p.name}-not` }).success).toBe(false);
      expect(protocolOrThrow(p.name)).toBe(p);
    }
  });

  it('rejects an unknown protocol by name, in the registry and in a scenario file', () => {
    expect(() => protocolOrThrow('avalanche-x')).toThrow(/^protocol\.name: unknown protocol "avalanche-x"; known: snowman, avalanche$/);
    expect(() => parseScenarioText(`${BASE}protocol: {name: nope}\n`)).toThrow(/protocol\.name: must be one of snowman, avalanche/);
  });

  it('chooses Snowman by default, with its own section defaults', () => {
    const { scenario } = parseScenarioText(BASE);
    expect(scenario.protocol).toEqual({ name: 'snowman', decision: 'snowflake', instance: 'tree' });
    expect(() => parseScenarioText(`${BASE}protocol: {name: snowman, decision: slush}\n`)).toThrow(/protocol\.decision: must be one of "snowflake", "snowball"/);
  });
});
