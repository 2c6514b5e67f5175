/**
 * CPU calibration: what the real node spent, as the scenario's `cpu`
 * section would have to say for the simulator to spend the same.
 *
 * The real node pays every modelled cost as busy work (so that part matches
 * by construction) plus its own real overhead per message (decoding, the
 * engine's JavaScript, encoding and framing, sockets, timers, the garbage
 * collector: the node process's whole CPU time beyond busy work and
 * signatures, per message received) which the model does not know about;
 * with real signatures it pays the measured ML-DSA-65 cost instead of
 * sigVerify/sigSign. So the matching section is the scenario's, with
 * handlePerMessage raised by the measured overhead per message and the
 * signature costs replaced by the measured ones.
 */
import type { Scenario } from '../../scenario/schema.js';

export interface MeasuredCpu {
  /** Real CPU per received message beyond the modelled busy work and signature checks, µs. */
  meanHandleUs: number;
  /** Measured per ML-DSA-65 verification / signature, µs (null when real signatures were off). */
  sigVerifyUs: number | null;
  sigSignUs: number | null;
}

const us = (x: number): string => `${Math.max(0, Math.round(x))}us`;

/** The calibrated `cpu` section (scenario field -> value as a scenario file writes it). */
export function formatCpuSection(scenario: Scenario, m: MeasuredCpu): Record<string, string | boolean> {
  const c = scenario.cpu;
  return {
    handlePerMessage: us(c.handlePerMessage + m.meanHandleUs),
    handlePerKib: us(c.handlePerKib),
    blockVerifyBase: us(c.blockVerifyBase),
    blockVerifyPerTx: us(c.blockVerifyPerTx),
    sigVerify: us(m.sigVerifyUs ?? c.sigVerify),
    sigSign: us(m.sigSignUs ?? c.sigSign),
    buildPerTx: us(c.buildPerTx),
    reverifyTxSignaturesInBlocks: c.reverifyTxSignaturesInBlocks,
  };
}

/** The section as `--set` flags for `avsim run` (only the fields that differ from the scenario). */
export function cpuSetFlags(scenario: Scenario, section: Readonly<Record<string, string | boolean>>): string[] {
  const current = formatCpuSection(scenario, { meanHandleUs: 0, sigVerifyUs: null, sigSignUs: null });
  return Object.entries(section)
    .filter(([k, v]) => current[k] !== v)
    .map(([k, v]) => `cpu.${k}=${String(v)}`);
}
