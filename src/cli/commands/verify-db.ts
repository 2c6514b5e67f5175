/** `avsim node verify-db DIR`: exit 0 when the store is consistent, 1 with the first inconsistency, 2 when DIR is not a store. */
import { NotAStoreError, verifyStore } from '../../ops/store/verify-db.js';
import { EXIT_CHECK_FAILED, EXIT_OK, UsageError } from '../errors.js';

export async function verifyDbCommand(dir: string): Promise<number> {
  try {
    const r = await verifyStore(dir);
    if (!r.ok) {
      process.stderr.write(`avsim: ${dir}: ${r.problem}\n`);
      return EXIT_CHECK_FAILED;
    }
    const last = r.last === undefined ? 'nothing accepted yet' : `last accepted ${r.last.id} at height ${r.last.height}`;
    process.stdout.write(`${dir}: ok: ${r.blocks} blocks, heights 1..${r.blocks} contiguous, ${last}, ${r.checksummed} checksums verified\n`);
    return EXIT_OK;
  } catch (e) {
    if (e instanceof NotAStoreError) throw new UsageError(e.message);
    throw e;
  }
}
