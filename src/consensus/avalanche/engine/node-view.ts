/** The read-only DagNodeView a node gives its behaviour (Byzantine strategies). */
import type { Micros, NodeId } from '../../host.js';
import type { ValidatorSet } from '../../engine/sampler.js';
import type { Topological } from '../topological.js';
import type { TxId, VertexId } from '../vertex.js';
import type { DagNodeView } from './behaviour.js';
import type { Vertex } from './messages.js';

export interface ViewSource {
  readonly id: NodeId;
  readonly validators: ValidatorSet;
  now(): Micros;
  /** The node's current consensus instance (replaced on restart). */
  consensus(): Topological<Vertex>;
  /** Vertices held and not decided. */
  held(): Iterable<Vertex>;
  vertex(id: VertexId): Vertex | undefined;
  numProcessing(): number;
}

export function makeDagNodeView(src: ViewSource): DagNodeView {
  const processingHolding = (pred: (tx: TxId) => boolean): VertexId[] => {
    const c = src.consensus();
    const out: VertexId[] = [];
    for (const v of src.held()) if (c.vertexStatus(v.id) === 'processing' && v.txs.some((t) => pred(t.id))) out.push(v.id);
    return out.toSorted((a, b) => a - b);
  };
  return {
    id: src.id,
    validators: src.validators,
    now: () => src.now(),
    preferences: () => [...src.consensus().preferences()],
    acceptedFrontier: () => [...src.consensus().acceptedFrontier()],
    virtuousFrontier: () => [...src.consensus().virtuous()],
    vertex: (id) => src.vertex(id),
    vertexStatus: (id) => src.consensus().vertexStatus(id),
    numProcessing: () => src.numProcessing(),
    rogueVertices: () => {
      const c = src.consensus();
      return processingHolding((t) => c.txStatus(t) === 'processing' && !c.isTxPreferred(t));
    },
    conflictingVertices: (id) => {
      const v = src.vertex(id);
      if (v === undefined) return [];
      const c = src.consensus();
      const against = new Set<TxId>();
      for (const t of v.txs) for (const x of c.conflictsOf(t)) against.add(x);
      return against.size === 0 ? [] : processingHolding((t) => against.has(t));
    },
  };
}
