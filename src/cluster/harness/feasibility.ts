/**
 * What the real side cannot honour, refused before anything starts (exit 2,
 * one line naming the field and the rule), never silently approximated.
 */
import { ML_DSA_65_PUBLIC_KEY_BYTES, ML_DSA_65_SIGNATURE_BYTES } from '../../consensus/engine/messages.js';
import { findStrategy } from '../../byzantine/registry.js';
import type { Scenario } from '../../scenario/schema.js';
import { KERNEL_NET_MAX_NODES } from './kernel-net-plan.js';

export interface RealSideLimits {
  maxNodes: number;
  nodesPerProcess: number;
  realSignatures: boolean;
  /** The Byzantine nodes each seed of the run assigns (planRun), for strategies whose nodes share memory. */
  byzantineBySeed?: ReadonlyArray<{ seed: number; ids: readonly number[] }>;
  /** --kernel-net: one network namespace per node. */
  kernelNet?: boolean;
}

export function realSideProblems(s: Scenario, lim: RealSideLimits): string[] {
  const out: string[] = [];
  if (s.protocol.name !== 'snowman') out.push(`protocol.name: the real node runs snowman only, got "${s.protocol.name}"`);
  if (s.nodes.count > lim.maxNodes) {
    out.push(`nodes.count: ${s.nodes.count} is more than --max-nodes (${lim.maxNodes}): the real side runs every node as real processes on this machine`);
  }
  if (s.nodes.count < 2) out.push('nodes.count: a real cluster needs at least 2 nodes');
  if (lim.nodesPerProcess > 1) {
    s.faults.forEach((f, i) => {
      if (f.kind === 'kill' || f.kind === 'restart' || f.kind === 'pause') {
        out.push(`faults[${i}].kind: ${f.kind} signals a whole process, which holds ${lim.nodesPerProcess} nodes with --nodes-per-process ${lim.nodesPerProcess}; use --nodes-per-process 1`);
      }
    });
  }
  if (lim.kernelNet === true && lim.nodesPerProcess > 1) {
    out.push(`--nodes-per-process: --kernel-net puts every node in a network namespace of its own, so a partition can cut between any two nodes; use --nodes-per-process 1 (got ${lim.nodesPerProcess})`);
  }
  if (lim.kernelNet === true && s.nodes.count > KERNEL_NET_MAX_NODES) {
    out.push(`nodes.count: --kernel-net addresses the nodes in one /24, at most ${KERNEL_NET_MAX_NODES} nodes, got ${s.nodes.count}`);
  }
  if (lim.realSignatures && s.workload.txBytes - ML_DSA_65_SIGNATURE_BYTES - ML_DSA_65_PUBLIC_KEY_BYTES < 8) {
    out.push(`workload.txBytes: with real signatures a transaction carries a ${ML_DSA_65_SIGNATURE_BYTES}-byte signature, a ${ML_DSA_65_PUBLIC_KEY_BYTES}-byte key and at least 8 bytes of payload (>= ${ML_DSA_65_SIGNATURE_BYTES + ML_DSA_65_PUBLIC_KEY_BYTES + 8}), got ${s.workload.txBytes}`);
  }
  const shared = s.byzantine === undefined ? undefined : findStrategy(s.byzantine.strategy)?.sharesInMemory;
  if (shared !== undefined) {
    // Process k runs nodes k·P … k·P+P−1 (layout.ts): the strategy works as in the simulator only when all its nodes are in one process.
    for (const { seed, ids } of lim.byzantineBySeed ?? []) {
      const procs = [...new Set(ids.map((id) => Math.floor(id / lim.nodesPerProcess)))];
      if (procs.length > 1) {
        out.push(
          `byzantine.strategy: ${s.byzantine!.strategy} shares ${shared} among its nodes in memory, which separate node processes do not have; seed ${seed} puts its nodes ${ids.join(', ')} in ${procs.length} processes (use --nodes-per-process ${s.nodes.count} to run them in one)`,
        );
        break;
      }
    }
  }
  return out;
}
