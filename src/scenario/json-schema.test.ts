import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { scenarioJsonSchema, scenarioJsonSchemaText } from './json-schema.js';

describe('exported JSON Schema', () => {
  it('matches the committed experiments/scenario.schema.json (regenerate: node dist/src/cli/main.js schema > experiments/scenario.schema.json)', () => {
    const committed = readFileSync(new URL('../../experiments/scenario.schema.json', import.meta.url), 'utf8');
    expect(committed).toBe(scenarioJsonSchemaText());
  });

  it('describes durations as strings with units and forbids unknown fields', () => {
    const schema = scenarioJsonSchema() as { properties: Record<string, { type?: string; pattern?: string }>; required: string[]; additionalProperties: boolean };
    expect(schema.properties.duration?.type).toBe('string');
    expect(schema.properties.duration?.pattern).toContain('ms');
    expect(schema.required).toEqual(['name', 'duration', 'nodes', 'workload']);
    expect(schema.additionalProperties).toBe(false);
  });
});
