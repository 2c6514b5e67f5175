/**
 * AvalancheGo's batch (snow/engine/avalanche/transitive.go): cut pending
 * transactions into vertices of at most BatchSize, never two transactions
 * spending one input in a vertex, only virtuous ones unless `force`
 * (orphans), only unissued ones unless orphaned; with `limit`, stop while
 * OptimalProcessing vertices are processing. A transaction that cannot go
 * in is dropped (swapped with the last one, as AvalancheGo does).
 */
import type { InputId, TxId } from '../vertex.js';
import type { AvaTx } from './messages.js';

export interface BatchEnv {
  readonly batchSize: number;
  readonly optimalProcessing: number;
  numProcessing(): number;
  isVirtuous(tx: AvaTx): boolean;
  txIssued(id: TxId): boolean;
  readonly orphans: ReadonlySet<TxId>;
  /** Put these transactions into one new vertex. */
  issueBatch(txs: AvaTx[]): void;
  /** `tx` left the list: taken into a vertex, or dropped (`issued`: it was in consensus already). */
  taken(tx: AvaTx): void;
  dropped(tx: AvaTx, issued: boolean): void;
}

/** Batches `txs` (reordering it in place) and returns what is left for later. */
export function batchTxs(txs: AvaTx[], force: boolean, limit: boolean, env: BatchEnv): AvaTx[] {
  if (limit && env.optimalProcessing <= env.numProcessing()) return txs;
  const list = txs;
  const inBatch = new Set<TxId>();
  const consumed = new Set<InputId>();
  let start = 0;
  let end = 0;
  const leftover = (): AvaTx[] => {
    for (let i = 0; i < end; i++) env.taken(list[i]!);
    return list.slice(end);
  };
  while (end < list.length) {
    const tx = list[end]!;
    let overlaps = tx.inputs.some((i) => consumed.has(i));
    if (end - start >= env.batchSize || (force && overlaps)) {
      env.issueBatch(list.slice(start, end));
      if (limit && env.optimalProcessing <= env.numProcessing()) return leftover();
      start = end;
      consumed.clear();
      overlaps = false;
    }
    const issued = env.txIssued(tx.id);
    if (!overlaps && !inBatch.has(tx.id) && (force || env.isVirtuous(tx)) && (!issued || env.orphans.has(tx.id))) {
      end++;
      inBatch.add(tx.id);
      for (const i of tx.inputs) consumed.add(i);
    } else {
      list[end] = list[list.length - 1]!;
      list.pop();
      env.dropped(tx, issued || inBatch.has(tx.id));
    }
  }
  if (end > start) env.issueBatch(list.slice(start, end));
  return leftover();
}
