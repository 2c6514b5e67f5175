/**
 * Byzantine strategies by name, as scenario files refer to them
 * (`byzantine.strategy`). One file per strategy; add new ones here.
 */
import type { StrategyDefinition } from './strategy.js';
import { alwaysAccept } from './always-accept.js';
import { alwaysReject } from './always-reject.js';
import { balancingInformed } from './balancing-informed.js';
import { balancingNaive } from './balancing-naive.js';
import { collusion } from './collusion.js';
import { equivocation } from './equivocation.js';
import { randomVote } from './random-vote.js';
import { silent } from './silent.js';
import { splitBrain } from './split-brain.js';
import { sybil } from './sybil.js';

const STRATEGIES: readonly StrategyDefinition[] = [
  silent,
  randomVote,
  alwaysReject,
  alwaysAccept,
  collusion,
  sybil,
  equivocation,
  balancingNaive,
  balancingInformed,
  splitBrain,
];

export const STRATEGY_NAMES: readonly string[] = STRATEGIES.map((s) => s.name);

export function findStrategy(name: string): StrategyDefinition | undefined {
  return STRATEGIES.find((s) => s.name === name);
}

/** The strategy or a one-line error naming the field and the known names. */
export function strategyOrThrow(name: string, field = 'byzantine.strategy'): StrategyDefinition {
  const s = findStrategy(name);
  if (s === undefined) throw new RangeError(`${field}: unknown strategy "${name}"; known: ${STRATEGY_NAMES.join(', ')}`);
  return s;
}

/** Checks a strategy's options; returns the first problem as `field: rule`, or undefined. */
export function optionProblem(s: Pick<StrategyDefinition, 'name' | 'options'>, options: Readonly<Record<string, unknown>>, field = 'byzantine.options'): string | undefined {
  for (const key of Object.keys(options).toSorted()) {
    if (!s.options.includes(key)) {
      const known = s.options.length === 0 ? 'it takes none' : `known: ${s.options.join(', ')}`;
      return `${field}.${key}: not an option of strategy ${s.name} (${known})`;
    }
  }
  return undefined;
}
