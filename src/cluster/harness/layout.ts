/**
 * Where a real run lives on disk (documented in docs/cluster.md):
 *
 *   <runDir>/token                  the control API's bearer token (mode 0600)
 *   <runDir>/run.json               what the harness planned and what happened (faults as realised, environment)
 *   <runDir>/p<k>/config.json       node process k's config (nodes, ports, scenario, epoch)
 *   <runDir>/p<k>/ready.json        written atomically by the process once it listens: pid, API port, transport ports
 *   <runDir>/p<k>/log.txt           its stdout and stderr
 *   <runDir>/n<id>/db/              node id's RocksDB store (accepted chain, id reservations)
 *   <runDir>/n<id>/history.jsonl    node id's append-only history (every incarnation)
 *
 * Node process k runs nodes k·P .. k·P+P−1 (P = --nodes-per-process).
 */
import { join } from 'node:path';
import type { NodeId } from '../../consensus/host.js';

export interface ProcessSlot {
  readonly index: number;
  readonly nodes: readonly NodeId[];
  readonly dir: string;
}

export function processSlots(runDir: string, nodeCount: number, perProcess: number): ProcessSlot[] {
  const out: ProcessSlot[] = [];
  for (let k = 0; k * perProcess < nodeCount; k++) {
    const nodes: NodeId[] = [];
    for (let id = k * perProcess; id < Math.min(nodeCount, (k + 1) * perProcess); id++) nodes.push(id);
    out.push({ index: k, nodes, dir: join(runDir, `p${k}`) });
  }
  return out;
}

export const nodeDir = (runDir: string, id: NodeId): string => join(runDir, `n${id}`);
export const historyPath = (runDir: string, id: NodeId): string => join(nodeDir(runDir, id), 'history.jsonl');
export const tokenPath = (runDir: string): string => join(runDir, 'token');
