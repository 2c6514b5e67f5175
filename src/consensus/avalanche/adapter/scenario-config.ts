/**
 * Scenario -> what every Avalanche DAG node of a run shares, and the DAG's
 * own scenario rules. The DAG takes K, ConcurrentRepolls, OptimalProcessing,
 * MaxOutstandingItems and MaxItemProcessingTime from `parameters` as Snowman
 * does, its single Alpha from `parameters.alphaPreference` (AvalancheGo's
 * DAG era had one Alpha: `alphaConfidence` must equal it) and BetaRogue from
 * `parameters.beta`; BetaVirtuous, Parents, BatchSize, the share of double
 * spends and the mixed-query push count are in its `protocol:` section.
 */
import { adaptiveTimeoutOf, benchlistOf } from '../../../scenario/networking.js';
import { z } from 'zod';
import { int, num } from '../../../scenario/fields.js';
import type { Scenario } from '../../../scenario/schema.js';
import { ValidatorSet } from '../../engine/sampler.js';
import { MAX_NODES_WITH_DOUBLE_SPENDS } from '../../snowman/block.js';
import { messageModelOf } from '../../snowman/scenario-config.js';
import { DEFAULT_DAG_ENGINE_OPTIONS, type SharedDagNodeConfig } from '../engine/config.js';
import { DagMessageModel } from '../engine/messages.js';
import { DEFAULT_AVALANCHE_PARAMS, MAX_BATCH_SIZE, MAX_PARENTS, validateAvalancheParams, type AvalancheParams } from '../params.js';

/** The scenario's `protocol:` section for the Avalanche DAG. */
export const AVALANCHE_SECTION = z.strictObject({
  name: z.literal('avalanche'),
  /** Consecutive successful polls that finalise a transaction never seen in conflict (BetaRogue is parameters.beta). */
  betaVirtuous: int(1, 1_000_000).default(DEFAULT_AVALANCHE_PARAMS.betaVirtuous),
  /** Most parents of a new vertex (AvalancheGo --snow-avalanche-num-parents). */
  parents: int(0, MAX_PARENTS).default(DEFAULT_AVALANCHE_PARAMS.parents),
  /** Most transactions in one vertex (AvalancheGo --snow-avalanche-batch-size). */
  batchSize: int(0, MAX_BATCH_SIZE).default(DEFAULT_AVALANCHE_PARAMS.batchSize),
  /** Share of client transactions double spent: a conflicting twin goes to another honest node at the same instant. */
  conflictFraction: num({ min: 0, max: 1 }).default(0),
  /** Of a new vertex's K-sample, distinct validators sent the vertex itself (the rest a pull-query). */
  mixedQueryNumPush: int(0, 10_000).default(DEFAULT_DAG_ENGINE_OPTIONS.mixedQueryNumPush),
  /**
   * Keep polling while anything is processing. AvalancheGo (false) stops when
   * only rogue transactions are voted on: with many double spends its
   * processing vertices fill up with undecided rogue ones and issuing stops.
   */
  repollRogue: z.boolean().default(false),
});

export type AvalancheSection = z.output<typeof AVALANCHE_SECTION>;

function sectionOf(scenario: Scenario): AvalancheSection {
  if (scenario.protocol.name !== 'avalanche') throw new RangeError(`protocol.name: expected avalanche, got ${scenario.protocol.name}`);
  return scenario.protocol as AvalancheSection;
}

/** The DAG parameters of a scenario (unvalidated). */
export function avalancheParamsOf(scenario: Scenario): AvalancheParams {
  const p = scenario.parameters;
  const s = sectionOf(scenario);
  return {
    k: p.k,
    alpha: p.alphaPreference,
    betaVirtuous: s.betaVirtuous,
    betaRogue: p.beta,
    concurrentRepolls: p.concurrentRepolls,
    optimalProcessing: p.optimalProcessing,
    maxOutstandingItems: p.maxOutstandingItems,
    maxItemProcessingTimeUs: p.maxItemProcessingTime,
    parents: s.parents,
    batchSize: s.batchSize,
  };
}

/** Which scenario field each inequality of validateAvalancheParams is about. */
const FIELD_OF_INEQUALITY: ReadonlyArray<[RegExp, ReadonlyArray<string>]> = [
  [/^K\/2 < Alpha|^Alpha <= K/, ['parameters', 'alphaPreference']],
  [/BetaVirtuous/, ['protocol', 'betaVirtuous']],
  [/ConcurrentRepolls/, ['parameters', 'concurrentRepolls']],
  [/Parents/, ['protocol', 'parents']],
  [/BatchSize/, ['protocol', 'batchSize']],
  [/BetaRogue/, ['parameters', 'beta']],
];

/** The DAG's cross-field rules, each naming its field and the rule (ProtocolAdapter.rules). */
export function avalancheRules(scenario: Scenario): Array<{ path: string[]; message: string }> {
  const out: Array<{ path: string[]; message: string }> = [];
  const p = scenario.parameters;
  if (p.alphaConfidence !== p.alphaPreference) {
    out.push({
      path: ['parameters', 'alphaConfidence'],
      message: `the Avalanche DAG (AvalancheGo v1.9) has one Alpha: must equal alphaPreference (${p.alphaPreference}), got ${p.alphaConfidence}`,
    });
  }
  if (p.terminationConditions !== undefined) {
    out.push({ path: ['parameters', 'terminationConditions'], message: 'not used by the Avalanche DAG (BetaVirtuous / BetaRogue decide): remove it' });
  }
  const v = validateAvalancheParams(avalancheParamsOf(scenario));
  if (!v.ok) {
    const path = FIELD_OF_INEQUALITY.find(([re]) => re.test(v.error))?.[1] ?? ['protocol'];
    out.push({ path: [...path], message: `fails ${v.error}` });
  }
  const s = sectionOf(scenario);
  if (s.conflictFraction > 0 && scenario.nodes.count > MAX_NODES_WITH_DOUBLE_SPENDS) {
    out.push({
      path: ['protocol', 'conflictFraction'],
      message: `double spends need nodes.count <= ${MAX_NODES_WITH_DOUBLE_SPENDS} (their ids use a second owner range), got ${scenario.nodes.count}`,
    });
  }
  return out;
}

export function sharedDagNodeConfigOf(scenario: Scenario, stake: Uint32Array): SharedDagNodeConfig {
  const params = avalancheParamsOf(scenario);
  const v = validateAvalancheParams(params);
  if (!v.ok) throw new RangeError(`invalid avalanche parameters: ${v.error}`);
  const snowmanModel = messageModelOf(scenario);
  return {
    params,
    validators: new ValidatorSet([...stake]),
    messageModel: new DagMessageModel(snowmanModel.size, snowmanModel.cpu),
    options: {
      ...DEFAULT_DAG_ENGINE_OPTIONS,
      mixedQueryNumPush: sectionOf(scenario).mixedQueryNumPush,
      repollRogue: sectionOf(scenario).repollRogue,
      // The scenario's networking section, as for Snowman (one Alpha in the DAG era).
      timeout: adaptiveTimeoutOf(scenario.networking),
      benchlist: benchlistOf(scenario.networking, { k: params.k, alphaConfidence: params.alpha }),
      // The simulator's CPU queue charges message handling (the message model's cpuCost) before delivery.
      chargeHandlingCpu: false,
    },
  };
}
