/** `avsim node --config FILE`: one real node process (src/cluster/node/daemon.ts); the harness starts these. */
import { runNodeDaemon } from '../../cluster/node/daemon.js';
import { UsageError } from '../errors.js';

export async function nodeCommand(opts: { config?: string }): Promise<number> {
  if (opts.config === undefined) throw new UsageError('--config: required (the process config the harness writes, see docs/cluster.md)');
  try {
    await runNodeDaemon(opts.config);
  } catch (e) {
    if (e instanceof RangeError) throw new UsageError(e.message);
    throw e;
  }
  return 0;
}
