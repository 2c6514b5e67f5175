/**
 * What a node reports to the metrics layer. Every method is optional; the
 * node calls them synchronously at the virtual time given.
 */
import type { Micros, NodeId } from '../host.js';
import type { Block, TxId } from '../snowman/block.js';
import type { BootstrapOutcome } from './bootstrapping.js';
import type { RequestId } from './messages.js';
import type { TerminationReason } from './poll.js';

export interface PollOutcome {
  readonly requestId: RequestId;
  /**
   * Some processing block got at least alphaPreference votes (transitively):
   * the poll moved the first undecided instance, rather than resetting it.
   */
  readonly successful: boolean;
  readonly reason: TerminationReason;
  /** Slots of the sample (K). */
  readonly sampleSize: number;
  /** Slots whose answer named a votable block. */
  readonly receivedSlots: number;
  /** Votes of the best-supported processing block. */
  readonly maxVotes: number;
  readonly durationUs: Micros;
  /** Blocks this poll's result accepted on this node. */
  readonly accepted: number;
}

/** Why a node refused or gave up something; counted by the metrics layer. */
export type DropReason =
  | 'pending-full' // maxOutstandingItems blocks already waiting for ancestors
  | 'get-timeout' // a requested block did not arrive
  | 'mempool-full'
  | 'poll-refused' // the poll set refused a new poll
  | 'expired' // an inbound request waited past its deadline before it was handled (AvalancheGo handler)
  | 'unrequested' // a late or unrequested response (AvalancheGo chain_router)
  | 'insufficient-stake' // a query not sent: less than alphaConfidence/K of the stake connected (engine.go)
  | 'failed-fast'; // a request to an unreachable or benched peer failed at once (snow/networking/sender)

export interface NodeObserver {
  /** This node built a block (before issuing it). */
  onBlockBuilt?(block: Block, node: NodeId, time: Micros): void;
  /** A block entered this node's consensus (verified and processing). */
  onBlockIssued?(block: Block, node: NodeId, time: Micros): void;
  onAccept?(block: Block, node: NodeId, time: Micros): void;
  onReject?(block: Block, node: NodeId, time: Micros): void;
  onPollFinished?(outcome: PollOutcome, node: NodeId, time: Micros): void;
  /** A client submitted a transaction to this node. */
  onTxSubmitted?(tx: TxId, node: NodeId, time: Micros): void;
  /**
   * A transaction submitted to this node was accepted here (called on the
   * submitting node only: client-observed finality; per-node acceptance of
   * every tx is available through onAccept's block.txs).
   */
  onTxAccepted?(tx: TxId, node: NodeId, time: Micros): void;
  onDrop?(reason: DropReason, node: NodeId, time: Micros): void;
  /** This node finished bootstrapping (after a restart, or a start from a restored chain). */
  onBootstrapped?(outcome: BootstrapOutcome, node: NodeId, time: Micros): void;
}

export const NO_OBSERVER: NodeObserver = Object.freeze({});
