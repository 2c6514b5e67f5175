/**
 * AvalancheGo's snowstorm consensus tests (snow/consensus/snowstorm/
 * consensus_test.go, v1.9.x), as scripted tests of ConflictGraph. The names
 * are AvalancheGo's. Not ported: MetricsTest (Prometheus registration),
 * the ErrorOn* tests (callbacks that fail; decisions here are returned
 * values), the whitelist tests and RemoveVirtuousTest (the linearisation's
 * stop vertex and transaction vertices, not modelled). StringTest's string
 * is replaced by the counters it prints.
 */
import { describe, expect, it } from 'vitest';
import { ConflictGraph, type ConflictGraphParams, type TxStatus } from './conflict-graph.js';
import type { DagTx, TxId } from './vertex.js';

// Inputs X, Y, Z.
const X = 104;
const Y = 105;
const Z = 106;
/** R - G - B - A: Red(X), Green(X, Y), Blue(Y, Z), Alpha(Z), as AvalancheGo's Setup. */
const Red: DagTx = { id: 1, inputs: [X], deps: [] };
const Green: DagTx = { id: 2, inputs: [X, Y], deps: [] };
const Blue: DagTx = { id: 3, inputs: [Y, Z], deps: [] };
const Alpha: DagTx = { id: 4, inputs: [Z], deps: [] };

function graph(k: number, alpha: number, betaVirtuous: number, betaRogue: number): ConflictGraph {
  expect(k).toBeGreaterThanOrEqual(alpha); // K only matters through alpha here
  const p: ConflictGraphParams = { alpha, betaVirtuous, betaRogue };
  return new ConflictGraph(p);
}
function bag(...pairs: [DagTx, number][]): Map<TxId, number> {
  return new Map(pairs.map(([tx, n]) => [tx.id, n]));
}
function prefs(g: ConflictGraph): TxId[] {
  return [...g.preferences()].toSorted((a, b) => a - b);
}
function statuses(g: ConflictGraph, ...txs: DagTx[]): TxStatus[] {
  return txs.map((t) => g.status(t.id));
}

