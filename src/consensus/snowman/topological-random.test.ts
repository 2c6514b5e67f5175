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
import type { ParentDecisionKind } from './parent-decision.js';
import { Topological } from './topological.js';

function check(
  seed: number,
  decision: 'snowflake' | 'snowball',
  instance: ParentDecisionKind = 'tree',
): { accepted: number; rejected: number; polls: number } {
  const rng = createStream(seed, 0, 'consensus');
  const t = new Topological({ ...DEFAULT_PARAMS, beta: 4, concurrentRepolls: 1 }, { id: GENESIS_ID, height: 0 }, { decision, instance });
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
  // Exact figures pin the behaviour: any change to the voting rules moves them.
  // Random parents give many blocks three or more siblings, where the trie and
  // the flat instance decide differently; the flat figures are those from
  // before the trie existed.
  it('snowflake: consistent chains over 3000 random steps, and progress', () => {
    expect(check(7, 'snowflake')).toEqual({ accepted: 282, rejected: 644, polls: 2069 });
    expect(check(7, 'snowflake', 'flat')).toEqual({ accepted: 312, rejected: 633, polls: 2054 });
  });

  it('snowball: same invariants', () => {
    expect(check(11, 'snowball')).toEqual({ accepted: 249, rejected: 626, polls: 2121 });
    expect(check(11, 'snowball', 'flat')).toEqual({ accepted: 242, rejected: 624, polls: 2128 });
  });

  it('is deterministic for a seed', () => {
    const a = check(3, 'snowflake');
    expect(a).toEqual({ accepted: 296, rejected: 557, polls: 2142 });
    expect(check(3, 'snowflake')).toEqual(a);
    expect(check(3, 'snowflake', 'flat')).toEqual({ accepted: 324, rejected: 540, polls: 2135 });
  });
});

function decidedIds(d: { accepted: Block[]; rejected: Block[] }): number[][] {
  return [d.accepted.map((x) => x.id), d.rejected.map((x) => x.id)];
}

/**
 * The trie and the flat instance side by side on the same blocks and polls,
 * with at most `maxChildren` children per block: the state after every step.
 */
function sideBySide(seed: number, decision: 'snowflake' | 'snowball', maxChildren: number): { same: boolean; steps: number; accepted: number } {
  const rng = createStream(seed, 1, 'consensus');
  const params = { ...DEFAULT_PARAMS, beta: 4, concurrentRepolls: 1 };
  const tree = new Topological(params, { id: GENESIS_ID, height: 0 }, { decision, instance: 'tree' });
  const flat = new Topological(params, { id: GENESIS_ID, height: 0 }, { decision, instance: 'flat' });
  const children = new Map<BlockId, number>();
  const height = new Map<BlockId, number>([[GENESIS_ID, 0]]);
  let live: BlockId[] = [GENESIS_ID];
  let accepted = 0;
  // Ids as the engine makes them (counter · 2^17 + proposer + 1), so siblings differ in low bits.
  const counters = new Map<number, number>();
  for (let step = 0; step < 4000; step++) {
    const parent = live[rng.int(live.length)]!;
    if (rng.next() < 0.3 && tree.numProcessing() < 40 && (children.get(parent) ?? 0) < maxChildren) {
      const proposer = rng.int(64);
      const c = (counters.get(proposer) ?? 0) + 1;
      counters.set(proposer, c);
      const b: Block = { id: c * 2 ** 17 + proposer + 1, parent, height: height.get(parent)! + 1, proposer, txs: [], sizeBytes: 1, builtAt: 0 };
      height.set(b.id, b.height);
      children.set(parent, (children.get(parent) ?? 0) + 1);
      tree.add(b);
      flat.add(b);
      live.push(b.id);
    } else {
      const votes = new Map<BlockId, number>();
      const focus = rng.next() < 0.6 ? tree.preference() : live[rng.int(live.length)]!;
      const strong = 8 + rng.int(13);
      votes.set(focus, strong);
      for (let i = strong; i < 20; i++) {
        const v = live[rng.int(live.length)]!;
        votes.set(v, (votes.get(v) ?? 0) + 1);
      }
      const a = tree.recordPoll(votes);
      const b = flat.recordPoll(votes);
      if (JSON.stringify(decidedIds(a)) !== JSON.stringify(decidedIds(b))) return { same: false, steps: step, accepted };
      accepted += a.accepted.length;
      live = live.filter((id) => id === tree.lastAccepted().id || tree.processing(id));
    }
    if (tree.preference() !== flat.preference() || tree.lastAccepted().id !== flat.lastAccepted().id) return { same: false, steps: step, accepted };
  }
  return { same: true, steps: 4000, accepted };
}

describe('the trie and the flat instance with one or two children per block', () => {
  it('decide identically, step by step (snowflake and snowball)', () => {
    for (const seed of [1, 2, 3]) {
      const sf = sideBySide(seed, 'snowflake', 2);
      expect(sf.same).toBe(true);
      expect(sf.accepted).toBeGreaterThan(100);
      expect(sideBySide(seed, 'snowball', 2).same).toBe(true);
    }
  });

  it('and part ways with three (so the comparison above can see a difference)', () => {
    const runs = [1, 2, 3, 4, 5].map((seed) => sideBySide(seed, 'snowflake', 3).same);
    expect(runs).toContain(false);
  });
});
