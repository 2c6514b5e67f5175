/** Scenario -> the configuration every Snowman node of the run shares. */
import { DEFAULT_ENGINE_OPTIONS, type SharedNodeConfig } from '../engine/config.js';
import { DEFAULT_CPU_COSTS, DEFAULT_SIZE_MODEL, MessageModel, ML_DSA_65_PUBLIC_KEY_BYTES, ML_DSA_65_SIGNATURE_BYTES } from '../engine/messages.js';
import { ProposerSchedule } from '../engine/proposer.js';
import { ValidatorSet } from '../engine/sampler.js';
import { assertValidParams, type ConsensusParams } from '../params.js';
import { GENESIS_ID, type Block } from './block.js';
import { Topological } from './topological.js';
import { adaptiveTimeoutOf, benchlistOf } from '../../scenario/networking.js';
import type { Scenario } from '../../scenario/schema.js';

export const GENESIS: Block = Object.freeze({
  id: GENESIS_ID,
  parent: -1,
  height: 0,
  proposer: -1,
  txs: Object.freeze([]) as readonly number[],
  sizeBytes: 0,
  builtAt: 0,
});

export function consensusParamsOf(scenario: Scenario): ConsensusParams {
  const p = scenario.parameters;
  return assertValidParams({
    k: p.k,
    alphaPreference: p.alphaPreference,
    alphaConfidence: p.alphaConfidence,
    beta: p.beta,
    concurrentRepolls: p.concurrentRepolls,
    optimalProcessing: p.optimalProcessing,
    maxOutstandingItems: p.maxOutstandingItems,
    maxItemProcessingTimeUs: p.maxItemProcessingTime,
    ...(p.terminationConditions === undefined ? {} : { terminationConditions: p.terminationConditions }),
  });
}

export function messageModelOf(scenario: Scenario): MessageModel {
  const payload = scenario.workload.txBytes - ML_DSA_65_SIGNATURE_BYTES - ML_DSA_65_PUBLIC_KEY_BYTES;
  if (payload < 0) {
    throw new RangeError(
      `workload.txBytes: must be >= ${ML_DSA_65_SIGNATURE_BYTES + ML_DSA_65_PUBLIC_KEY_BYTES} (an ML-DSA-65 signature and public key), got ${scenario.workload.txBytes}`,
    );
  }
  const c = scenario.cpu;
  return new MessageModel(
    { ...DEFAULT_SIZE_MODEL, txPayloadBytes: payload, envelopeBytes: scenario.network.messageOverheadBytes },
    {
      ...DEFAULT_CPU_COSTS,
      handlePerMessageUs: c.handlePerMessage,
      handlePerKibUs: c.handlePerKib,
      blockVerifyBaseUs: c.blockVerifyBase,
      blockVerifyPerTxUs: c.blockVerifyPerTx,
      sigVerifyUs: c.sigVerify,
      sigSignUs: c.sigSign,
      buildPerTxUs: c.buildPerTx,
      reverifyTxSignaturesInBlocks: c.reverifyTxSignaturesInBlocks,
    },
  );
}

export function sharedNodeConfigOf(scenario: Scenario, seed: number, stake: Uint32Array): SharedNodeConfig {
  const params = consensusParamsOf(scenario);
  const validators = new ValidatorSet([...stake]);
  const section = scenario.protocol;
  if (section.name !== 'snowman') throw new RangeError(`protocol.name: the Snowman node configuration needs snowman, got ${section.name}`);
  const { decision, instance } = section;
  return {
    params,
    validators,
    genesis: GENESIS,
    createConsensus: (lastAccepted) => new Topological(params, lastAccepted, { decision, instance }),
    messageModel: messageModelOf(scenario),
    // One proposer per slot; a slot lasts the minimum block delay.
    schedule: new ProposerSchedule(validators, seed, Math.max(1, scenario.blocks.minBlockDelay)),
    options: {
      ...DEFAULT_ENGINE_OPTIONS,
      timeout: adaptiveTimeoutOf(scenario.networking),
      benchlist: benchlistOf(scenario.networking, params),
      minBlockDelayUs: scenario.blocks.minBlockDelay,
      maxBlockTxs: scenario.blocks.maxTxsPerBlock,
      // Shared-prefix groups exist only in the trie, unless the scenario asks otherwise.
      prefixVoteCounts: section.prefixVoteCounts ?? instance === 'tree',
      // The simulator's CPU queue charges message handling (MessageModel.cpuCost) before delivery.
      chargeHandlingCpu: false,
    },
  };
}
