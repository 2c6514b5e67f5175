/**
 * What a node answers to GetAncestors (AvalancheGo snow/engine/snowman/
 * getter/getter.go and block/batched_vm.go `GetAncestors`): the requested
 * block, then its parent, grandparent, … — newest first — up to
 * `maxContainers` blocks (--bootstrap-ancestors-max-containers-sent, 2,000)
 * and `maxBytes` bytes (constants.MaxContainersLen: 4/5 of the 2 MiB maximum
 * message), each container counted with its 4-byte length prefix. The
 * requested block is always included; an unknown requested block gives an
 * empty answer ("ask someone else"). The receiver reads at most
 * `maxContainersReceived` of them (--bootstrap-ancestors-max-containers-received).
 */
import type { Block, BlockId } from '../../snowman/block.js';

export interface AncestorsLimits {
  readonly maxContainersSent: number;
  readonly maxContainersReceived: number;
  readonly maxBytes: number;
}

/** 2 MiB, AvalancheGo's default maximum message size (constants.DefaultMaxMessageSize). */
export const MAX_MESSAGE_BYTES = 2 * 1024 * 1024;
/** wrappers.IntLen: the length prefix of each container. */
export const CONTAINER_LENGTH_BYTES = 4;

export const DEFAULT_ANCESTORS_LIMITS: AncestorsLimits = Object.freeze({
  maxContainersSent: 2_000,
  maxContainersReceived: 2_000,
  maxBytes: Math.trunc((4 * MAX_MESSAGE_BYTES) / 5),
});

/** The blocks of an Ancestors answer for `id`, newest first; `lookup` knows this node's blocks (accepted or not). */
export function ancestorsOf(id: BlockId, lookup: (id: BlockId) => Block | undefined, limits: AncestorsLimits): Block[] {
  return boundedAncestors(id, lookup, (b) => [b.parent], limits);
}

/**
 * The containers of an Ancestors answer for `id` in breadth-first order from
 * it over `parentsOf` (AvalancheGo's DAG getter: a queue, each container
 * once), skipping parents `lookup` does not know, and stopping at the first
 * container that would pass `maxBytes` or once `maxContainersSent` are in.
 * For a chain (one parent each) this is the chain walk of `ancestorsOf`.
 */
export function boundedAncestors<C extends { readonly id: number; readonly sizeBytes: number }>(
  id: number,
  lookup: (id: number) => C | undefined,
  parentsOf: (c: C) => readonly number[],
  limits: AncestorsLimits,
): C[] {
  const first = lookup(id);
  if (first === undefined) return [];
  const out: C[] = [first];
  const seen = new Set<number>([first.id]);
  let bytes = first.sizeBytes + CONTAINER_LENGTH_BYTES;
  for (let i = 0; i < out.length && out.length < limits.maxContainersSent; i++) {
    for (const pid of parentsOf(out[i]!)) {
      if (seen.has(pid)) continue;
      const parent = lookup(pid);
      if (parent === undefined) continue;
      const next = bytes + parent.sizeBytes + CONTAINER_LENGTH_BYTES;
      if (next > limits.maxBytes) return out;
      seen.add(pid);
      out.push(parent);
      bytes = next;
      if (out.length >= limits.maxContainersSent) return out;
    }
  }
  return out;
}

export function ancestorsLimitsProblems(l: AncestorsLimits): Array<{ field: string; message: string }> {
  const out: Array<{ field: string; message: string }> = [];
  for (const [field, v] of [
    ['maxContainersSent', l.maxContainersSent],
    ['maxContainersReceived', l.maxContainersReceived],
    ['maxBytes', l.maxBytes],
  ] as const) {
    if (!(Number.isSafeInteger(v) && v >= 1)) out.push({ field, message: `must be an integer >= 1 (got ${v})` });
  }
  return out;
}
