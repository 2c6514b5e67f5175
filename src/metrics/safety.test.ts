import { describe, expect, it } from 'vitest';
import { SafetyChecker, type SafetyViolation } from './safety.js';

const REPRO = 'avsim run experiments/x.yaml --seed 7';

describe('SafetyChecker', () => {
  it('catches a planted conflicting acceptance at the same height', () => {
    const seen: SafetyViolation[] = [];
    const sc = new SafetyChecker({ nodes: 5, repro: REPRO, onViolation: (v) => seen.push(v) });
    sc.accept(0, 1, 101, [1, 2], 1_000);
    sc.accept(1, 1, 101, [1, 2], 1_500);
    expect(sc.violationCount).toBe(0);
    sc.accept(2, 1, 202, [3], 2_500); // planted fork at height 1
    expect(sc.violationCount).toBe(1);
    expect(seen).toEqual([
      { kind: 'conflicting-block', height: 1, nodes: [0, 2], blocks: [101, 202], timeUs: 2_500, repro: REPRO },
    ]);
    // A second honest node accepting the same fork is counted, not re-reported.
    sc.accept(3, 1, 202, [3], 2_600);
    const r = sc.report();
    expect(r.violations).toBe(1);
    expect(r.conflictingAcceptances).toBe(2);
    expect(r.firstViolationUs).toBe(2_500);
    expect(sc.summary()).toEqual({ violations: 1, examples: [{ height: 1, nodes: [0, 2], blocks: ['101', '202'], timeMs: 2.5 }] });
  });

  it('ignores Byzantine nodes, given at construction or marked later', () => {
    const sc = new SafetyChecker({ nodes: 4, repro: REPRO, byzantine: [3] });
    sc.accept(0, 1, 101, [], 10);
    sc.accept(3, 1, 999, [], 11);
    expect(sc.violationCount).toBe(0);
    sc.markByzantine(2);
    sc.accept(2, 1, 998, [], 12);
    expect(sc.violationCount).toBe(0);
    expect(sc.report().ignoredByzantine).toBe(2);
    sc.accept(1, 1, 997, [], 13);
    expect(sc.violationCount).toBe(1);
  });

  it('catches the same transaction accepted in two different blocks', () => {
    const sc = new SafetyChecker({ nodes: 3, repro: REPRO });
    sc.accept(0, 1, 101, [7, 8], 100);
    sc.accept(1, 1, 101, [7, 8], 110);
    sc.accept(1, 2, 102, [9, 7], 200); // tx 7 again, two heights later on another node
    const r = sc.report();
    expect(r.violations).toBe(1);
    expect(r.examples[0]).toEqual({
      kind: 'conflicting-tx',
      height: 2,
      otherHeight: 1,
      tx: 7,
      conflictKey: 7,
      nodes: [0, 1],
      blocks: [101, 102],
      timeUs: 200,
      repro: REPRO,
    });
  });

  it('catches two members of a declared conflict set (same key), even inside one block', () => {
    // Key = tx >> 4: txs 32..47 spend the same input.
    const sc = new SafetyChecker({ nodes: 2, repro: REPRO, conflictKeyOf: (tx) => tx >> 4 });
    sc.accept(0, 1, 101, [32, 16], 100);
    sc.accept(0, 2, 102, [47], 200);
    sc.accept(0, 3, 103, [64, 65], 300);
    const ex = sc.report().examples;
    expect(ex.map((v) => v.kind)).toEqual(['conflicting-tx', 'conflicting-tx']);
    expect(ex.map((v) => (v.kind === 'conflicting-tx' ? [v.tx, v.height, v.otherHeight, v.conflictKey] : null))).toEqual([
      [47, 2, 1, 2],
      [65, 3, 3, 4],
    ]);
  });

  it('flags a node accepting below or at a height it already passed, ignores exact repeats', () => {
    const sc = new SafetyChecker({ nodes: 2, repro: REPRO });
    sc.accept(0, 1, 101, [], 1);
    sc.accept(0, 2, 102, [], 2);
    sc.accept(0, 2, 102, [], 3); // repeat: ignored
    expect(sc.report().duplicates).toBe(1);
    sc.accept(0, 1, 101, [], 4); // going backwards
    sc.accept(0, 2, 103, [], 5); // same height, other block, same node
    expect(sc.report().examples).toEqual([
      { kind: 'non-monotonic', height: 1, lastHeight: 2, nodes: [0], blocks: [102, 101], timeUs: 4, repro: REPRO },
      { kind: 'non-monotonic', height: 2, lastHeight: 2, nodes: [0], blocks: [102, 103], timeUs: 5, repro: REPRO },
    ]);
  });

  it('prunes heights every honest node has passed, and a stalled node holds them', () => {
    const nodes = 50;
    const heights = 2_000;
    const sc = new SafetyChecker({ nodes, repro: REPRO, byzantine: [49], txRetentionHeights: 100 });
    for (let h = 1; h <= heights; h++) {
      for (let n = 0; n < nodes; n++) {
        // Node 48 stops at height 1500 (crashed); its heights stay open from then on.
        if (n === 48 && h > 1500) continue;
        sc.accept(n, h, 1_000_000 + h, [h * 10, h * 10 + 1], h * 1000 + n);
      }
    }
    const r = sc.report();
    expect(r.violations).toBe(0);
    expect(r.tip).toBe(heights);
    expect(r.watermark).toBe(1500);
    expect(r.retainedHeights).toBe(501);
    expect(r.trackedTxKeys).toBe(200); // 100 heights × 2 txs
    expect(sc.canonicalAt(1499)).toBeNull();
    expect(sc.canonicalAt(1500)).toBe(1_001_500);
    // A pruned height is still protected: anyone re-accepting it is non-monotonic.
    sc.accept(3, 1400, 42, [], 9e9);
    expect(sc.report().examples[0]?.kind).toBe('non-monotonic');
  });

  it('still catches a tx replay whose first block was pruned from the height window', () => {
    const sc = new SafetyChecker({ nodes: 1, repro: REPRO });
    for (let h = 1; h <= 10; h++) sc.accept(0, h, 100 + h, [h], h);
    sc.accept(0, 11, 111, [3], 11);
    expect(sc.report().examples[0]).toMatchObject({ kind: 'conflicting-tx', otherHeight: 3, blocks: [-1, 111], nodes: [-1, 0] });
  });

  it('rejects bad input naming the field', () => {
    const sc = new SafetyChecker({ nodes: 2, repro: REPRO });
    expect(() => sc.accept(2, 1, 1, [], 0)).toThrow('safety: node id must be an integer in [0, 1], got 2');
    expect(() => sc.accept(0, 0, 1, [], 0)).toThrow('height must be an integer >= 1');
    expect(() => new SafetyChecker({ nodes: 0, repro: '' })).toThrow('safety: nodes must be an integer');
    const tight = new SafetyChecker({ nodes: 2, repro: '', maxRetainedHeights: 10 });
    expect(() => {
      for (let h = 1; h <= 20; h++) tight.accept(0, h, h, [], h);
    }).toThrow('more than maxRetainedHeights=10 heights held open');
  });
});
