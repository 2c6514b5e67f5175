/**
 * The scenario format as JSON Schema, for editor completion
 * (experiments/scenario.schema.json; YAML files point at it with
 * `# yaml-language-server: $schema=./scenario.schema.json`). Describes what a
 * file may contain (zod's input side), so durations show as strings.
 * Regenerate with `node dist/src/cli/main.js schema > experiments/scenario.schema.json`;
 * a test fails when the committed file is stale.
 */
import { z } from 'zod';
import { ScenarioShape } from './schema.js';

export function scenarioJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(ScenarioShape, { io: 'input', unrepresentable: 'any', target: 'draft-2020-12' }) as Record<string, unknown>;
  return {
    ...schema,
    $id: 'https://avsim.local/scenario.schema.json',
    title: 'avsim scenario',
    description: 'A scenario file for avsim: nodes, network, CPU costs, workload, faults, Byzantine nodes, checks and sweep axes.',
  };
}

export function scenarioJsonSchemaText(): string {
  return `${JSON.stringify(scenarioJsonSchema(), null, 2)}\n`;
}
