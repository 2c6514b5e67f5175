/**
 * Byzantine strategies for Avalanche DAG runs, by name (`byzantine.strategy`
 * with `protocol.name: avalanche`). The names Snowman also has mean the same
 * thing on a DAG; double-spend and rogue-vote are what only a DAG has.
 */
import type { DagStrategyDefinition } from './strategy.js';
import { dagAlwaysAccept } from './always-accept.js';
import { dagAlwaysReject } from './always-reject.js';
import { doubleSpend } from './double-spend.js';
import { dagRandomVote } from './random-vote.js';
import { rogueVote } from './rogue-vote.js';
import { dagSilent } from './silent.js';

const STRATEGIES: readonly DagStrategyDefinition[] = [dagSilent, dagRandomVote, dagAlwaysReject, dagAlwaysAccept, doubleSpend, rogueVote];

export const DAG_STRATEGY_NAMES: readonly string[] = STRATEGIES.map((s) => s.name);

export function findDagStrategy(name: string): DagStrategyDefinition | undefined {
  return STRATEGIES.find((s) => s.name === name);
}

/** The strategy or a one-line error naming the field and the known names. */
export function dagStrategyOrThrow(name: string, field = 'byzantine.strategy'): DagStrategyDefinition {
  const s = findDagStrategy(name);
  if (s === undefined) throw new RangeError(`${field}: unknown strategy "${name}" for protocol avalanche; known: ${DAG_STRATEGY_NAMES.join(', ')}`);
  return s;
}
