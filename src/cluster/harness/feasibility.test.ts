/**
 * realSideProblems: what the real side refuses up front. A strategy whose
 * nodes share memory (balancing-informed's network oracle) is refused exactly
 * when its nodes would run in more than one process.
 */
import { describe, expect, it } from 'vitest';
import { parseScenarioText } from '../../scenario/load.js';
import { realSideProblems } from './feasibility.js';

const scenario = (byzantine: string) =>
  parseScenarioText(`name: f\nduration: 5s\nnodes: {count: 6}\nworkload: {phases: [{kind: constant, rateTps: 1, duration: 5s}]}\nbyzantine: ${byzantine}\n`).scenario;
const limits = { maxNodes: 40, realSignatures: false };

describe('realSideProblems', () => {
  it('refuses balancing-informed across processes, naming the field, the seed and the nodes', () => {
    const s = scenario('{strategy: balancing-informed, ids: [1, 4]}');
    expect(realSideProblems(s, { ...limits, nodesPerProcess: 1, byzantineBySeed: [{ seed: 3, ids: [1, 4] }] })).toEqual([
      "byzantine.strategy: balancing-informed shares one network oracle (every honest node's last query) among its nodes in memory, which separate node processes do not have; seed 3 puts its nodes 1, 4 in 2 processes (use --nodes-per-process 6 to run them in one)",
    ]);
    // Nodes 1 and 4 in processes 0 and 1 with 3 per process; in process 0 with 6 per process.
    expect(realSideProblems(s, { ...limits, nodesPerProcess: 3, byzantineBySeed: [{ seed: 3, ids: [1, 4] }] })).toHaveLength(1);
    expect(realSideProblems(s, { ...limits, nodesPerProcess: 6, byzantineBySeed: [{ seed: 3, ids: [1, 4] }] })).toEqual([]);
    expect(realSideProblems(s, { ...limits, nodesPerProcess: 1, byzantineBySeed: [{ seed: 3, ids: [4] }] })).toEqual([]);
  });

  it('lets strategies that share nothing run one node per process', () => {
    const s = scenario('{strategy: balancing-naive, ids: [1, 4]}');
    expect(realSideProblems(s, { ...limits, nodesPerProcess: 1, byzantineBySeed: [{ seed: 3, ids: [1, 4] }] })).toEqual([]);
  });
});
