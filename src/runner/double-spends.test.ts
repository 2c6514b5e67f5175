import { describe, expect, it } from 'vitest';
import { LatencyHistogram } from '../metrics/histogram.js';
import { MAX_NODES_WITH_DOUBLE_SPENDS, TWIN_OWNER_OFFSET, twinTxIdOf, txIdOf } from '../consensus/snowman/block.js';
import { RunCollector } from './collector.js';
import { clientSourceFor, doubleSpendDraw, twinSourceFor } from './workload.js';

const PHASES = [{ kind: 'poisson' as const, durationUs: 60_000_000, tps: 200 }];

function drain<C>(src: { next(): { at: number; request: C } | undefined }): Array<{ at: number; request: C }> {
  const out: Array<{ at: number; request: C }> = [];
  for (let x = src.next(); x !== undefined; x = src.next()) out.push(x);
  return out;
}

describe('double spends (runner/workload.ts)', () => {
  it('twins a fraction of a node\'s transactions at the same instants, with dense run-unique ids', () => {
    const primaries = drain(clientSourceFor(4, 1, 3, PHASES, 9, 60_000_000, (tx) => tx));
    const twins = drain(twinSourceFor(4, 1, 3, PHASES, 9, 60_000_000, 0.1, (tx, twin) => ({ tx, twin })));
    const at = new Map(primaries.map((p) => [p.request, p.at]));
    expect(primaries.length).toBeGreaterThan(3_500);
    // About 10% twinned, each at its original's instant.
    expect(twins.length / primaries.length).toBeGreaterThan(0.08);
    expect(twins.length / primaries.length).toBeLessThan(0.12);
    for (const t of twins) expect(t.at).toBe(at.get(t.request.tx));
    // Twin ids: owner 65,536 + 4, counters 1, 2, 3, … (dense, so decided-id sets stay small).
    expect(twins.map((t) => t.request.twin)).toEqual(twins.map((_, i) => twinTxIdOf(4, i + 1)));
    expect(twinTxIdOf(4, 1)).toBe(txIdOf(TWIN_OWNER_OFFSET + 4, 1));
    // Deterministic, and independent of the draw for other nodes.
    expect(drain(twinSourceFor(4, 1, 3, PHASES, 9, 60_000_000, 0.1, (tx, twin) => ({ tx, twin })))).toEqual(twins);
    expect(doubleSpendDraw(9, 4, 17)).toBe(doubleSpendDraw(9, 4, 17));
    expect(doubleSpendDraw(9, 4, 17)).not.toBe(doubleSpendDraw(9, 5, 17));
    expect(drain(twinSourceFor(4, 1, 3, PHASES, 9, 60_000_000, 0, (tx) => tx))).toEqual([]);
    expect(() => twinTxIdOf(MAX_NODES_WITH_DOUBLE_SPENDS, 1)).toThrow(/twinTxIdOf: node must be in \[0, 65535\)/);
  });
});

function collector() {
  return new RunCollector<unknown>({
    safety: { check: () => {}, summary: () => ({ violations: 0, examples: [] }) },
    nodeCount: 3,
    byzantine: new Set([2]),
    warmupUs: 0,
    livenessBoundUs: 1_000_000,
    throughputBucketUs: 1_000_000,
    repro: 'x',
  });
}
describe('RunCollector protocol metrics and rejections', () => {
  it('a rejected client transaction is decided for liveness, counted apart from TPS and latency', () => {
    const c = collector();
    c.txSubmitted(1, 0, 0);
    c.txSubmitted(2, 1, 0);
    c.txRejected(1, 0, 500_000);
    c.txRejected(1, 0, 600_000); // twice: ignored
    c.txAccepted(2, 1, 700_000);
    const report = c.liveness.finish(5_000_000);
    expect([report.ok, report.undecided, c.counts.rejectedTxs, c.counts.acceptedTxs, c.clientLatency.count]).toEqual([true, 0, 1, 1, 1]);
  });

  it('sums counters and merges distributions over honest nodes and across shards', () => {
    const a = collector();
    const b = collector();
    a.count('txsRejected', 2, 0);
    a.count('txsRejected', 5, 2); // Byzantine: ignored
    b.count('txsRejected', 3, 1);
    a.observe('conflictSetSize', 1, 0);
    b.observe('conflictSetSize', 2, 1);
    b.observe('conflictSetSize', 2, 2); // Byzantine: ignored
    a.absorb(structuredClone(b.snapshot()));
    expect(a.protocolCounters.get('txsRejected')).toBe(5);
    const h = a.protocolDistributions.get('conflictSetSize')!;
    expect(h).toBeInstanceOf(LatencyHistogram);
    expect(h.summaryRaw()).toMatchObject({ count: 2, max: 2, mean: 1.5 });
  });
});
