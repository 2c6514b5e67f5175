/**
 * The Byzantine seam of the DAG engine (the DAG counterpart of
 * engine/behaviour.ts): the node consults a DagBehaviour where a validator
 * can lie or withhold — answering a query, issuing a vertex, serving a
 * vertex, and a periodic tick for initiative of its own (a double spender
 * has no clients) — and does everything else honestly. Strategies see the
 * node through a read-only DagNodeView and draw from their own seeded stream.
 */
import type { Micros, NodeId } from '../../host.js';
import type { ValidatorSet } from '../../engine/sampler.js';
import type { VertexStatus } from '../consensus.js';
import type { InputId, VertexId } from '../vertex.js';
import type { AvaTx, Vertex } from './messages.js';

export interface DagNodeView {
  readonly id: NodeId;
  readonly validators: ValidatorSet;
  now(): Micros;
  /** Strongly preferred frontier (what an honest node votes for). */
  preferences(): readonly VertexId[];
  acceptedFrontier(): readonly VertexId[];
  /** Strongly virtuous frontier (where an honest node takes parents from). */
  virtuousFrontier(): readonly VertexId[];
  /** Any vertex this node holds (processing, waiting, or recently accepted). */
  vertex(id: VertexId): Vertex | undefined;
  vertexStatus(id: VertexId): VertexStatus;
  /** Processing vertices holding a transaction its conflict set does not prefer (the rogue side), ascending. */
  rogueVertices(): VertexId[];
  /** Processing vertices holding a transaction that conflicts with one of `vertex`'s, ascending. */
  conflictingVertices(vertex: VertexId): VertexId[];
  numProcessing(): number;
}

export interface DagChits {
  readonly kind: 'chits';
  readonly preferred: readonly VertexId[];
  readonly accepted: readonly VertexId[];
}

export type DagQueryAnswer = DagChits | { readonly kind: 'silent' };

export interface DagQueryContext {
  readonly view: DagNodeView;
  readonly from: NodeId;
  /** The vertex the asker asked about (pushed or pulled). */
  readonly queried: VertexId;
  /** What an honest node answers. */
  readonly honest: DagChits;
}

export interface DagIssueContext {
  readonly view: DagNodeView;
  /** Parents an honest issuer would take (from the virtuous frontier). */
  readonly parents: readonly VertexId[];
  /** Transactions an honest issuer would batch (empty on a tick). */
  readonly txs: readonly AvaTx[];
  /** A well-formed vertex (fresh id, height, size, builtAt = now) on any held parents. */
  buildVertex(parents: readonly VertexId[], txs: readonly AvaTx[]): Vertex;
  /** A fresh input this node owns (for transactions of its own). */
  newInput(): InputId;
  /** A fresh transaction spending `inputs` (run-unique id, submittedAt = now). */
  newTx(inputs: readonly InputId[]): AvaTx;
}

export type DagIssue =
  /** Issue this vertex locally and query the network as usual. */
  | { readonly kind: 'honest'; readonly vertex: Vertex }
  | { readonly kind: 'none' }
  /**
   * Push chosen vertices to chosen peers as push-queries (their chits count in
   * no poll), and optionally issue some locally. Double spending: two
   * vertices with conflicting transactions, one to each half of the network.
   */
  | {
      readonly kind: 'custom';
      readonly issueLocally: readonly Vertex[];
      readonly pushes: ReadonlyArray<{ readonly vertex: Vertex; readonly to: readonly NodeId[] }>;
    };

export interface DagBehaviour {
  readonly name: string;
  answerQuery(ctx: DagQueryContext): DagQueryAnswer;
  /** A batch of transactions is ready to go into a vertex. */
  issue(ctx: DagIssueContext): DagIssue;
  /** Called on the node's frontier timer (honest: nothing). */
  tick(ctx: DagIssueContext): DagIssue;
  /** Whether to answer a get (or gossip) with a vertex this node holds. */
  serveVertex(view: DagNodeView, from: NodeId, vertex: Vertex): boolean;
}

const NONE: DagIssue = Object.freeze({ kind: 'none' });

export class HonestDagBehaviour implements DagBehaviour {
  readonly name: string = 'honest';
  answerQuery(ctx: DagQueryContext): DagQueryAnswer {
    return ctx.honest;
  }
  issue(ctx: DagIssueContext): DagIssue {
    return { kind: 'honest', vertex: ctx.buildVertex(ctx.parents, ctx.txs) };
  }
  tick(_ctx: DagIssueContext): DagIssue {
    return NONE;
  }
  serveVertex(_view: DagNodeView, _from: NodeId, _vertex: Vertex): boolean {
    return true;
  }
}

export const HONEST_DAG: DagBehaviour = new HonestDagBehaviour();
