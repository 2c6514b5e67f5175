/**
 * sybil: one operator behind many validator identities. Each identity votes
 * against what it is asked about, and all of them name the same block (the
 * lowest-id conflicting block, else the last accepted one), like one
 * always-reject voter cloned. What makes an identity count is the sampler:
 * AvalancheGo samples stake units, so identities holding little stake are
 * rarely drawn however many there are; a sampler that draws identities
 * uniformly would give each one a full slot. The simulator's sampler is
 * stake-weighted; identity-uniform sampling is exactly stake-weighted
 * sampling with equal stake (one unit per validator), which is how
 * experiments/bft-sybil.yaml contrasts the two (`nodes.stake`).
 */
import { AlwaysRejectBehaviour } from './always-reject.js';
import type { StrategyDefinition } from './strategy.js';

export class SybilBehaviour extends AlwaysRejectBehaviour {
  override readonly name = 'sybil';
}

export const sybil: StrategyDefinition = {
  name: 'sybil',
  description: 'many identities of one operator voting as one bloc against what they are asked about',
  options: [],
  create: () => new SybilBehaviour(),
};
