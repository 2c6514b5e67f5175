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
  if (allProcessing(responses, statusOf)) return responses;
  // Scratch reused across slots; the slots of one validator (adjacent, one shared array) are bubbled once.
  const out = new Set<VertexId>();
  const seen = new Set<VertexId>();
  const stack: VertexId[] = [];
  let previous: readonly VertexId[] | undefined;
  let previousResult: readonly VertexId[] = [];
  return responses.map((slot) => {
    if (slot === previous) return previousResult;
    out.clear();
    seen.clear();
    stack.length = 0;
    for (const id of slot) stack.push(id);
    for (let steps = 0; stack.length > 0 && steps < MAX_BUBBLE; steps++) {
      const id = stack.pop()!;
      if (seen.has(id)) continue;
      seen.add(id);
      const s = statusOf(id);
      if (s === 'processing') out.add(id);
      else if (s === 'unknown') {
        const parents = heldParents(id);
        if (parents !== undefined) for (const p of parents) stack.push(p);
      }
    }
    previous = slot;
    previousResult = [...out];
    return previousResult;
  });
}

/** Whether every vote names a processing vertex (the common case: nothing to bubble). */
function allProcessing(responses: PollResponses, statusOf: (id: VertexId) => VertexStatus): boolean {
  let previous: readonly VertexId[] | undefined;
  for (const slot of responses) {
    // A validator filling several slots answers one array for all of them: check it once.
    if (slot === previous) continue;
    previous = slot;
    for (const id of slot) if (statusOf(id) !== 'processing') return false;
  }
  return true;
}
