/**
 * Test-only: a tiny gate file (4 runs of 12 nodes, 12 s simulated) for the
 * `avsim check` tests; `silentAt34` is the expected outcome of the one cell
 * that loses liveness (34 % silent).
 */
export const tinyGate = (silentAt34: string): string => `
name: tiny-gate
duration: 12s
nodes: {count: 12}
network:
  latency: {kind: constant, oneWay: 20ms}
workload:
  phases:
    - {kind: constant, rateTps: 5, duration: 12s}
byzantine: {strategy: silent, fraction: 0}
measurement: {livenessBound: 4s}
gate:
  fractions: [0, 0.34]
  strategies: [silent, always-accept]
  seeds: 1
  expected:
    silent: {0: safe-live, 0.34: ${silentAt34}}
    always-accept: {0: safe-live, 0.34: safe-live}
`;
