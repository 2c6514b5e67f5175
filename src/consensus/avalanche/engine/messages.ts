/**
 * The Avalanche DAG engine's wire messages (AvalancheGo v1.9 p2p consensus
 * messages for the X-chain DAG: PushQuery, PullQuery, Chits with the
 * accepted frontier, Get, Put, and the bootstrapping GetAcceptedFrontier /
 * AcceptedFrontier, GetAccepted / Accepted, GetAncestors / Ancestors), the vertex and transaction as they travel,
 * and the model that gives each message its size in bytes and CPU cost.
 *
 * In the simulator vertices travel by reference (immutable); their wire size
 * is `Vertex.sizeBytes`, computed when the vertex is built.
 */
import type { Micros, NodeId } from '../../host.js';
import type { CpuCosts, Deadline, SizeModel } from '../../engine/messages.js';
import { ML_DSA_65_PUBLIC_KEY_BYTES, ML_DSA_65_SIGNATURE_BYTES } from '../../engine/messages.js';
import type { DagTx, DagVertex, InputId, TxId, VertexId } from '../vertex.js';

/** Request ids are per-sender counters; 0 marks an unsolicited message (gossip). */
export type RequestId = number;

/**
 * A transaction as the engine carries it. The workload's transactions spend
 * fresh inputs, so none depends on another (`deps` is always empty on the
 * wire); `submittedAt` is the client's submission time (carried, as load
 * generators do, for per-node finality figures).
 */
export interface AvaTx extends DagTx {
  readonly submittedAt: Micros;
}

export interface Vertex extends DagVertex {
  readonly txs: readonly AvaTx[];
  /** One more than the highest parent (0 for genesis). */
  readonly height: number;
  readonly issuer: NodeId;
  /** Serialized size in bytes (header, parent ids, transactions with their signatures). */
  readonly sizeBytes: number;
  /** When the issuer built it (per-node vertex finality). */
  readonly builtAt: Micros;
}

/** What a client submits: a transaction id and the inputs it spends. */
export interface DagClientTx {
  readonly id: TxId;
  readonly inputs: readonly InputId[];
}

/** Requests carry their deadline (engine/messages.ts Deadline): a request that waited past it is dropped, not handled. */
export type DagMessage =
  /** "Here is a vertex; tell me your preferences" (PushQuery). */
  | ({ readonly kind: 'push-query'; readonly requestId: RequestId; readonly vertex: Vertex } & Deadline)
  /** "Tell me your preferences; fetch this vertex if you lack it" (PullQuery). */
  | ({ readonly kind: 'pull-query'; readonly requestId: RequestId; readonly vertexId: VertexId } & Deadline)
  /** Answer to a query: the preferred frontier (the votes) and the accepted frontier (Chits, v1.9). */
  | { readonly kind: 'chits'; readonly requestId: RequestId; readonly preferred: readonly VertexId[]; readonly accepted: readonly VertexId[] }
  /** Ask a peer for one vertex (Get). */
  | ({ readonly kind: 'get'; readonly requestId: RequestId; readonly vertexId: VertexId } & Deadline)
  /** A vertex: the answer to a get, or accepted-frontier gossip when requestId is 0 (Put). */
  | { readonly kind: 'put'; readonly requestId: RequestId; readonly vertex: Vertex }
  /** Bootstrapping: "what is your accepted frontier?" (GetAcceptedFrontier). */
  | ({ readonly kind: 'get-accepted-frontier'; readonly requestId: RequestId } & Deadline)
  /** Its answer: the accepted frontier's vertex ids (AcceptedFrontier). */
  | { readonly kind: 'accepted-frontier'; readonly requestId: RequestId; readonly vertexIds: readonly VertexId[] }
  /** Bootstrapping: "which of these vertices have you accepted?" (GetAccepted). */
  | ({ readonly kind: 'get-accepted'; readonly requestId: RequestId; readonly vertexIds: readonly VertexId[] } & Deadline)
  /** Its answer (Accepted). */
  | { readonly kind: 'accepted'; readonly requestId: RequestId; readonly vertexIds: readonly VertexId[] }
  /** Bootstrapping: "send me this vertex and its ancestors" (GetAncestors). */
  | ({ readonly kind: 'get-ancestors'; readonly requestId: RequestId; readonly vertexId: VertexId } & Deadline)
  /** Its answer: the vertex, then ancestors breadth first, bounded (engine/bootstrap/ancestors.ts) (Ancestors). */
  | { readonly kind: 'ancestors'; readonly requestId: RequestId; readonly vertices: readonly Vertex[] };

