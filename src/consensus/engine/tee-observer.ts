/** Forwards every node report to two observers (the run's collector and, e.g., a test's recorder). */
import type { BootstrapOutcome } from './bootstrapping.js';
import type { DropReason, NodeObserver, PollOutcome } from './observer.js';
import type { Micros, NodeId } from '../host.js';
import type { Block, TxId } from '../snowman/block.js';

export class TeeObserver implements NodeObserver {
  constructor(
    private readonly a: NodeObserver,
    private readonly b: NodeObserver,
  ) {}
  onBlockBuilt(block: Block, node: NodeId, time: Micros): void {
    this.a.onBlockBuilt?.(block, node, time);
    this.b.onBlockBuilt?.(block, node, time);
  }
  onBlockIssued(block: Block, node: NodeId, time: Micros): void {
    this.a.onBlockIssued?.(block, node, time);
    this.b.onBlockIssued?.(block, node, time);
  }
  onAccept(block: Block, node: NodeId, time: Micros): void {
    this.a.onAccept?.(block, node, time);
    this.b.onAccept?.(block, node, time);
  }
  onReject(block: Block, node: NodeId, time: Micros): void {
    this.a.onReject?.(block, node, time);
    this.b.onReject?.(block, node, time);
  }
  onPollFinished(outcome: PollOutcome, node: NodeId, time: Micros): void {
    this.a.onPollFinished?.(outcome, node, time);
    this.b.onPollFinished?.(outcome, node, time);
  }
  onTxSubmitted(tx: TxId, node: NodeId, time: Micros): void {
    this.a.onTxSubmitted?.(tx, node, time);
    this.b.onTxSubmitted?.(tx, node, time);
  }
  onTxAccepted(tx: TxId, node: NodeId, time: Micros): void {
    this.a.onTxAccepted?.(tx, node, time);
    this.b.onTxAccepted?.(tx, node, time);
  }
  onDrop(reason: DropReason, node: NodeId, time: Micros): void {
    this.a.onDrop?.(reason, node, time);
    this.b.onDrop?.(reason, node, time);
  }

  onBootstrapped(outcome: BootstrapOutcome, node: NodeId, time: Micros): void {
    this.a.onBootstrapped?.(outcome, node, time);
    this.b.onBootstrapped?.(outcome, node, time);
  }
}
