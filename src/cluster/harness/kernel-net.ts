/** --kernel-net: partitions as nftables rules between per-node network namespaces (root only). */
import { spawnSync } from 'node:child_process';

/** Why --kernel-net cannot be used here, or undefined when it can. */
export function kernelNetProblem(): string | undefined {
  if (typeof process.getuid === 'function' && process.getuid() !== 0) return 'needs root (network namespaces and nftables)';
  for (const tool of ['ip', 'nft']) {
    const r = spawnSync(tool, ['-V'], { stdio: 'ignore' });
    if (r.error !== undefined) return `needs the ${tool} command (apt-get install ${tool === 'ip' ? 'iproute2' : 'nftables'})`;
  }
  return 'is not implemented yet: partitions go through the transport rules (the default)';
}
