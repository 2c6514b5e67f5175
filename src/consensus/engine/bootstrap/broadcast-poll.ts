/**
 * The request bookkeeping shared by the bootstrapping frontier polls
 * (AvalancheGo snow/consensus/snowman/bootstrapper/requests.go, minority.go,
 * majority.go): peers still to ask, at most `maxOutstanding` asked at once, and
 * the block ids each answer named. A failed request is recorded as an answer
 * naming nothing. Peers are asked in node-id order (AvalancheGo takes them
 * from a set).
 */
import type { NodeId } from '../../host.js';
import type { BlockId } from '../../snowman/block.js';

export class BroadcastPoll {
  private readonly pendingSend: NodeId[];
  private readonly outstanding = new Set<NodeId>();
  private readonly answers = new Map<NodeId, readonly BlockId[]>();

  constructor(
    peers: readonly NodeId[],
    private readonly maxOutstanding: number,
  ) {
    this.pendingSend = [...new Set(peers)].toSorted((a, b) => b - a); // popped from the end: ascending
  }

  /** Peers to ask now (marked outstanding). */
  nextToSend(): NodeId[] {
    const out: NodeId[] = [];
    while (this.outstanding.size < this.maxOutstanding && this.pendingSend.length > 0) {
      const p = this.pendingSend.pop()!;
      this.outstanding.add(p);
      out.push(p);
    }
    return out;
  }

  /** Records `from`'s answer; false if `from` was not asked or already answered. */
  record(from: NodeId, ids: readonly BlockId[]): boolean {
    if (!this.outstanding.delete(from)) return false;
    this.answers.set(from, ids);
    return true;
  }

  finished(): boolean {
    return this.pendingSend.length === 0 && this.outstanding.size === 0;
  }

  /** Every id any answer named, ascending (the minority poll's result). */
  union(): BlockId[] {
    const s = new Set<BlockId>();
    for (const ids of this.answers.values()) for (const id of ids) s.add(id);
    return [...s].toSorted((a, b) => a - b);
  }

  /** Each named id with the summed weight of the peers that named it, ascending by id (the majority poll's tally). */
  weighted(weightOf: (n: NodeId) => number): Array<[BlockId, number]> {
    const w = new Map<BlockId, number>();
    for (const [peer, ids] of this.answers) for (const id of new Set(ids)) w.set(id, (w.get(id) ?? 0) + weightOf(peer));
    return [...w.entries()].toSorted((a, b) => a[0] - b[0]);
  }
}
