/**
 * Fault validation (at schedule time, so a bad timeline fails before the run).
 */
import type { Fault } from './types.js';
import type { Grudge } from './network.js';

function bad(field: string, rule: string, got: unknown): never {
  throw new RangeError(`fault.${field}: ${rule}, got ${JSON.stringify(got)}`);
}

function checkNode(field: string, n: unknown, nodeCount: number): void {
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n >= nodeCount) {
    bad(field, `must be a node id in [0, ${nodeCount})`, n);
  }
}

function checkNodes(field: string, ns: readonly number[], nodeCount: number): void {
  ns.forEach((n, i) => checkNode(`${field}[${i}]`, n, nodeCount));
}

function checkGrudge(g: Grudge, nodeCount: number): void {
  if (g.kind === 'one-way') {
    checkNodes('grudge.from', g.from, nodeCount);
    checkNodes('grudge.to', g.to, nodeCount);
    return;
  }
  if (g.groups.length < 2) bad('grudge.groups', 'a split needs at least 2 groups', g.groups.length);
  g.groups.forEach((grp, i) => checkNodes(`grudge.groups[${i}]`, grp, nodeCount));
}

function checkProbability(field: string, p: number): void {
  if (!Number.isFinite(p) || p < 0 || p >= 1) bad(field, 'must be a probability in [0, 1)', p);
}

function checkBandwidth(field: string, b: number): void {
  if (!(b > 0)) bad(field, 'must be a positive number of bits/s (or Infinity)', b);
}

/** The node a fault belongs to (its trace-hash lane), or -1 for run-level faults. */
export function faultNode(f: Fault): number {
  switch (f.kind) {
    case 'crash':
    case 'restart':
    case 'pause':
    case 'set-bandwidth':
      return f.node;
    default:
      return -1;
  }
}

export function validateFault(f: Fault, nodeCount: number): void {
  switch (f.kind) {
    case 'crash':
    case 'restart':
      checkNode('node', f.node, nodeCount);
      return;
    case 'pause':
      checkNode('node', f.node, nodeCount);
      if (!Number.isSafeInteger(f.durationUs) || f.durationUs < 1) bad('durationUs', 'must be an integer number of µs >= 1', f.durationUs);
      return;
    case 'partition':
      checkGrudge(f.grudge, nodeCount);
      return;
    case 'heal':
      return;
    case 'set-loss':
      checkProbability('probability', f.probability);
      if (f.nodes !== undefined) checkNodes('nodes', f.nodes, nodeCount);
      return;
    case 'set-duplication':
      checkProbability('probability', f.probability);
      return;
    case 'add-delay':
      if (!Number.isSafeInteger(f.extraUs) || f.extraUs < 0) bad('extraUs', 'must be an integer number of µs >= 0', f.extraUs);
      if (f.nodes !== undefined) checkNodes('nodes', f.nodes, nodeCount);
      return;
    case 'set-bandwidth':
      checkNode('node', f.node, nodeCount);
      checkBandwidth('uploadBitsPerSec', f.uploadBitsPerSec);
      checkBandwidth('downloadBitsPerSec', f.downloadBitsPerSec);
      return;
  }
}
