/**
 * silent (DAG): never answers a query, never serves a vertex, never issues.
 * To honest pollers it looks like a crashed validator that still holds its
 * stake: its sample slots time out.
 */
import { HonestDagBehaviour, type DagIssue, type DagNodeView, type DagQueryAnswer } from '../../consensus/avalanche/engine/behaviour.js';
import type { Vertex } from '../../consensus/avalanche/engine/messages.js';
import type { NodeId } from '../../consensus/host.js';
import type { DagStrategyDefinition } from './strategy.js';

export class DagSilentBehaviour extends HonestDagBehaviour {
  override readonly name = 'silent';
  override answerQuery(): DagQueryAnswer {
    return { kind: 'silent' };
  }
  override issue(): DagIssue {
    return { kind: 'none' };
  }
  override serveVertex(_view: DagNodeView, _from: NodeId, _vertex: Vertex): boolean {
    return false;
  }
}

export const dagSilent: DagStrategyDefinition = {
  name: 'silent',
  description: 'never answers queries, serves vertices or issues',
  options: [],
  create: () => new DagSilentBehaviour(),
};
