/** Test-only helpers to build engine configs and blocks. */
import { DEFAULT_PARAMS, type ConsensusParams } from '../params.js';
import { GENESIS_ID, blockIdOf, type Block, type BlockId, type TxId } from '../snowman/block.js';
import { Topological } from '../snowman/topological.js';
import { DEFAULT_ENGINE_OPTIONS, type EngineOptions, type SharedNodeConfig } from './config.js';
import { MessageModel } from './messages.js';
import { ProposerSchedule } from './proposer.js';
import { ValidatorSet } from './sampler.js';

export const GENESIS: Block = Object.freeze({
  id: GENESIS_ID,
  parent: -1,
  height: 0,
  proposer: -1,
  txs: [],
  sizeBytes: 0,
  builtAt: 0,
});

export function sharedConfig(
  stakes: readonly number[],
  params: Partial<ConsensusParams> = {},
  options: Partial<EngineOptions> = {},
  seed = 1,
  slotDurationUs = 1_000_000,
): SharedNodeConfig {
  const p: ConsensusParams = { ...DEFAULT_PARAMS, ...params };
  const validators = new ValidatorSet(stakes);
  return {
    params: p,
    validators,
    genesis: GENESIS,
    createConsensus: (la) => new Topological(p, la),
    messageModel: new MessageModel(),
    schedule: new ProposerSchedule(validators, seed, slotDurationUs),
    options: { ...DEFAULT_ENGINE_OPTIONS, ...options },
  };
}

export function block(proposer: number, counter: number, parent: Block, txs: readonly TxId[] = []): Block {
  return { id: blockIdOf(proposer, counter), parent: parent.id, height: parent.height + 1, proposer, txs, sizeBytes: 1_000, builtAt: 0 };
}

export type { BlockId };
