/**
 * The DAG safety checker as the protocol seam wants it (src/metrics/dag-safety.ts
 * does the work), and its input's encoding for the ordered log of a sharded run.
 */
import { DagSafetyChecker, type DagAcceptance } from '../../../metrics/dag-safety.js';
import type { Micros, NodeId } from '../../host.js';
import type { CheckRecordCodec, SafetyCheck, SafetyCheckOptions } from '../../protocol.js';
import type { ByteReader, ByteWriter } from '../../wire-bytes.js';

export function dagSafetyCheck(opts: SafetyCheckOptions): SafetyCheck<DagAcceptance> {
  const checker = new DagSafetyChecker({ nodes: opts.nodeCount, byzantine: opts.byzantine, repro: opts.repro });
  return {
    check: (a: DagAcceptance, node: NodeId, time: Micros) => checker.accept(a, node, time),
    summary: () => checker.summary(),
  };
}

function writeIds(w: ByteWriter, ids: readonly number[]): void {
  w.u32(ids.length);
  for (const id of ids) w.u53(id);
}

function readIds(r: ByteReader, field: string): number[] {
  const n = r.u32(`${field} count`);
  if (r.error !== undefined || n * 8 > r.remaining) throw new Error(`ordered log: ${field}: ${r.error?.detail ?? `${n} ids do not fit`}`);
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(r.u53(field));
  return out;
}

/** Layout: u8 0, u53 tx id, ids inputs; or u8 1, u53 vertex id, u32 height, ids parents, ids txs. */
export const DAG_ACCEPTANCE_RECORDS: CheckRecordCodec<DagAcceptance> = {
  encoder() {
    return {
      write(w, a) {
        if (a.kind === 'tx') {
          w.u8(0);
          w.u53(a.id);
          writeIds(w, a.inputs);
        } else {
          w.u8(1);
          w.u53(a.id);
          w.u32(a.height);
          writeIds(w, a.parents);
          writeIds(w, a.txs);
        }
      },
    };
  },
  decoder() {
    return {
      read(r) {
        const kind = r.u8('kind');
        const id = r.u53('id');
        let a: DagAcceptance;
        if (kind === 0) a = { kind: 'tx', id, inputs: readIds(r, 'inputs') };
        else if (kind === 1) {
          const height = r.u32('height');
          a = { kind: 'vertex', id, height, parents: readIds(r, 'parents'), txs: readIds(r, 'txs') };
        } else throw new Error(`ordered log: unknown DAG acceptance kind ${kind}`);
        if (r.error !== undefined) throw new Error(`ordered log: ${r.error.reason}: ${r.error.detail}`);
        return a;
      },
    };
  },
};