export type DagMessageKind = DagMessage['kind'];

/** Small integer type tag per kind (stable: event ordering, trace hashing, wire kinds). */
export const DAG_MESSAGE_TYPE_TAG: Readonly<Record<DagMessageKind, number>> = {
  'push-query': 1,
  'pull-query': 2,
  chits: 3,
  get: 4,
  put: 5,
  'get-accepted-frontier': 6,
  'accepted-frontier': 7,
  'get-accepted': 8,
  accepted: 9,
  'get-ancestors': 10,
  ancestors: 11,
};

/**
 * A vertex header without parents: codec version (2), chain id (32), height
 * (8), epoch (4), parent count (4), tx count (4). AvalancheGo vertices are
 * not signed; their transactions are.
 */
export const VERTEX_HEADER_BYTES = 54;

export class DagMessageModel {
  /** Wire size of one transaction with its signature and public key. */
  readonly txBytes: number;

  constructor(
    readonly size: SizeModel,
    readonly cpu: CpuCosts,
  ) {
    this.txBytes = size.txPayloadBytes + ML_DSA_65_SIGNATURE_BYTES + ML_DSA_65_PUBLIC_KEY_BYTES;
  }

  vertexSizeBytes(parents: number, txs: number): number {
    return VERTEX_HEADER_BYTES + parents * this.size.idBytes + txs * this.txBytes;
  }

  sizeBytes(msg: DagMessage): number {
    const env = this.size.envelopeBytes;
    const id = this.size.idBytes;
    switch (msg.kind) {
      case 'push-query':
        return env + 4 + msg.vertex.sizeBytes;
      case 'pull-query':
        return env + 4 + id;
      case 'chits':
        return env + 12 + (msg.preferred.length + msg.accepted.length) * id;
      case 'get':
        return env + 4 + id;
      case 'put':
        return env + 4 + msg.vertex.sizeBytes;
      case 'get-accepted-frontier':
        return env + 4;
      case 'get-ancestors':
        return env + 4 + id;
      case 'accepted-frontier':
      case 'get-accepted':
      case 'accepted':
        return env + 8 + msg.vertexIds.length * id;
      case 'ancestors': {
        let bytes = env + 8;
        for (const v of msg.vertices) bytes += 4 + v.sizeBytes;
        return bytes;
      }
    }
  }

  typeTag(msg: DagMessage): number {
    return DAG_MESSAGE_TYPE_TAG[msg.kind];
  }

  /** CPU to receive and parse a message (state-dependent work is charged by the node). */
  cpuCostUs(msg: DagMessage): Micros {
    const kib = Math.floor(this.sizeBytes(msg) / 1024);
    return this.cpu.handlePerMessageUs + kib * this.cpu.handlePerKibUs;
  }

  /** Verifying a vertex when it is issued to consensus: its header, then each transaction. */
  vertexVerifyCostUs(txs: number): Micros {
    const perTx = this.cpu.blockVerifyPerTxUs + (this.cpu.reverifyTxSignaturesInBlocks ? this.cpu.sigVerifyUs : 0);
    return this.cpu.blockVerifyBaseUs + txs * perTx;
  }

  /** Verifying a client transaction's signature. */
  txVerifyCostUs(txs: number): Micros {
    return txs * this.cpu.sigVerifyUs;
  }

  /** Building a vertex (vertices carry no signature of their own). */
  buildCostUs(txs: number): Micros {
    return txs * this.cpu.buildPerTxUs;
  }
}
