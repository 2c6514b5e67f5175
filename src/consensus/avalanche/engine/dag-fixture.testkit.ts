/** Test-only helpers to build DAG engine configs and vertices. */
import { DEFAULT_CPU_COSTS, DEFAULT_SIZE_MODEL } from '../../engine/messages.js';
import { ValidatorSet } from '../../engine/sampler.js';
import { DEFAULT_AVALANCHE_PARAMS, type AvalancheParams } from '../params.js';
import { vertexIdOf, type InputId, type TxId, type VertexId } from '../vertex.js';
import { DEFAULT_DAG_ENGINE_OPTIONS, type DagEngineOptions, type SharedDagNodeConfig } from './config.js';
import { DagMessageModel, type AvaTx, type Vertex } from './messages.js';

export function sharedDagConfig(
  stakes: readonly number[],
  params: Partial<AvalancheParams> = {},
  options: Partial<DagEngineOptions> = {},
): SharedDagNodeConfig {
  return {
    params: { ...DEFAULT_AVALANCHE_PARAMS, ...params },
    validators: new ValidatorSet(stakes),
    messageModel: new DagMessageModel(DEFAULT_SIZE_MODEL, DEFAULT_CPU_COSTS),
    options: { ...DEFAULT_DAG_ENGINE_OPTIONS, ...options },
  };
}

export function avaTx(id: TxId, ...inputs: InputId[]): AvaTx {
  return { id, inputs, deps: [], submittedAt: 0 };
}

/** Vertex `counter` of `issuer` on `parents` (height 1 + the highest parent's, given). */
export function vertex(issuer: number, counter: number, parents: readonly VertexId[], txs: readonly AvaTx[], parentHeight = 0): Vertex {
  return { id: vertexIdOf(issuer, counter), parents, txs, height: parentHeight + 1, issuer, sizeBytes: 1_000, builtAt: 0 };
}
