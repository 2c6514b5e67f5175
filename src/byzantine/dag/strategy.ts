/**
 * What every DAG Byzantine strategy file exports: a factory of one
 * DagBehaviour (src/consensus/avalanche/engine/behaviour.ts) per Byzantine
 * node, chosen by name from the DAG registry (registry.ts). The context is
 * the one Snowman strategies get (src/byzantine/strategy.ts).
 */
import type { DagBehaviour } from '../../consensus/avalanche/engine/behaviour.js';
import type { StrategyContext } from '../strategy.js';

export interface DagStrategyDefinition {
  readonly name: string;
  readonly description: string;
  readonly options: readonly string[];
  create(ctx: StrategyContext): DagBehaviour;
}
