/**
 * split-brain: equivocating proposals (equivocating-proposer.ts) plus
 * always-accept votes, so each honest half hears its own branch confirmed by
 * every Byzantine vote. A poll of an honest node then holds about
 * (1−f)·K/2 honest + f·K Byzantine votes for its own branch; once that
 * reaches alphaPreference (f ≥ 2α/K − 1) both halves can finalise different
 * blocks: the attack that makes α/K the safety threshold. Same as
 * always-accept with `options: {equivocate: true}`, under its own name so a
 * gate can list it beside strategies that take no options.
 */
import { AlwaysAcceptBehaviour } from './always-accept.js';
import type { StrategyDefinition } from './strategy.js';

export const splitBrain: StrategyDefinition = {
  name: 'split-brain',
  description: 'equivocating proposals, and votes that confirm whatever branch each asker holds',
  options: [],
  create: (ctx) => new AlwaysAcceptBehaviour({ nodeCount: ctx.nodeCount, byzantine: ctx.byzantine }),
};
