/**
 * Test-only: scripted peers that answer the real node's queries. Steps the
 * fake network 1 ms at a time and, for every new pull- or push-query sent to
 * a peer, injects that peer's chits when `answers(peer, now)` says so (a
 * vote for the queried block, the genesis accepted).
 */
import type { Micros, NodeId } from '../host.js';
import type { BlockId } from '../snowman/block.js';
import type { FakeNetwork } from './fake-network.testkit.js';
import type { Message } from './messages.js';
import { GENESIS } from './node-fixture.testkit.js';
import type { ClientTx } from './snowman-node.js';

export class ScriptedPeers {
  private seen = 0;

  constructor(
    private readonly net: FakeNetwork<Message, ClientTx>,
    /** Whether `peer` answers a query it receives at `now`. */
    private readonly answers: (peer: NodeId, now: Micros) => boolean,
    /** The node under test. */
    private readonly self: NodeId = 0,
  ) {}

  runUntil(until: Micros): void {
    const net = this.net;
    for (let t = net.now; t < until; t += 1_000) {
      net.runUntil(Math.min(until, t + 1_000));
      for (; this.seen < net.outbox.length; this.seen++) {
        const s = net.outbox[this.seen]!;
        const queried: BlockId | undefined = s.msg.kind === 'pull-query' ? s.msg.blockId : s.msg.kind === 'push-query' ? s.msg.block.id : undefined;
        if (queried === undefined || s.from !== this.self || !this.answers(s.to, net.now)) continue;
        if (s.msg.kind !== 'pull-query' && s.msg.kind !== 'push-query') continue;
        net.inject(s.to, this.self, { kind: 'chits', requestId: s.msg.requestId, preferredId: queried, preferredIdAtHeight: queried, acceptedId: GENESIS.id, acceptedHeight: 0 });
      }
    }
  }
}
