/**
 * AvalancheGo voter.bubbleVotes: before a finished poll is recorded, a vote
 * for a vertex this node holds but has not issued (still waiting for its
 * parents) goes to that vertex's parents, recursively; votes for unknown or
 * decided vertices are dropped. Each slot keeps a set (a slot counts once).
 */
import type { PollResponses, VertexStatus } from '../consensus.js';
import type { VertexId } from '../vertex.js';

/** Walk limit per slot (held-but-unissued chains are short). */
const MAX_BUBBLE = 100_000;

export function bubbleVotes(
  responses: PollResponses,
  statusOf: (id: VertexId) => VertexStatus,
  heldParents: (id: VertexId) => readonly VertexId[] | undefined,
): PollResponses {
  if (responses.every((slot) => slot.every((id) => statusOf(id) === 'processing'))) return responses;
  return responses.map((slot) => {
    const out = new Set<VertexId>();
    const seen = new Set<VertexId>();
    const stack = [...slot];
    for (let steps = 0; stack.length > 0 && steps < MAX_BUBBLE; steps++) {
      const id = stack.pop()!;
      if (seen.has(id)) continue;
      seen.add(id);
      const s = statusOf(id);
      if (s === 'processing') out.add(id);
      else if (s === 'unknown') {
        const parents = heldParents(id);
        if (parents !== undefined) stack.push(...parents);
      }
    }
    return [...out];
  });
}
