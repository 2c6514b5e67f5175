/** A DAG Byzantine behaviour active only in [fromUs, untilUs); honest outside (scenario byzantine.from / until). */
import {
  HONEST_DAG,
  type DagBehaviour,
  type DagIssue,
  type DagIssueContext,
  type DagNodeView,
  type DagQueryAnswer,
  type DagQueryContext,
} from '../../consensus/avalanche/engine/behaviour.js';
import type { Vertex } from '../../consensus/avalanche/engine/messages.js';
import type { Micros, NodeId } from '../../consensus/host.js';

export class WindowedDagBehaviour implements DagBehaviour {
  readonly name: string;
  constructor(
    private readonly inner: DagBehaviour,
    private readonly fromUs: Micros,
    private readonly untilUs: Micros,
  ) {
    this.name = inner.name;
  }
  private pick(view: DagNodeView): DagBehaviour {
    const t = view.now();
    return t >= this.fromUs && t < this.untilUs ? this.inner : HONEST_DAG;
  }
  answerQuery(ctx: DagQueryContext): DagQueryAnswer {
    return this.pick(ctx.view).answerQuery(ctx);
  }
  issue(ctx: DagIssueContext): DagIssue {
    return this.pick(ctx.view).issue(ctx);
  }
  tick(ctx: DagIssueContext): DagIssue {
    return this.pick(ctx.view).tick(ctx);
  }
  serveVertex(view: DagNodeView, from: NodeId, vertex: Vertex): boolean {
    return this.pick(view).serveVertex(view, from, vertex);
  }
}
