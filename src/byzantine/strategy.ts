/**
 * What every Byzantine strategy file exports: a factory that builds one
 * Behaviour (src/consensus/engine/behaviour.ts) per Byzantine node. Strategies
 * are chosen by name in scenario files through the registry (registry.ts).
 */
import type { Behaviour } from '../consensus/engine/behaviour.js';
import type { NodeId } from '../consensus/host.js';
import type { RandomStream } from '../sim/rng.js';

/** What a strategy knows when it is built: who it is, who its accomplices are, its own seeded stream. */
export interface StrategyContext {
  readonly node: NodeId;
  readonly nodeCount: number;
  /** Every Byzantine node of the run, sorted (colluding strategies coordinate through it). */
  readonly byzantine: readonly NodeId[];
  /** This node's own 'byzantine' stream: strategies never draw from the node's consensus stream. */
  readonly rng: RandomStream;
  /** Strategy-specific options from the scenario (`byzantine.options`). */
  readonly options: Readonly<Record<string, string | number | boolean>>;
}

export interface StrategyDefinition {
  readonly name: string;
  /** One line for `avsim --help` and reports. */
  readonly description: string;
  /** Option names this strategy accepts; anything else is rejected at load time. */
  readonly options: readonly string[];
  /**
   * What the strategy's nodes share in memory (group.ts), if anything. Nodes
   * in separate processes (the real side) cannot share it, so the real side
   * refuses such a strategy unless its nodes run in one process.
   */
  readonly sharesInMemory?: string;
  create(ctx: StrategyContext): Behaviour;
}
