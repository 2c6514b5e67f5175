/**
 * validate = run for the `byzantine` section: whatever building the
 * scenario's strategy would throw at run time is found when the scenario is
 * loaded, as a field path and a rule. Each protocol's adapter calls this with
 * its own registry (`rules` of src/consensus/protocol.ts).
 */
import type { Scenario } from '../scenario/schema.js';
import { createStream } from '../sim/rng.js';
import { optionProblem } from './registry.js';
import type { StrategyContext } from './strategy.js';

export interface StrategyIssue {
  path: Array<string | number>;
  message: string;
}

interface Buildable {
  readonly name: string;
  readonly options: readonly string[];
  create(ctx: StrategyContext): unknown;
}

/** `byzantine.options.x: rule` (a strategy's own check) as a field issue. */
function issueOf(message: string): StrategyIssue {
  const m = /^(byzantine\.options\.[A-Za-z0-9_]+): (.*)$/.exec(message);
  if (m?.[1] !== undefined && m[2] !== undefined) return { path: m[1].split('.'), message: m[2] };
  return { path: ['byzantine', 'options'], message: message.replace(/^byzantine\.options: /, '') };
}

/**
 * The issues of the scenario's `byzantine` section against one registry:
 * an unknown name (with the known ones), unknown option names, and what the
 * strategy's factory refuses when it is built once, as the runner will.
 */
export function strategyIssues(scenario: Scenario, find: (name: string) => Buildable | undefined, known: readonly string[], forProtocol = ''): StrategyIssue[] {
  const b = scenario.byzantine;
  if (b === undefined) return [];
  const def = find(b.strategy);
  if (def === undefined) return [{ path: ['byzantine', 'strategy'], message: `unknown strategy "${b.strategy}"${forProtocol}; known: ${known.join(', ')}` }];
  const out: StrategyIssue[] = [];
  for (const key of Object.keys(b.options).toSorted()) {
    const problem = optionProblem(def, { [key]: b.options[key] });
    if (problem !== undefined) out.push(issueOf(problem));
  }
  if (out.length > 0) return out;
  try {
    def.create({ node: 0, nodeCount: scenario.nodes.count, byzantine: [0], rng: createStream(0, 0, 'byzantine'), options: b.options });
  } catch (e) {
    out.push(issueOf(e instanceof Error ? e.message : String(e)));
  }
  return out;
}
