/** Validates parsed scenario contents (plain data) against the schema. */
import { problemsFromZod, type Problem } from './problems.js';
import { ScenarioSchema, type Scenario } from './schema.js';

export type ValidationResult = { ok: true; scenario: Scenario } | { ok: false; problems: Problem[] };

export function validateScenarioInput(input: unknown): ValidationResult {
  const r = ScenarioSchema.safeParse(input);
  return r.success ? { ok: true, scenario: r.data } : { ok: false, problems: problemsFromZod(r.error) };
}
