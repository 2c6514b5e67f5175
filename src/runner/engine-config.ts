/**
 * The engine's configuration errors as scenario errors: the runner builds
 * the SimConfig from the scenario, so every field the engine refuses comes
 * from one scenario field, and the user is told that one (exit 2).
 */
import { ScenarioError } from '../scenario/problems.js';
import { EngineConfigError } from '../sim/simulation.js';

/** The scenario field each SimConfig field is built from (see prepareRun). */
const SCENARIO_FIELD: Readonly<Record<string, readonly string[]>> = {
  seed: ['seeds'],
  nodeCount: ['nodes', 'count'],
  durationUs: ['duration'],
  'limits.maxEvents': ['limits', 'maxEvents'],
  'limits.maxPendingEvents': ['limits', 'maxPendingEvents'],
  'limits.nodeQueueCapacity': ['limits', 'nodeQueueCapacity'],
  'limits.maxSimTimeUs': ['limits', 'maxSimTime'],
};

/** `e` as a ScenarioError naming the scenario field, when it is an engine configuration error; else `e`. */
export function asScenarioError(e: unknown): unknown {
  if (!(e instanceof EngineConfigError)) return e;
  const segments = SCENARIO_FIELD[e.field];
  if (segments === undefined) return e;
  return new ScenarioError([{ path: segments.join('.'), segments: [...segments], message: `${e.rule} (the engine's limit), got ${JSON.stringify(e.got)}` }]);
}
