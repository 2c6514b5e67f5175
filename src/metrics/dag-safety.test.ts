import { describe, expect, it } from 'vitest';
import { DagSafetyChecker, type DagAcceptance } from './dag-safety.js';

const tx = (id: number, ...inputs: number[]): DagAcceptance => ({ kind: 'tx', id, inputs });
const vtx = (id: number, parents: number[], txs: number[], height = 1): DagAcceptance => ({ kind: 'vertex', id, height, parents, txs });

function checker(nodes = 3, byzantine: number[] = []) {
  return new DagSafetyChecker({ nodes, byzantine: new Set(byzantine), repro: 'avsim run x.yaml --seed 1' });
}

describe('DagSafetyChecker', () => {
  it('accepts an honest history: the same spends everywhere, vertices after their parents and transactions', () => {
    const c = checker();
    for (const n of [0, 1, 2]) {
      c.accept(tx(10, 100), n, 1);
      c.accept(vtx(1, [0], [10]), n, 2);
      c.accept(tx(11, 101), n, 3);
      c.accept(vtx(2, [1], [11], 2), n, 4);
    }
    expect(c.summary()).toEqual({ violations: 0, examples: [] });
    // Everything every honest node accepted is settled: nothing is tracked any more.
    expect(c.tracked()).toEqual({ vertices: 0, txs: 0, inputs: 0 });
  });

  it('flags two honest nodes accepting different spends of one input, and a second spend after it settled', () => {
    const c = checker();
    c.accept(tx(10, 100), 0, 1);
    c.accept(tx(20, 100), 1, 2);
    expect(c.violationList()).toEqual([{ kind: 'conflicting-tx', input: 100, txs: [10, 20], node: 1, timeUs: 2 }]);
    // Input 101 settles (all three accepted tx 11); a later spend of it by anyone honest is a conflict.
    for (const n of [0, 1, 2]) c.accept(tx(11, 101), n, 3);
    c.accept(tx(12, 101), 2, 4);
    expect(c.summary().violations).toBe(2);
    expect(c.summary().examples[1]).toEqual({ height: 0, nodes: [2], blocks: ['input 101', 'tx -1', 'tx 12'], timeMs: 0.004 });
  });

  it('flags a vertex accepted before its parent or before one of its transactions, on that node', () => {
    const c = checker();
    c.accept(tx(10, 100), 0, 1);
    c.accept(vtx(5, [4], [10], 2), 0, 2); // parent 4 not accepted on node 0
    c.accept(vtx(6, [0], [11]), 0, 3); // tx 11 not accepted on node 0
    expect(c.violationList().map((v) => v.kind)).toEqual(['unaccepted-parent', 'unaccepted-tx']);
    // Node 1 accepting vertex 4 does not make it accepted on node 0.
    c.accept(vtx(4, [0], []), 1, 4);
    c.accept(vtx(7, [4], []), 0, 5);
    expect(c.summary().violations).toBe(3);
  });

  it('ignores Byzantine nodes, and settles once every honest node accepted', () => {
    const c = checker(3, [2]);
    c.accept(tx(10, 100), 2, 1);
    c.accept(tx(20, 100), 0, 2);
    c.accept(tx(20, 100), 1, 3);
    expect(c.summary().violations).toBe(0);
    expect(c.tracked()).toEqual({ vertices: 0, txs: 0, inputs: 0 });
  });
});