describe('ConflictGraph (AvalancheGo snowstorm consensus_test.go)', () => {
  it('IssuedTest', () => {
    const g = graph(2, 2, 1, 1);
    expect(g.issued(Red.id)).toBe(false);
    g.add(Red);
    expect(g.issued(Red.id)).toBe(true);
    // A decided transaction counts as issued.
    g.add({ id: 9, inputs: [], deps: [] });
    expect(g.issued(9)).toBe(true);
  });

  it('LeftoverInputTest: accepting Red rejects Green, and nothing is left preferred', () => {
    const g = graph(2, 2, 1, 1);
    g.add(Red);
    g.add(Green);
    expect(prefs(g)).toEqual([Red.id]);
    expect(g.finalized()).toBe(false);
    expect(g.recordPoll(bag([Red, 2]))).toBe(true);
    expect(prefs(g)).toEqual([]);
    expect(g.finalized()).toBe(true);
    expect(statuses(g, Red, Green)).toEqual(['accepted', 'rejected']);
    expect(g.takeDecisions()).toEqual({ accepted: [Red], acceptedConflicts: [1], rejected: [Green] });
  });

  it('LowerConfidenceTest: Blue becomes preferred once Green is rejected', () => {
    const g = graph(2, 2, 1, 1);
    g.add(Red);
    g.add(Green);
    g.add(Blue);
    expect(prefs(g)).toEqual([Red.id]);
    expect(g.recordPoll(bag([Red, 2]))).toBe(true);
    expect(prefs(g)).toEqual([Blue.id]);
    expect(g.finalized()).toBe(false);
    expect(g.snowballOf(Blue.id)?.rogue).toBe(true); // rogue sticks
  });

  it('MiddleConfidenceTest: Alpha stays the only preference', () => {
    const g = graph(2, 2, 1, 1);
    g.add(Red);
    g.add(Green);
    g.add(Alpha);
    g.add(Blue);
    expect(prefs(g)).toEqual([Red.id, Alpha.id]);
    expect(g.recordPoll(bag([Red, 2]))).toBe(true);
    expect(prefs(g)).toEqual([Alpha.id]);
    expect(g.finalized()).toBe(false);
  });

  it('IndependentTest: two virtuous transactions finalise independently', () => {
    const g = graph(2, 2, 2, 2);
    g.add(Red);
    g.add(Alpha);
    expect(prefs(g)).toEqual([Red.id, Alpha.id]);
    expect(g.recordPoll(bag([Red, 2], [Alpha, 2]))).toBe(false);
    expect(prefs(g)).toEqual([Red.id, Alpha.id]);
    expect(g.finalized()).toBe(false);
    expect(g.recordPoll(bag([Red, 2], [Alpha, 2]))).toBe(true);
    expect(prefs(g)).toEqual([]);
    expect(g.finalized()).toBe(true);
  });

  it('VirtuousTest: adding conflicts removes transactions from the virtuous set', () => {
    const g = graph(2, 2, 1, 1);
    g.add(Red);
    expect([...g.virtuous()]).toEqual([Red.id]);
    g.add(Alpha);
    expect([...g.virtuous()].toSorted()).toEqual([Red.id, Alpha.id]);
    g.add(Green);
    expect([...g.virtuous()]).toEqual([Alpha.id]);
    g.add(Blue);
    expect([...g.virtuous()]).toEqual([]);
  });

  it('IsVirtuousTest: for processing and for not-yet-added transactions', () => {
    const g = graph(2, 2, 1, 1);
    expect([Red, Green, Blue, Alpha].map((t) => g.isVirtuous(t))).toEqual([true, true, true, true]);
    g.add(Red);
    expect([Red, Green, Blue, Alpha].map((t) => g.isVirtuous(t))).toEqual([true, false, true, true]);
    g.add(Green);
    expect([Red, Green, Blue].map((t) => g.isVirtuous(t))).toEqual([false, false, false]);
  });

  it('QuiesceTest', () => {
    const g = graph(2, 2, 1, 1);
    expect(g.quiesce()).toBe(true);
    g.add(Red);
    expect(g.quiesce()).toBe(false);
    g.add(Green);
    expect(g.quiesce()).toBe(true);
  });

  const purple: DagTx = { id: 7, inputs: [108], deps: [Red.id] };

  it('AcceptingDependencyTest: a finalised transaction waits for its dependency', () => {
    const g = graph(1, 1, 1, 2);
    g.add(Red);
    g.add(Green);
    g.add(purple);
    expect(prefs(g)).toEqual([Red.id, purple.id]);
    expect(g.recordPoll(bag([Green, 1]))).toBe(true);
    expect(prefs(g)).toEqual([Green.id, purple.id]);
    expect(statuses(g, Red, Green, purple)).toEqual(['processing', 'processing', 'processing']);
    // purple finalises (virtuous, beta 1) but waits for Red; nothing changes.
    expect(g.recordPoll(bag([Red, 1], [purple, 1]))).toBe(false);
    expect(prefs(g)).toEqual([Green.id, purple.id]);
    expect(statuses(g, Red, Green, purple)).toEqual(['processing', 'processing', 'processing']);
    expect(g.recordPoll(bag([Red, 1]))).toBe(true);
    expect(prefs(g)).toEqual([]);
    expect(statuses(g, Red, Green, purple)).toEqual(['accepted', 'rejected', 'accepted']);
    expect(g.takeDecisions()).toEqual({ accepted: [Red, purple], acceptedConflicts: [1, 0], rejected: [Green] });
  });

  it('AcceptingSlowDependencyTest: accepted exactly once, after its dependency', () => {
    const g = graph(1, 1, 1, 2);
    g.add(Red);
    g.add(Green);
    g.add(purple);
    expect(g.recordPoll(bag([Green, 1]))).toBe(true);
    expect(g.recordPoll(bag([purple, 1]))).toBe(false);
    expect(prefs(g)).toEqual([Green.id, purple.id]);
    expect(g.recordPoll(bag([Red, 1], [purple, 1]))).toBe(false);
    expect(statuses(g, Red, Green, purple)).toEqual(['processing', 'processing', 'processing']);
    expect(g.recordPoll(bag([Red, 1]))).toBe(true);
    expect(statuses(g, Red, Green, purple)).toEqual(['accepted', 'rejected', 'accepted']);
    expect(g.takeDecisions().accepted.filter((t) => t === purple)).toHaveLength(1);
  });

  it('RejectingDependencyTest: rejecting a dependency rejects the dependent', () => {
    const p2: DagTx = { id: 7, inputs: [108], deps: [Red.id, Blue.id] };
    const g = graph(1, 1, 1, 2);
    g.add(Red);
    g.add(Green);
    g.add(Blue);
    g.add(p2);
    expect(prefs(g)).toEqual([Red.id, p2.id]);
    expect(g.recordPoll(bag([Green, 1], [p2, 1]))).toBe(true);
    expect(prefs(g)).toEqual([Green.id, p2.id]);
    expect(statuses(g, Red, Green, Blue, p2)).toEqual(['processing', 'processing', 'processing', 'processing']);
    expect(g.recordPoll(bag([Green, 1], [p2, 1]))).toBe(true);
    expect(prefs(g)).toEqual([]);
    expect(statuses(g, Red, Green, Blue, p2)).toEqual(['rejected', 'accepted', 'rejected', 'rejected']);
  });

  it('VacuouslyAcceptedTest: a transaction without inputs is accepted when added', () => {
    const g = graph(1, 1, 1, 2);
    g.add({ id: 7, inputs: [], deps: [] });
    expect(prefs(g)).toEqual([]);
    expect(g.status(7)).toBe('accepted');
  });

  it('ConflictsTest: for a transaction not yet added and once added', () => {
    const g = graph(1, 1, 1, 2);
    const p: DagTx = { id: 6, inputs: [100], deps: [] };
    const o: DagTx = { id: 7, inputs: [100], deps: [] };
    g.add(p);
    expect(g.conflicts(o)).toEqual([p.id]);
    g.add(o);
    expect(g.conflicts(o)).toEqual([p.id]);
    expect(g.conflicts(p)).toEqual([o.id]);
  });

  it('VirtuousDependsOnRogueTest: a finalised virtuous transaction waiting on a rogue one lets the engine quiesce', () => {
    const g = graph(1, 1, 1, 2);
    const rogue1: DagTx = { id: 10, inputs: [103], deps: [] };
    const rogue2: DagTx = { id: 11, inputs: [103], deps: [] };
    const virtuous: DagTx = { id: 12, inputs: [104], deps: [rogue1.id] };
    g.add(rogue1);
    g.add(rogue2);
    g.add(virtuous);
    expect(g.recordPoll(bag([rogue1, 1], [virtuous, 1]))).toBe(false);
    expect(statuses(g, rogue1, rogue2, virtuous)).toEqual(['processing', 'processing', 'processing']);
    expect(g.quiesce()).toBe(true);
  });

  it('UTXOCleanupTest: an input spent by an accepted transaction no longer conflicts', () => {
    const g = graph(1, 1, 1, 2);
    g.add(Red);
    g.add(Green);
    expect(g.recordPoll(bag([Red, 1]))).toBe(false);
    expect(g.recordPoll(bag([Red, 1]))).toBe(true);
    expect(statuses(g, Red, Green)).toEqual(['accepted', 'rejected']);
    g.add(Blue);
    expect(g.recordPoll(bag([Blue, 1]))).toBe(true);
    expect(g.status(Blue.id)).toBe('accepted');
  });

  it('StringTest: counters, preferences and decisions through a five-poll script', () => {
    const g = graph(2, 2, 1, 2);
    for (const t of [Red, Green, Blue, Alpha]) g.add(t);
    const counters = (): [number, number][] =>
      [Red, Green, Blue, Alpha].map((t) => {
        const s = g.snowballOf(t.id);
        return s === undefined ? [-1, -1] : [s.numSuccessfulPolls, s.confidence];
      });
    expect(prefs(g)).toEqual([Red.id]);
    expect(g.recordPoll(bag([Red, 2], [Blue, 2]))).toBe(true);
    expect(counters()).toEqual([[1, 1], [0, 0], [1, 1], [0, 0]]);
    expect(prefs(g)).toEqual([Red.id, Blue.id]);
    // Green and Alpha tie with Red and Blue: no edge turns.
    expect(g.recordPoll(bag([Green, 2], [Alpha, 2]))).toBe(false);
    expect(counters()).toEqual([[1, 0], [1, 1], [1, 0], [1, 1]]);
    expect(prefs(g)).toEqual([Red.id, Blue.id]);
    expect(g.recordPoll(new Map())).toBe(false);
    expect(counters()).toEqual([[1, 0], [1, 0], [1, 0], [1, 0]]);
    expect(g.recordPoll(bag([Green, 2], [Alpha, 2]))).toBe(true);
    expect(counters()).toEqual([[1, 0], [2, 1], [1, 0], [2, 1]]);
    expect(prefs(g)).toEqual([Green.id, Alpha.id]);
    expect(g.finalized()).toBe(false);
    expect(g.recordPoll(bag([Green, 2], [Alpha, 2]))).toBe(true);
    expect(prefs(g)).toEqual([]);
    expect(g.finalized()).toBe(true);
    expect(statuses(g, Green, Alpha, Red, Blue)).toEqual(['accepted', 'accepted', 'rejected', 'rejected']);
    // Late votes for decided transactions change nothing.
    expect(g.recordPoll(bag([Red, 2], [Blue, 2]))).toBe(false);
    expect(statuses(g, Green, Alpha, Red, Blue)).toEqual(['accepted', 'accepted', 'rejected', 'rejected']);
  });

  it('a transaction spending the output of a rejected one is rejected when added', () => {
    const g = graph(1, 1, 1, 1);
    g.add(Red);
    g.add(Green);
    g.recordPoll(bag([Red, 1]));
    expect(g.status(Green.id)).toBe('rejected');
    g.takeDecisions();
    const child: DagTx = { id: 20, inputs: [120], deps: [Green.id] };
    g.add(child);
    expect(g.status(child.id)).toBe('rejected');
    expect(g.takeDecisions()).toEqual({ accepted: [], acceptedConflicts: [], rejected: [child] });
    expect(g.numProcessing()).toBe(0);
  });

  it('a transaction spending an input an accepted transaction spent is rejected when added', () => {
    const g = graph(1, 1, 1, 1);
    g.add(Red);
    g.recordPoll(bag([Red, 1]));
    g.takeDecisions();
    expect([g.isSpent(X), g.isVirtuous(Green)]).toEqual([true, false]);
    g.add(Green);
    expect(g.status(Green.id)).toBe('rejected');
    expect(g.takeDecisions()).toEqual({ accepted: [], acceptedConflicts: [], rejected: [Green] });
    // Its other input (Y) was never spent: Blue is virtuous.
    g.add(Blue);
    expect(g.snowballOf(Blue.id)?.rogue).toBe(false);
  });
});
