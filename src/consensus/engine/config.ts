/**
 * Configuration of a Snowman node. `SharedNodeConfig` is built once per run
 * and shared by every node (validator set, message model, proposer schedule);
 * `SnowmanNodeConfig` adds what differs per node (behaviour, observer).
 */
import type { Micros } from '../host.js';
import { adaptiveTimeoutProblems, DEFAULT_ADAPTIVE_TIMEOUT, type AdaptiveTimeoutConfig } from '../networking/adaptive-timeout.js';
import { benchlistProblems, type BenchlistConfig } from '../networking/benchlist.js';
import { validateParams, type ConsensusParams } from '../params.js';
import type { Block } from '../snowman/block.js';
import type { SnowmanConsensus } from '../snowman/consensus.js';
import type { Behaviour } from './behaviour.js';
import { ancestorsLimitsProblems, DEFAULT_ANCESTORS_LIMITS, type AncestorsLimits } from './bootstrap/ancestors.js';
import type { MempoolLimits } from './mempool.js';
import { DEFAULT_MEMPOOL_LIMITS } from './mempool.js';
import type { MessageModel } from './messages.js';
import type { NodeObserver } from './observer.js';
import type { ProposerSchedule } from './proposer.js';
import type { ValidatorSet } from './sampler.js';
import type { TxRegistry } from './tx-registry.js';

export interface EngineOptions {
  /**
   * The request timeout of queries, gets and bootstrapping requests: one
   * adaptive timeout per node (AvalancheGo utils/timer/adaptive_timeout_manager.go,
   * networking/adaptive-timeout.ts); a request unanswered in time fails
   * (QueryFailed, GetFailed, …).
   */
  readonly timeout: AdaptiveTimeoutConfig;
  /** Benching of peers whose requests keep failing (networking/benchlist.ts); undefined: AvalancheGo's defaults for these parameters. */
  readonly benchlist: BenchlistConfig | undefined;
  /** GetAncestors answers: most blocks sent / read, most bytes (bootstrap/ancestors.ts). */
  readonly ancestors: AncestorsLimits;
  /**
   * Bootstrap when the node first starts with an empty chain (AvalancheGo
   * always bootstraps). Off by default: a network launched together at
   * genesis has nothing to fetch, and the round of frontier polls would only
   * shift every honest run's events. A restart, and a start from a restored
   * chain, always bootstrap.
   */
  readonly bootstrapAtGenesis: boolean;
  /**
   * Frontier poll period (AvalancheGo --consensus-frontier-poll-frequency,
   * default 100 ms): repoll if blocks are processing, otherwise pull-query one
   * random validator to learn of blocks this node missed.
   */
  readonly frontierPollIntervalUs: Micros;
  /** A proposer builds on a parent at least this long after the parent was built (Snowman++ minimum block delay). */
  readonly minBlockDelayUs: Micros;
  /** Most transactions in one block. */
  readonly maxBlockTxs: number;
  /** Newly seen transactions are pushed to peers in batches, this often. */
  readonly txGossipIntervalUs: Micros;
  /** Peers (uniform, distinct) each batch of new transactions is pushed to. */
  readonly txGossipFanout: number;
  /** Most transactions in one gossip message; the rest waits for the next batch. */
  readonly maxTxGossipBatch: number;
  /** Peers a proposer pushes a new block to as unsolicited puts, beyond its K-sample (0: none, as AvalancheGo's engine). */
  readonly blockGossipFanout: number;
  /**
   * See vote-graph.ts: count siblings' shared-prefix groups in early
   * termination, as AvalancheGo's early_term_traversal does for its trie (on by
   * default; the runner turns it off with the flat per-parent instance unless
   * the scenario says otherwise).
   */
  readonly prefixVoteCounts: boolean;
  /** Charge messageModel.cpuCostUs for every received message (false if the host charges it itself). */
  readonly chargeHandlingCpu: boolean;
  /** Accepted blocks indexed by id, newest first (older ones are still served, found by a scan of the chain). */
  readonly servableAcceptedDepth: number;
  readonly mempool: MempoolLimits;
}

export const DEFAULT_ENGINE_OPTIONS: EngineOptions = Object.freeze({
  timeout: DEFAULT_ADAPTIVE_TIMEOUT,
  benchlist: undefined,
  ancestors: DEFAULT_ANCESTORS_LIMITS,
  bootstrapAtGenesis: false,
  frontierPollIntervalUs: 100_000,
  // Snowman++ on the C-Chain targets one block per ~1-2 s; we allow faster.
  minBlockDelayUs: 250_000,
  // A tx is ~5.5 KB with its ML-DSA-65 signature and key: 350 txs make a
  // ~1.9 MB block, just under AvalancheGo's 2 MiB maximum message size.
  maxBlockTxs: 350,
  txGossipIntervalUs: 50_000,
  txGossipFanout: 4,
  maxTxGossipBatch: 64,
  blockGossipFanout: 0,
  prefixVoteCounts: true,
  chargeHandlingCpu: true,
  servableAcceptedDepth: 512,
  mempool: DEFAULT_MEMPOOL_LIMITS,
});

export interface SharedNodeConfig {
  readonly params: ConsensusParams;
  readonly validators: ValidatorSet;
  readonly genesis: Block;
  /** A fresh consensus instance whose last accepted block is `lastAccepted` (at boot and after restart). */
  readonly createConsensus: (lastAccepted: Block) => SnowmanConsensus;
  readonly messageModel: MessageModel;
  readonly schedule: ProposerSchedule;
  readonly options: EngineOptions;
  /**
   * Run-wide transaction state shared by the nodes of one engine (one member
   * per validator, indexed by node id); without it each node keeps its own.
   */
  readonly txRegistry?: TxRegistry;
}

export interface SnowmanNodeConfig extends SharedNodeConfig {
  /** Defaults to HonestBehaviour. */
  readonly behaviour?: Behaviour;
  readonly observer?: NodeObserver;
}

/** Limits on options, so that a typo cannot ask for an absurd run. */
const OPTION_LIMITS: Readonly<Record<string, readonly [number, number]>> = {
  frontierPollIntervalUs: [1, 3_600_000_000],
  minBlockDelayUs: [0, 3_600_000_000],
  maxBlockTxs: [0, 1_000_000],
  txGossipIntervalUs: [1, 3_600_000_000],
  txGossipFanout: [0, 10_000],
  maxTxGossipBatch: [1, 1_000_000],
  blockGossipFanout: [0, 10_000],
  servableAcceptedDepth: [1, 1_000_000],
};

/** Throws a one-line error naming the first bad field and the rule. */
export function validateNodeConfig(cfg: SharedNodeConfig): void {
  const v = validateParams(cfg.params);
  if (!v.ok) throw new RangeError(`params: ${v.error}`);
  if (cfg.params.k > cfg.validators.totalStake) {
    throw new RangeError(`params.k (${cfg.params.k}) must be <= total stake (${cfg.validators.totalStake})`);
  }
  const o = cfg.options as unknown as Record<string, unknown>;
  for (const [field, [lo, hi]] of Object.entries(OPTION_LIMITS)) {
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
  if (cfg.genesis.height !== 0) throw new RangeError(`genesis.height must be 0, got ${cfg.genesis.height}`);
}
