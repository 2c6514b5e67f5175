/**
 * Must-show (issue #3): an honest network of 100 validators with default
 * consensus parameters (K=20, alpha=15, beta=20, 4 concurrent repolls, 10
 * optimal processing) on a realistic latency profile (SimBlock's 2019
 * six-region one-way matrix with Pareto jitter), under a steady 100 TPS
 * Poisson load, accepts the same chain on every node and keeps finalising.
 *
 * Safety is checked on every acceptance (the recording observer compares each
 * acceptance with the first block accepted at that height, at that moment)
 * and again at the end on every node's whole accepted chain: linked by parent
 * ids, and a prefix of the longest one. Liveness: new heights keep being
 * accepted throughout the run (no gap above 4 s), every node has every
 * height some node accepted 4 s before the end, and
 * every transaction submitted before end − 10 s was accepted on the node
 * it was submitted to, in exactly one block.
 */
import { describe, expect, it } from 'vitest';
import { runNetwork } from './network-harness.js';

const SCENARIO = `name: honest-100-regions
duration: 30s
nodes: {count: 100}
network:
  latency: {kind: regions, preset: simblock-2019}
workload:
  phases:
    - {kind: poisson, rateTps: 100, duration: 30s}
`;

const END_US = 30_000_000;
const BOUND_US = 10_000_000;

describe('honest network of 100 validators, SimBlock regions, 100 TPS', () => {
  const run = runNetwork(SCENARIO, 11);
  const chains = run.honest.map((id) => run.nodes[id]!.acceptedChain());
  const longest = chains.reduce((a, c) => (c.length > a.length ? c : a));

  it('never accepts two blocks at one height (checked on every acceptance)', () => {
    expect(run.observer.conflicts).toEqual([]);
    expect(run.observer.acceptances).toBe(chains.reduce((s, c) => s + c.length - 1, 0));
  });

  it("every node's accepted chain is linked and a prefix of the longest", () => {
    for (const chain of chains) {
      for (let h = 1; h < chain.length; h++) {
        expect(chain[h]!.height).toBe(h);
        expect(chain[h]!.parent).toBe(chain[h - 1]!.id);
        expect(chain[h]!.id).toBe(longest[h]!.id);
      }
    }
  });

  it('keeps finalising: new heights throughout the run; every node has every height accepted anywhere 4 s before the end', () => {
    const tip = longest.length - 1;
    expect(tip).toBeGreaterThanOrEqual(25);
    // First acceptance of each height, anywhere: no gap above 4 s after the first block.
    const times = [...run.observer.firstAccepted.entries()].toSorted((a, b) => a[0] - b[0]).map(([, v]) => v.time);
    // Every node has every height that some node accepted 4 s before the end.
    // (Was 3 s. Nodes in the far regions poll in 0.6-1 s and trail the first
    // acceptance of a height by up to 3.3 s: seeds 1 and 3 did so before the
    // trie and the shared-prefix early termination, and seed 11 does since,
    // by 3.15 s; 4 s is the gap bound below.)
    const settled = times.filter((t) => t <= END_US - 4_000_000).length;
    for (const chain of chains) expect(chain.length - 1).toBeGreaterThanOrEqual(settled);
    expect(times.length).toBe(tip);
    for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBeLessThanOrEqual(4_000_000);
    expect(times[0]!).toBeLessThan(5_000_000);
    expect(END_US - times[times.length - 1]!).toBeLessThan(4_000_000);
  });

  it('accepts every transaction submitted before end - 10 s, each in exactly one block', () => {
    const inChain = new Map<number, number>();
    for (const b of longest) for (const tx of b.txs) inChain.set(tx, (inChain.get(tx) ?? 0) + 1);
    let due = 0;
    for (const [tx, at] of run.observer.submitted) {
      if (at >= END_US - BOUND_US) continue;
      due++;
      expect(run.observer.clientAccepted.has(tx)).toBe(true);
      expect(inChain.get(tx)).toBe(1);
    }
    expect(due).toBeGreaterThan(1_500);
    for (const n of inChain.values()) expect(n).toBe(1);
    const latencies = [...run.observer.clientAccepted].map(([tx, t]) => t - run.observer.submitted.get(tx)!).toSorted((a, b) => a - b);
    console.log(
      `tip=${longest.length - 1} txs=${run.observer.submitted.size} accepted=${latencies.length} p50=${latencies[Math.floor(latencies.length / 2)]! / 1000}ms p99=${latencies[Math.floor(latencies.length * 0.99)]! / 1000}ms events=${run.result.events}`,
    );
  });
});
