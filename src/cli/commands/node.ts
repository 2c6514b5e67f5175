/** `avsim node --config FILE`: one real node process (src/cluster/node/daemon.ts); the harness starts these. */
import { runNodeDaemonOrExit } from '../../cluster/node/daemon.js';
import { UsageError } from '../errors.js';

export async function nodeCommand(opts: { config?: string }): Promise<number> {
  if (opts.config === undefined) throw new UsageError('--config: required (the process config the harness writes, see docs/cluster.md)');
  // The daemon runs until stopped; a startup failure is one line and exit 2 (bad input) or 1.
  return runNodeDaemonOrExit(opts.config);
}
