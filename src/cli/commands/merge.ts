/** `avsim merge OUT SHARD_DIR...`: combines the shard directories of one sweep (src/parallel). */
import { mergeShards } from '../../parallel/merge.js';
import { UsageError } from '../errors.js';

export async function mergeCommand(out: string, dirs: string[]): Promise<number> {
  let r;
  try {
    r = await mergeShards(dirs, out);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  process.stdout.write(`merged ${r.shards} shard(s) into ${r.outDir}: ${r.done}/${r.total} done, ${r.failed} failed, ${r.pending} pending${r.complete ? '' : ' (incomplete: finish with avsim sweep --resume)'}\n`);
  return r.failed > 0 ? 1 : 0;
}
