/**
 * What the parts of a Snowman node share: the host, the configuration, the
 * state that lives and dies with the process (consensus, polls, jobs,
 * mempool), the persisted accepted chain, and the parts themselves, which
 * call each other through it (block fetching, issuing, polling and voting,
 * transaction gossip, block building, sending).
 */
import type { NodeId } from '../host.js';
import type { AdaptiveTimeoutManager } from '../networking/adaptive-timeout.js';
import type { Benchlist } from '../networking/benchlist.js';
import { ConnectedStake } from '../networking/connected-stake.js';
import type { SnowmanConsensus } from '../snowman/consensus.js';
import { AcceptedChain, type SnowmanHost } from './accepted-chain.js';
import type { Behaviour, NodeView } from './behaviour.js';
import type { BlockBuilder } from './block-builder.js';
import type { BlockFetcher } from './block-fetcher.js';
import type { BlockIssuer } from './block-issuer.js';
import type { Bootstrapping } from './bootstrapping.js';
import type { SnowmanNodeConfig } from './config.js';
import { JobScheduler } from './jobs.js';
import { Mempool } from './mempool.js';
import type { NodeObserver } from './observer.js';
import type { PollSet } from './poll-set.js';
import type { Sender } from './sender.js';
import type { TxGossip } from './tx-gossip.js';
import type { Voter } from './voter.js';

export class NodeContext {
  readonly id: NodeId;
  // --- persisted across crashes ---
  readonly chain: AcceptedChain;
  /** Request and block ids come from counters persisted with the chain, so they stay unique after a restart. */
  requestCounter = 0;
  blockCounter = 0;

  // --- in memory; lost on crash ---
  alive = false;
  /**
   * Boots so far. Deferred work (a job waiting for blocks) remembers the
   * incarnation it was scheduled in and is dropped if the node has crashed
   * and booted again since.
   */
  incarnation = 0;
  consensus!: SnowmanConsensus;
  polls!: PollSet;
  /** The request timeout (AvalancheGo's adaptive timeout manager), fresh at every boot. */
  timeouts!: AdaptiveTimeoutManager;
  /** Peers whose requests keep failing, fresh at every boot. */
  benchlist!: Benchlist;
  /**
   * Fraction of stake connected (this node included), refreshed at boot and
   * on every frontier tick, and at once when connectivity changed: the
   * connected-stake gate before querying (networking/connected-stake.ts).
   */
  private readonly connected: ConnectedStake;
  readonly jobs = new JobScheduler();
  readonly mempool: Mempool;

  // --- the parts, set by SnowmanNode once all exist ---
  sender!: Sender;
  fetcher!: BlockFetcher;
  issuer!: BlockIssuer;
  voter!: Voter;
  gossip!: TxGossip;
  builder!: BlockBuilder;
  bootstrapping!: Bootstrapping;
  view!: NodeView;

  /** Whether `peer` is reachable and not benched: requests to it are worth sending. */
  reachable(peer: NodeId): boolean {
    return peer === this.id || (this.host.isConnected(peer) && !this.sender.isBenched(peer));
  }

  /** The connected fraction of stake before a query (AvalancheGo's tracker follows Connected/Disconnected at once). */
  currentConnectedStake(): number {
    return this.connected.current();
  }

  /** Recomputes the connected fraction of stake (AvalancheGo ConnectedValidators.ConnectedPercent). */
  refreshConnectedStake(): void {
    this.connected.refresh();
  }

  /** This node's uniform stream, as one reusable function (sampling calls it per draw). */
  readonly random = (): number => this.host.random();

  constructor(
    readonly host: SnowmanHost,
    readonly cfg: SnowmanNodeConfig,
    readonly behaviour: Behaviour,
    readonly observer: NodeObserver,
  ) {
    this.id = host.id;
    this.connected = new ConnectedStake(host, host.id, cfg.validators);
    this.chain = new AcceptedChain(cfg.genesis, cfg.options.servableAcceptedDepth, host.acceptedStore);
    // One registry for all the nodes of an engine when the run provides it (the node's id is its member index).
    this.mempool = cfg.txRegistry === undefined ? new Mempool(cfg.options.mempool) : new Mempool(cfg.options.mempool, cfg.txRegistry, host.id);
  }
}
