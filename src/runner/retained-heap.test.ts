/**
 * memoryBytesPerNode is the heap a run retains (after a forced full GC on
 * both sides), so it does not depend on the garbage lying around when the
 * run starts: the old plain heap delta read 0 B after garbage was collected
 * during the run, and anything up to hundreds of kB otherwise.
 */
import { describe, expect, it } from 'vitest';
import { parseScenarioText } from '../scenario/load.js';
import { heapUsedAfterGc } from './retained-heap.js';
import { runScenario } from './run-scenario.js';

const SCENARIO = parseScenarioText(`
name: retained-heap
duration: 1s
nodes: {count: 60}
network:
  latency: {kind: constant, oneWay: 10ms}
workload:
  phases:
    - {kind: constant, rateTps: 20, duration: 1s}
`).scenario;

/** Allocates and drops about `mb` MB of garbage. */
function garbage(mb: number): number {
  let keep = 0;
  for (let i = 0; i < mb; i++) keep += Array.from({ length: 131_072 }, () => i).length;
  return keep;
}

describe('memoryBytesPerNode', () => {
  it('a forced GC leaves only live objects: garbage made and dropped is gone', () => {
    const before = heapUsedAfterGc();
    garbage(40);
    expect(heapUsedAfterGc() - before).toBeLessThan(4_000_000);
  });

  it('is the same with or without garbage around when the run starts, and means something (kB per node)', async () => {
    // The first run in a process also holds the code compiled for it (about 50 kB per node here, 31 kB after).
    await runScenario(SCENARIO, { seed: 1 });
    const clean = await runScenario(SCENARIO, { seed: 1 });
    garbage(40); // ~40 MB that a run's first minor GCs would collect out of a plain heap delta
    const dirty = await runScenario(SCENARIO, { seed: 1 });
    expect(dirty.traceHash).toBe(clean.traceHash);
    expect(clean.memoryBytesPerNode).toBeGreaterThan(1_000);
    expect(dirty.memoryBytesPerNode).toBeGreaterThan(1_000);
    expect(Math.abs(dirty.memoryBytesPerNode - clean.memoryBytesPerNode) / clean.memoryBytesPerNode).toBeLessThan(0.25);
  });
});
