import { describe, expect, it } from 'vitest';
import { createStream } from '../../../sim/rng.js';
import type { NodeId } from '../../host.js';
import type { Block, BlockId } from '../../snowman/block.js';
import { ValidatorSet } from '../sampler.js';
import { ancestorsOf, DEFAULT_ANCESTORS_LIMITS } from './ancestors.js';
import { type BootstrapPort, Bootstrapper } from './bootstrapper.js';

/** A chain of heights 0..tip; block id = 1000 + height (genesis 0). */
function block(h: number, sizeBytes = 1_000): Block {
  return { id: h === 0 ? 0 : 1000 + h, parent: h === 1 ? 0 : 1000 + h - 1, height: h, proposer: 0, txs: [], sizeBytes, builtAt: 0 };
}

type Request =
  | { kind: 'frontier'; to: NodeId; requestId: number }
  | { kind: 'accepted'; to: NodeId; requestId: number; ids: readonly BlockId[] }
  | { kind: 'ancestors'; to: NodeId; requestId: number; id: BlockId };

/**
 * Node 0 bootstraps from peers 1..n-1 that all hold the chain up to `tip`
 * (peers in `down` do not answer: their requests fail). Requests are answered
 * in order from a queue; `onRound` may grow the chain between rounds.
 */
function harness(opts: { n: number; tip: number; ownHeight: number; down?: readonly NodeId[]; silent?: readonly NodeId[]; lying?: NodeId; seed?: number }) {
  const chain = new Map<BlockId, Block>();
  let tip = opts.tip;
  for (let h = 0; h <= tip; h++) chain.set(block(h).id, block(h));
  const own: Block[] = [];
  for (let h = 0; h <= opts.ownHeight; h++) own.push(block(h));
  const down = new Set(opts.down ?? []);
  /** Connected but never answering: their requests time out. */
  const silent = new Set(opts.silent ?? []);
  const queue: Request[] = [];
  const rng = createStream(opts.seed ?? 1, 0, 'consensus');
  let requestId = 0;
  let nextPeer = 0;
  const sent: Request[] = [];
  const port: BootstrapPort = {
    self: 0,
    validators: new ValidatorSet(Array.from({ length: opts.n }, () => 1)),
    sampleK: 20,
    limits: DEFAULT_ANCESTORS_LIMITS,
    random: () => rng.next(),
    nextRequestId: () => ++requestId,
    isConnected: (p) => !down.has(p),
    selectPeer: () => {
      const up = Array.from({ length: opts.n - 1 }, (_, i) => i + 1).filter((p) => !down.has(p));
      // Round-robin over the peers that are up, so tests know who is asked.
      return up.length === 0 ? undefined : up[nextPeer++ % up.length];
    },
    lastAccepted: () => own.at(-1)!,
    sendGetAcceptedFrontier: (to, r) => queue.push({ kind: 'frontier', to, requestId: r }),
    sendGetAccepted: (to, r, ids) => queue.push({ kind: 'accepted', to, requestId: r, ids }),
    sendGetAncestors: (to, r, id) => queue.push({ kind: 'ancestors', to, requestId: r, id }),
    accept: (b) => {
      expect(b.parent).toBe(own.at(-1)!.id);
      own.push(b);
    },
  };
  const bs = new Bootstrapper(port);
  const tipId = (): BlockId => block(tip).id;
  function run(onRound?: (round: number) => void, maxSteps = 1_000_000): void {
    let round = bs.statistics().rounds;
    for (let step = 0; queue.length > 0 && step < maxSteps; step++) {
      const r = queue.shift()!;
      sent.push(r);
      const liar = r.to === opts.lying;
      if (down.has(r.to) || silent.has(r.to)) {
        if (r.kind === 'frontier') bs.onGetAcceptedFrontierFailed(r.to, r.requestId);
        else if (r.kind === 'accepted') bs.onGetAcceptedFailed(r.to, r.requestId);
        else bs.onGetAncestorsFailed(r.to, r.requestId);
      } else if (r.kind === 'frontier') {
        bs.onAcceptedFrontier(r.to, r.requestId, liar ? 999_999 : tipId());
      } else if (r.kind === 'accepted') {
        bs.onAccepted(r.to, r.requestId, liar ? r.ids : r.ids.filter((id) => chain.has(id)));
      } else {
        bs.onAncestors(r.to, r.requestId, liar ? [] : ancestorsOf(r.id, (id) => chain.get(id), DEFAULT_ANCESTORS_LIMITS));
      }
      if (bs.statistics().rounds !== round) {
        round = bs.statistics().rounds;
        onRound?.(round);
      }
    }
  }
  return {
    bs,
    own,
    sent,
    run,
    grow(blocks: number): void {
      for (let i = 0; i < blocks; i++) {
        tip++;
        chain.set(block(tip).id, block(tip));
      }
    },
  };
}

