/**
 * The fraction of stake a node sees connected, itself included (AvalancheGo
 * ConnectedValidators.ConnectedPercent), the gate before a query: below
 * alpha/K of the stake connected, no poll can reach alpha, so the engine does
 * not query (snowman engine.go abortDueToInsufficientConnectedStake).
 * Re-read at once when the host's connectivity changed (Host.connectivityVersion);
 * a host without it: as of the last refresh.
 */
import type { Host, NodeId } from '../host.js';
import type { ValidatorSet } from '../engine/sampler.js';

export class ConnectedStake {
  private fraction = 1;
  /** The host's connectivity version when the fraction was computed (-1: never, or the host gives none). */
  private version = -1;

  constructor(
    private readonly host: Host<unknown>,
    private readonly self: NodeId,
    private readonly validators: ValidatorSet,
  ) {}

  /** The connected fraction now (recomputed if the host's connectivity changed). */
  current(): number {
    if (this.host.connectivityVersion !== undefined) this.refresh();
    return this.fraction;
  }

  /** Recomputes the fraction; a no-op while connectivity is unchanged (an O(validators) scan otherwise). */
  refresh(): void {
    const version = this.host.connectivityVersion?.() ?? -1;
    if (version >= 0 && version === this.version) return;
    this.version = version;
    const v = this.validators;
    let connected = 0;
    for (let n = 0; n < v.size; n++) if (n === this.self || this.host.isConnected(n)) connected += v.stakeOf(n);
    this.fraction = connected / v.totalStake;
  }
}
