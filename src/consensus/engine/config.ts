/**
 * Configuration of a Snowman node. `SharedNodeConfig` is built once per run
 * and shared by every node (validator set, message model, proposer schedule);
 * `SnowmanNodeConfig` adds what differs per node (behaviour, observer).
 */
import type { Micros } from '../host.js';
import { validateParams, type ConsensusParams } from '../params.js';
import type { Block } from '../snowman/block.js';
import type { SnowmanConsensus } from '../snowman/consensus.js';
import type { Behaviour } from './behaviour.js';
import type { MempoolLimits } from './mempool.js';
import { DEFAULT_MEMPOOL_LIMITS } from './mempool.js';
import type { MessageModel } from './messages.js';
import type { NodeObserver } from './observer.js';
import type { ProposerSchedule } from './proposer.js';
import type { ValidatorSet } from './sampler.js';
import type { TxRegistry } from './tx-registry.js';

export interface EngineOptions {
  /**
   * A query unanswered after this long counts as failed (QueryFailed). AvalancheGo's
   * adaptive timeout starts at 5 s and never goes below 2 s; 2 s is its floor.
   */
  readonly queryTimeoutUs: Micros;
  /** A get unanswered after this long is abandoned (GetFailed); same default as queries. */
  readonly getTimeoutUs: Micros;
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
  /** Accepted blocks a node can serve to get requests, newest first (older ones are on disk, not modelled). */
  readonly servableAcceptedDepth: number;
  readonly mempool: MempoolLimits;
}

export const DEFAULT_ENGINE_OPTIONS: EngineOptions = Object.freeze({
  queryTimeoutUs: 2_000_000,
  getTimeoutUs: 2_000_000,
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
  queryTimeoutUs: [1, 3_600_000_000],
  getTimeoutUs: [1, 3_600_000_000],
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
  if (cfg.genesis.height !== 0) throw new RangeError(`genesis.height must be 0, got ${cfg.genesis.height}`);
}
