/**
 * Snowman's safety checker input, one per honest acceptance (the block's id,
 * height and transactions), the checker that consumes it (src/metrics/safety.ts:
 * conflicting blocks at a height, or a transaction accepted in two blocks),
 * and the input's encoding for the ordered log of a sharded run, where a
 * block's transactions go once per shard and later acceptances name it by id.
 */
import { SafetyChecker } from '../../metrics/safety.js';
import type { CheckRecordCodec, SafetyCheck, SafetyCheckOptions } from '../protocol.js';
import type { Micros, NodeId } from '../host.js';
import type { Block, BlockId } from './block.js';

/** What the checker needs of an accepted block (a Block is one). */
export type SnowmanAcceptance = Pick<Block, 'id' | 'height' | 'txs'>;

export function snowmanSafetyCheck(opts: SafetyCheckOptions): SafetyCheck<SnowmanAcceptance> {
  const checker = new SafetyChecker({ nodes: opts.nodeCount, byzantine: opts.byzantine, repro: opts.repro });
  return {
    check: (b: SnowmanAcceptance, node: NodeId, time: Micros) => checker.accept(node, b.height, b.id, b.txs, time),
    summary: () => checker.summary(),
  };
}

/** Layout: u53 id, u32 height, u8 with-txs, then (first time only) u32 count and count × u53 tx ids. */
export const SNOWMAN_ACCEPTANCE_RECORDS: CheckRecordCodec<SnowmanAcceptance> = {
  encoder() {
    const sent = new Set<BlockId>();
    return {
      write(w, b) {
        w.u53(b.id);
        w.u32(b.height);
        if (sent.has(b.id)) {
          w.u8(0);
          return;
        }
        sent.add(b.id);
        w.u8(1);
        w.u32(b.txs.length);
        for (const tx of b.txs) w.u53(tx);
      },
    };
  },
  decoder() {
    const known = new Map<BlockId, SnowmanAcceptance>();
    return {
      read(r) {
        const id = r.u53('block');
        const height = r.u32('height');
        const withTxs = r.u8('with-txs');
        if (withTxs === 1) {
          const n = r.u32('tx count');
          const txs: number[] = [];
          for (let i = 0; i < n && r.error === undefined; i++) txs.push(r.u53('tx'));
          if (r.error === undefined && !known.has(id)) known.set(id, { id, height, txs });
        }
        if (r.error !== undefined) throw new Error(`ordered log: ${r.error.reason}: ${r.error.detail}`);
        const b = known.get(id);
        if (b === undefined) throw new Error(`ordered log: transactions of block ${id} never arrived`);
        return b;
      },
    };
  },
};