describe('Bootstrapper (bootstrapper.go)', () => {
  it('a node 5,000 blocks behind fetches them in GetAncestors of at most 2,000 and accepts them in order', () => {
    const h = harness({ n: 30, tip: 5_100, ownHeight: 100 });
    h.bs.start();
    h.run();
    expect(h.bs.done()).toBe(true);
    expect(h.own.at(-1)!.height).toBe(5_100);
    const s = h.bs.statistics();
    // 5,000 blocks at 2,000 a reply: 3 requests; then a second round finds nothing new and ends.
    expect(s).toEqual({ rounds: 2, fetched: 5_000, executed: 5_000, ancestorsRequests: 3, failedAncestors: 0 });
    // Frontier from min(K, W) = 20 sampled beacons, accepted-poll to all 29, each round.
    expect(h.sent.filter((r) => r.kind === 'frontier').length).toBe(2 * 20);
    expect(h.sent.filter((r) => r.kind === 'accepted').length).toBe(2 * 29);
  });

  it('keeps bootstrapping while rounds shrink by half or more, then stops (step 6)', () => {
    const h = harness({ n: 10, tip: 4_000, ownHeight: 0 });
    h.bs.start();
    // The chain grows while we fetch: 1,000 blocks after round 1, 400 after 2, 100 after 3, 80 after 4.
    const growth = [1_000, 400, 100, 80];
    h.run((round) => h.grow(growth[round - 2] ?? 0));
    expect(h.bs.done()).toBe(true);
    // Rounds executed 4,000, 1,000, 400, 100, 80: 80 is not under half of 100, so the fifth round is the last.
    expect(h.bs.statistics()).toMatchObject({ rounds: 5, executed: 5_580 });
    expect(h.own.at(-1)!.height).toBe(5_580);
  });

  it('waits for 3/4 of the beacon stake to be connected, and tolerates the rest failing', () => {
    // 40 validators, 39 beacons: (3·39 + 3) / 4 = 30 must be up. With 10 down, 29 are: wait.
    const waiting = harness({ n: 40, tip: 300, ownHeight: 0, down: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10] });
    waiting.bs.start();
    waiting.run();
    expect([waiting.bs.status(), waiting.sent.length]).toEqual(['waiting-for-peers', 0]);
    // With 9 down, 30 are up: it starts; failed frontier/accepted requests count as empty answers, and it completes.
    const h = harness({ n: 40, tip: 300, ownHeight: 0, down: [1, 2, 3, 4, 5, 6, 7, 8, 9] });
    h.bs.start();
    h.run();
    expect(h.bs.done()).toBe(true);
    expect(h.own.at(-1)!.height).toBe(300);
  });

  it('needs a stake majority for the frontier: one lying beacon cannot make it fetch a block nobody has', () => {
    const h = harness({ n: 10, tip: 50, ownHeight: 0, lying: 3 });
    h.bs.start();
    h.run();
    expect(h.bs.done()).toBe(true);
    expect(h.own.at(-1)!.height).toBe(50);
    expect(h.sent.some((r) => r.kind === 'ancestors' && r.id === 999_999)).toBe(false);
  });

  it('re-asks another peer after an empty answer or a failure, and ignores answers it did not ask for', () => {
    const h = harness({ n: 6, tip: 2_500, ownHeight: 0, lying: 1 });
    h.bs.start();
    h.bs.onAncestors(4, 12_345, [block(1)]); // unrequested: ignored
    h.run();
    expect(h.bs.done()).toBe(true);
    expect(h.own.at(-1)!.height).toBe(2_500);
    const s = h.bs.statistics();
    expect(s.failedAncestors).toBe(h.sent.filter((r) => r.kind === 'ancestors' && r.to === 1).length);
    expect(s.failedAncestors).toBe(1);
    expect(s.ancestorsRequests).toBe(s.failedAncestors + 2); // 2,000 then 500 blocks; the second round fetches nothing
  });

  it('a connected peer whose GetAncestors times out is replaced by the next one', () => {
    const h = harness({ n: 5, tip: 1_500, ownHeight: 0, silent: [1] });
    h.bs.start();
    h.run();
    expect(h.bs.done()).toBe(true);
    expect(h.own.at(-1)!.height).toBe(1_500);
    expect(h.bs.statistics()).toMatchObject({ ancestorsRequests: 2, failedAncestors: 1 });
  });

  it('a node that is already at the tip ends after one empty round', () => {
    const h = harness({ n: 5, tip: 10, ownHeight: 10 });
    h.bs.start();
    h.run();
    expect(h.bs.statistics()).toEqual({ rounds: 1, fetched: 0, executed: 0, ancestorsRequests: 0, failedAncestors: 0 });
  });
});
