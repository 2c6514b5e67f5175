/** Scenario network section -> the engine's NetworkConfig. */
import type { Scenario } from '../scenario/schema.js';
import type { NetworkConfig } from '../sim/network.js';
import type { LatencyProfile } from '../sim/latency.js';
import { SIMBLOCK_REGION_DISTRIBUTION_2019, SIMBLOCK_REGIONS_2019 } from '../sim/latency.js';

const MBPS = 1_000_000;

export function latencyProfileOf(scenario: Scenario): LatencyProfile {
  const lat = scenario.network.latency;
  switch (lat.kind) {
    case 'constant':
      return { kind: 'constant', latencyUs: lat.oneWay };
    case 'uniform':
      return { kind: 'uniform', minUs: lat.min, maxUs: lat.max };
    case 'lognormal':
      return { kind: 'lognormal', medianUs: lat.median, sigma: lat.sigma, floorUs: lat.min ?? 1 };
    case 'regions':
      return {
        kind: 'region',
        matrixMs: lat.oneWayMs,
        regionWeights: regionWeights(lat.regions, scenario.nodes.regions),
        jitter: lat.jitter.kind === 'none' ? { kind: 'none' } : { kind: 'pareto-simblock' },
      };
  }
}

/**
 * Node placement weights aligned with the latency table's regions: the
 * scenario's `nodes.regions` when given; SimBlock's 2019 node distribution
 * for its own table; otherwise even.
 */
function regionWeights(regions: readonly string[], given: Readonly<Record<string, number>> | undefined): number[] {
  if (given !== undefined) return regions.map((r) => given[r] ?? 0);
  const simblock = SIMBLOCK_REGIONS_2019 as readonly string[];
  if (regions.length === simblock.length && regions.every((r, i) => r === simblock[i])) {
    return [...SIMBLOCK_REGION_DISTRIBUTION_2019];
  }
  return regions.map(() => 1 / regions.length);
}

export function networkConfigOf(scenario: Scenario): NetworkConfig {
  const net = scenario.network;
  return {
    latency: latencyProfileOf(scenario),
    bandwidth: {
      kind: 'uniform',
      uploadBitsPerSec: net.bandwidth.upMbps * MBPS,
      downloadBitsPerSec: net.bandwidth.downMbps * MBPS,
    },
    lossProbability: net.lossRate,
    duplicateProbability: net.duplicationRate,
  };
}
