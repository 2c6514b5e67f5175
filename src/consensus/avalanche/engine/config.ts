/**
 * Configuration of an Avalanche DAG node. `SharedDagNodeConfig` is built
 * once per run and shared by every node; `DagNodeConfig` adds what differs
 * per node (behaviour, observer).
 */
import type { Micros } from '../../host.js';
import type { ValidatorSet } from '../../engine/sampler.js';
import { ancestorsLimitsProblems, DEFAULT_ANCESTORS_LIMITS, type AncestorsLimits } from '../../engine/bootstrap/ancestors.js';
import { adaptiveTimeoutProblems, DEFAULT_ADAPTIVE_TIMEOUT, type AdaptiveTimeoutConfig } from '../../networking/adaptive-timeout.js';
import { benchlistProblems, type BenchlistConfig } from '../../networking/benchlist.js';
import { validateAvalancheParams, type AvalancheParams } from '../params.js';
import type { DagBehaviour } from './behaviour.js';
import type { DagMessageModel } from './messages.js';
import type { DagNodeObserver } from './observer.js';

export interface DagEngineOptions {
  /** Period of the frontier timer: repoll if something virtuous is processing and polls were lost, try issuing, strategy ticks. */
  readonly frontierPollIntervalUs: Micros;
  /** How often a random accepted-frontier vertex is gossiped to one peer (AvalancheGo Gossip; 0 disables). */
  readonly gossipIntervalUs: Micros;
  /**
   * Of a new vertex's K-sample, how many distinct validators get a push-query
   * (the vertex itself); the rest get a pull-query (AvalancheGo
   * --snow-mixed-query-num-push-vdr, default 10).
   */
  readonly mixedQueryNumPush: number;
  /** Transactions waiting to be put into a vertex, at most. */
  readonly maxPendingTxs: number;
  /** Accepted vertices a node can serve to gets, newest first (older ones are on disk, not modelled). */
  readonly servableAcceptedDepth: number;
  /** Charge messageModel.cpuCostUs for every received message (false if the host charges it itself). */
  readonly chargeHandlingCpu: boolean;
  /**
   * Keep polling while anything is processing, rogue transactions included.
   * AvalancheGo (false) quiesces when no virtuous transaction is voted on, so
   * rogue conflicts are decided only while virtuous work drives polls.
   */
  readonly repollRogue: boolean;
  /**
   * The request timeout of queries, gets and bootstrapping requests: one
   * adaptive timeout per node, as the Snowman node's
   * (networking/adaptive-timeout.ts); a query unanswered in time fails
   * (QueryFailed), a get is abandoned (GetFailed).
   */
  readonly timeout: AdaptiveTimeoutConfig;
  /** Benching of peers whose requests keep failing (networking/benchlist.ts); undefined: AvalancheGo's defaults for K and Alpha. */
  readonly benchlist: BenchlistConfig | undefined;
  /** GetAncestors answers: most vertices sent / read, most bytes (engine/bootstrap/ancestors.ts). */
  readonly ancestors: AncestorsLimits;
  /** Bootstrap at the first start too (a restart always bootstraps). */
  readonly bootstrapAtGenesis: boolean;
}

export const DEFAULT_DAG_ENGINE_OPTIONS: DagEngineOptions = Object.freeze({
  frontierPollIntervalUs: 100_000,
  gossipIntervalUs: 1_000_000,
  mixedQueryNumPush: 10,
  maxPendingTxs: 100_000,
  servableAcceptedDepth: 4_096,
  chargeHandlingCpu: true,
  repollRogue: false,
  timeout: DEFAULT_ADAPTIVE_TIMEOUT,
  benchlist: undefined,
  ancestors: DEFAULT_ANCESTORS_LIMITS,
  bootstrapAtGenesis: false,
});

export interface SharedDagNodeConfig {
  readonly params: AvalancheParams;
  readonly validators: ValidatorSet;
  readonly messageModel: DagMessageModel;
  readonly options: DagEngineOptions;
}

export interface DagNodeConfig extends SharedDagNodeConfig {
  /** Defaults to the honest behaviour. */
  readonly behaviour?: DagBehaviour;
  readonly observer?: DagNodeObserver;
}

const OPTION_LIMITS: Readonly<Record<keyof DagEngineOptions, readonly [number, number] | undefined>> = {
  frontierPollIntervalUs: [1, 3_600_000_000],
  gossipIntervalUs: [0, 3_600_000_000],
  mixedQueryNumPush: [0, 10_000],
  maxPendingTxs: [1, 100_000_000],
  servableAcceptedDepth: [1, 10_000_000],
  chargeHandlingCpu: undefined,
  repollRogue: undefined,
  timeout: undefined,
  benchlist: undefined,
  ancestors: undefined,
  bootstrapAtGenesis: undefined,
};

/** Throws a one-line error naming the first bad field and the rule. */
export function validateDagNodeConfig(cfg: SharedDagNodeConfig): void {
  const v = validateAvalancheParams(cfg.params);
  if (!v.ok) throw new RangeError(`params: ${v.error}`);
  if (cfg.params.k > cfg.validators.totalStake) {
    throw new RangeError(`params.k (${cfg.params.k}) must be <= total stake (${cfg.validators.totalStake})`);
  }
  const o = cfg.options as unknown as Record<string, unknown>;
  for (const [field, range] of Object.entries(OPTION_LIMITS)) {
    if (range === undefined) continue;
    const [lo, hi] = range;
    const x = o[field];
    if (typeof x !== 'number' || !Number.isSafeInteger(x) || x < lo || x > hi) {
      throw new RangeError(`options.${field} must be an integer in [${lo}, ${hi}], got ${String(x)}`);
    }
  }
  const problems = [
    ...adaptiveTimeoutProblems(cfg.options.timeout).map((p) => `options.timeout.${p.field} ${p.message}`),
    ...(cfg.options.benchlist === undefined ? [] : benchlistProblems(cfg.options.benchlist).map((p) => `options.benchlist.${p.field} ${p.message}`)),
    ...ancestorsLimitsProblems(cfg.options.ancestors).map((p) => `options.ancestors.${p.field} ${p.message}`),
  ];
  if (problems.length > 0) throw new RangeError(problems[0]);
}
