/**
 * Randomised invariants of Topological (in the spirit of AvalancheGo's
 * RandomizedConsistencyTest): random trees and random K=20 polls, checking
 * after every step that the preferred chain, the accepted chain and the
 * processing set stay consistent.
 */
import { describe, expect, it } from 'vitest';
import { createStream } from '../../sim/rng.js';
import { DEFAULT_PARAMS } from '../params.js';
import { type Block, type BlockId, GENESIS_ID } from './block.js';
import { Topological } from './topological.js';

function check(seed: number, decision: 'snowflake' | 'snowball'): { accepted: number; rejected: number; polls: number } {
  const rng = createStream(seed, 0, 'consensus');
  const t = new Topological({ ...DEFAULT_PARAMS, beta: 4, concurrentRepolls: 1 }, { id: GENESIS_ID, height: 0 }, { decision });
  const byId = new Map<BlockId, Block>();
  const live: BlockId[] = [GENESIS_ID];
  const decided = new Set<BlockId>();
  let nextId = 1;
  let accepted = 0;
  let rejected = 0;
  let polls = 0;
  for (let step = 0; step < 3000; step++) {
    if (rng.next() < 0.3 && t.numProcessing() < 40) {
      const parent = live[rng.int(live.length)]!;
      const height = parent === t.lastAccepted().id ? t.lastAccepted().height + 1 : byId.get(parent)!.height + 1;
      const b: Block = { id: nextId++, parent, height, proposer: 0, txs: [], sizeBytes: 1, builtAt: 0 };
      byId.set(b.id, b);
      t.add(b);
      live.push(b.id);
    } else {
      // Most votes for one random block (often the preference), the rest scattered.
      const votes = new Map<BlockId, number>();
      const focus = rng.next() < 0.7 ? t.preference() : live[rng.int(live.length)]!;
      const strong = 10 + rng.int(11);
      votes.set(focus, strong);
      for (let i = strong; i < 20; i++) {
        const v = live[rng.int(live.length)]!;
        votes.set(v, (votes.get(v) ?? 0) + 1);
      }
      const before = t.lastAccepted();
      const d = t.recordPoll(votes);
      polls++;
      // Accepted blocks extend the accepted chain one by one.
      let tip = before;
      for (const b of d.accepted) {
        expect([b.parent, b.height]).toEqual([tip.id, tip.height + 1]);
        tip = { id: b.id, height: b.height };
        expect(decided.has(b.id)).toBe(false);
        decided.add(b.id);
      }
      expect(t.lastAccepted()).toEqual(tip);
      for (const b of d.rejected) {
        expect(decided.has(b.id)).toBe(false);
        decided.add(b.id);
        expect(t.processing(b.id)).toBe(false);
      }
      accepted += d.accepted.length;
      rejected += d.rejected.length;
      for (let i = live.length - 1; i >= 0; i--) {
        const id = live[i]!;
        if (id !== t.lastAccepted().id && !t.processing(id)) live.splice(i, 1);
      }
    }
    // Every live block is processing or last accepted; counts add up.
    expect(live.length).toBe(t.numProcessing() + 1);
    expect(nextId - 1).toBe(accepted + rejected + t.numProcessing());
    // The preferred chain runs from the preference down to the last accepted block.
    const la = t.lastAccepted();
    let id = t.preference();
    let h = id === la.id ? la.height : byId.get(id)!.height;
    while (id !== la.id) {
      expect([t.isPreferred(id), t.preferenceAtHeight(h)]).toEqual([true, id]);
      id = t.parentOf(id)!;
      h--;
    }
    expect(h).toBe(la.height);
    // The preference is a leaf.
    for (const other of live) if (t.parentOf(other) === t.preference() && other !== t.lastAccepted().id) throw new Error(`preference ${t.preference()} has child ${other}`);
  }
  return { accepted, rejected, polls };
}

describe('Topological randomised invariants', () => {
  it('snowflake: consistent chains over 3000 random steps, and progress', () => {
    // Exact figures pin the behaviour: any change to the voting rules moves them.
    expect(check(7, 'snowflake')).toEqual({ accepted: 312, rejected: 633, polls: 2054 });
  });

  it('snowball: same invariants', () => {
    expect(check(11, 'snowball')).toEqual({ accepted: 242, rejected: 624, polls: 2128 });
  });

  it('is deterministic for a seed', () => {
    const a = check(3, 'snowflake');
    expect(a).toEqual({ accepted: 324, rejected: 540, polls: 2135 });
    expect(check(3, 'snowflake')).toEqual(a);
  });
});
