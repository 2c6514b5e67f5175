import { describe, expect, it } from 'vitest';
import { ValidatorSet } from '../../consensus/engine/sampler.js';
import type { DagChits, DagIssueContext, DagNodeView, DagQueryContext } from '../../consensus/avalanche/engine/behaviour.js';
import type { AvaTx, Vertex } from '../../consensus/avalanche/engine/messages.js';
import { createStream } from '../../sim/rng.js';
import { DAG_STRATEGY_NAMES, dagStrategyOrThrow } from './registry.js';
import { WindowedDagBehaviour } from './windowed.js';

const honest: DagChits = { kind: 'chits', preferred: [11], accepted: [1] };

function view(over: Partial<DagNodeView> = {}, now = 0): DagNodeView {
  return {
    id: 3,
    validators: new ValidatorSet([1, 1, 1, 1, 1, 1]),
    now: () => now,
    preferences: () => [11],
    acceptedFrontier: () => [1],
    virtuousFrontier: () => [11],
    vertex: () => undefined,
    vertexStatus: () => 'processing',
    rogueVertices: () => [21, 22],
    conflictingVertices: (id) => (id === 11 ? [31, 30] : []),
    numProcessing: () => 3,
    ...over,
  };
}
const q = (v: DagNodeView, queried = 11): DagQueryContext => ({ view: v, from: 0, queried, honest });
const ctx = (name: string, options: Record<string, string | number | boolean> = {}, byzantine = [3, 5]) =>
  dagStrategyOrThrow(name).create({ node: 3, nodeCount: 6, byzantine, rng: createStream(1, 3, 'byzantine'), options });

function issueCtx(v: DagNodeView): DagIssueContext & { minted: Vertex[] } {
  let counter = 0;
  const minted: Vertex[] = [];
  return {
    minted,
    view: v,
    parents: [11],
    txs: [],
    buildVertex: (parents, txs) => {
      const out: Vertex = { id: 1000 + ++counter, parents, txs, height: 2, issuer: 3, sizeBytes: 100, builtAt: v.now() };
      minted.push(out);
      return out;
    },
    newInput: () => 777,
    newTx: (inputs): AvaTx => ({ id: 900 + ++counter, inputs, deps: [], submittedAt: v.now() }),
  };
}

describe('DAG Byzantine strategies', () => {
  it('are registered by name, and an unknown one is refused naming the field and the known ones', () => {
    expect(DAG_STRATEGY_NAMES).toEqual(['silent', 'random-vote', 'always-reject', 'always-accept', 'double-spend', 'rogue-vote']);
    expect(() => dagStrategyOrThrow('equivocation')).toThrow(
      'byzantine.strategy: unknown strategy "equivocation" for protocol avalanche; known: silent, random-vote, always-reject, always-accept, double-spend, rogue-vote',
    );
  });

  it('silent answers nothing and serves nothing', () => {
    const b = ctx('silent');
    expect(b.answerQuery(q(view()))).toEqual({ kind: 'silent' });
    expect(b.serveVertex(view(), 0, {} as Vertex)).toBe(false);
    expect(b.issue(issueCtx(view()))).toEqual({ kind: 'none' });
  });

  it('always-accept votes for the queried vertex; always-reject for the lowest conflicting one, else for nothing', () => {
    expect(ctx('always-accept').answerQuery(q(view(), 42))).toEqual({ kind: 'chits', preferred: [42], accepted: [1] });
    const r = ctx('always-reject');
    expect(r.answerQuery(q(view(), 11))).toEqual({ kind: 'chits', preferred: [31], accepted: [1] });
    expect(r.answerQuery(q(view(), 12))).toEqual({ kind: 'chits', preferred: [1], accepted: [1] });
  });

  it('random-vote answers honestly about half the time, otherwise for one rogue-side vertex', () => {
    const b = ctx('random-vote');
    let honestCount = 0;
    for (let i = 0; i < 400; i++) {
      const a = b.answerQuery(q(view()));
      if (a === honest) honestCount++;
      else expect(a.kind === 'chits' && a.preferred.length === 1 && [21, 22].includes(a.preferred[0]!)).toBe(true);
    }
    expect(honestCount).toBeGreaterThan(160);
    expect(honestCount).toBeLessThan(240);
  });

  it('double-spend pushes two vertices spending one fresh input, one to each honest half, every everyMs', () => {
    const b = ctx('double-spend', { everyMs: 500 });
    const c = issueCtx(view({}, 1_000_000));
    const out = b.tick(c);
    if (out.kind !== 'custom') throw new Error('expected a double spend');
    const [a, z] = out.pushes;
    expect(a!.vertex.txs[0]!.inputs).toEqual([777]);
    expect(z!.vertex.txs[0]!.inputs).toEqual([777]);
    expect(a!.vertex.txs[0]!.id).not.toBe(z!.vertex.txs[0]!.id);
    // Honest 0, 1, 2, 4 split in two; accomplice 5 gets both.
    expect(a!.to).toEqual([0, 1, 5]);
    expect(z!.to).toEqual([2, 4, 5]);
    expect(out.issueLocally).toEqual([]);
    expect(b.tick(issueCtx(view({}, 1_200_000)))).toEqual({ kind: 'none' }); // too soon
    expect(b.tick(issueCtx(view({}, 1_500_000))).kind).toBe('custom');
    expect(() => ctx('double-spend', { everyMs: 0 })).toThrow('byzantine.options.everyMs: must be a number of milliseconds > 0, got 0');
  });

  it('rogue-vote votes for every rogue-side vertex it holds, honestly with none; it double spends unless issue: false', () => {
    const b = ctx('rogue-vote');
    expect(b.answerQuery(q(view()))).toEqual({ kind: 'chits', preferred: [21, 22], accepted: [1] });
    expect(b.answerQuery(q(view({ rogueVertices: () => [] })))).toBe(honest);
    expect(b.tick(issueCtx(view({}, 5_000_000))).kind).toBe('custom');
    expect(ctx('rogue-vote', { issue: false }).tick(issueCtx(view({}, 5_000_000)))).toEqual({ kind: 'none' });
    expect(() => ctx('rogue-vote', { issue: 'yes' })).toThrow('byzantine.options.issue: must be true or false, got "yes"');
  });

  it('a windowed strategy is honest outside [from, until)', () => {
    const b = new WindowedDagBehaviour(ctx('always-accept'), 1_000, 2_000);
    expect(b.answerQuery(q(view({}, 500), 42))).toBe(honest);
    expect(b.answerQuery(q(view({}, 1_500), 42))).toEqual({ kind: 'chits', preferred: [42], accepted: [1] });
    expect(b.answerQuery(q(view({}, 2_000), 42))).toBe(honest);
  });
});
