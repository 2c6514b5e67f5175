/** Forged DAG chits: a vote for chosen vertices, with the honest accepted frontier. */
import type { DagChits } from '../../consensus/avalanche/engine/behaviour.js';
import type { VertexId } from '../../consensus/avalanche/vertex.js';

export function voteFor(honest: DagChits, vertices: readonly VertexId[]): DagChits {
  return { kind: 'chits', preferred: vertices, accepted: honest.accepted };
}

/** A vote for decided vertices only: it reaches the asker (its poll can end) but counts for nothing. */
export function voteNothing(honest: DagChits): DagChits {
  return { kind: 'chits', preferred: honest.accepted, accepted: honest.accepted };
}
