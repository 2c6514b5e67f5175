/**
 * Chooses the algorithm of each decision (AvalancheGo factory.go:
 * SnowflakeFactory / SnowballFactory). Current AvalancheGo Snowman uses
 * Snowflake; the kind is a parameter here so Snowball can be compared.
 * Termination conditions are derived once and shared by every instance.
 */
import { type ConsensusParams, terminationConditionsOf } from '../params.js';
import { BinarySnowball } from './binary-snowball.js';
import { NnarySnowball } from './nnary-snowball.js';
import { BinarySlush, NnarySlush } from './slush.js';
import { BinarySnowflake, NnarySnowflake } from './snowflake.js';
import type { BinaryInstance, Bit, NnaryInstance, UnaryInstance } from './types.js';
import { UnarySnowball, UnarySnowflake } from './unary.js';

export type DecisionKind = 'slush' | 'snowflake' | 'snowball';

export const DECISION_KINDS: readonly DecisionKind[] = ['slush', 'snowflake', 'snowball'];

export interface DecisionFactory {
  readonly kind: DecisionKind;
  newNnary(initialChoice: number): NnaryInstance;
  newBinary(initialChoice: Bit): BinaryInstance;
  /** Slush has no unary form (it keeps no confidence): throws for kind 'slush'. */
  newUnary(): UnaryInstance;
}

/** Parameters are assumed valid (see validateParams). */
export function decisionFactory(kind: DecisionKind, params: ConsensusParams): DecisionFactory {
  const alpha = params.alphaPreference;
  const tcs = Object.freeze(terminationConditionsOf(params).map((t) => Object.freeze({ ...t })));
  switch (kind) {
    case 'slush':
      return {
        kind,
        newNnary: (c) => new NnarySlush(alpha, c),
        newBinary: (c) => new BinarySlush(alpha, c),
        newUnary: () => {
          throw new Error('decision kind slush has no unary instance (it keeps no confidence)');
        },
      };
    case 'snowflake':
      return {
        kind,
        newNnary: (c) => new NnarySnowflake(alpha, tcs, c),
        newBinary: (c) => new BinarySnowflake(alpha, tcs, c),
        newUnary: () => new UnarySnowflake(alpha, tcs),
      };
    case 'snowball':
      return {
        kind,
        newNnary: (c) => new NnarySnowball(alpha, tcs, c),
        newBinary: (c) => new BinarySnowball(alpha, tcs, c),
        newUnary: () => new UnarySnowball(alpha, tcs),
      };
  }
}
