/**
 * double-spend (DAG): issues conflicting transactions in different vertices.
 * Every `everyMs` (option, default 1000) it mints a fresh input, two
 * transactions spending it, and two vertices on its virtuous frontier, and
 * pushes one vertex to each half of the honest validators (its accomplices
 * get both). It keeps neither itself. Answers queries and serves honestly.
 * Honest nodes then hold a real conflict each side of which arrived first
 * at half of them: the case BetaRogue exists for.
 */
import {
  HonestDagBehaviour,
  type DagIssue,
  type DagIssueContext,
} from '../../consensus/avalanche/engine/behaviour.js';
import type { Micros, NodeId } from '../../consensus/host.js';
import type { StrategyContext } from '../strategy.js';
import type { DagStrategyDefinition } from './strategy.js';
import { fromMillis } from '../../sim/time.js';

export class DoubleSpendBehaviour extends HonestDagBehaviour {
  override readonly name: string = 'double-spend';
  private readonly halves: [NodeId[], NodeId[]];
  private last: Micros = -Infinity;

  constructor(
    private readonly everyUs: Micros,
    nodeCount: number,
    private readonly accomplices: readonly NodeId[],
  ) {
    super();
    const bad = new Set(accomplices);
    const honest: NodeId[] = [];
    for (let n = 0; n < nodeCount; n++) if (!bad.has(n)) honest.push(n);
    const mid = Math.ceil(honest.length / 2);
    this.halves = [honest.slice(0, mid), honest.slice(mid)];
  }

  override tick(ctx: DagIssueContext): DagIssue {
    const now = ctx.view.now();
    if (now - this.last < this.everyUs || ctx.parents.length === 0) return { kind: 'none' };
    this.last = now;
    const input = ctx.newInput();
    const a = ctx.buildVertex(ctx.parents, [ctx.newTx([input])]);
    const b = ctx.buildVertex(ctx.parents, [ctx.newTx([input])]);
    const others = this.accomplices.filter((n) => n !== ctx.view.id);
    return {
      kind: 'custom',
      issueLocally: [],
      pushes: [
        { vertex: a, to: [...this.halves[0], ...others] },
        { vertex: b, to: [...this.halves[1], ...others] },
      ],
    };
  }
}

/** The `everyMs` option as µs, or a one-line error naming it. */
export function everyUsOf(ctx: StrategyContext, fallbackMs = 1_000): Micros {
  const v = ctx.options.everyMs ?? fallbackMs;
  if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) {
    throw new RangeError(`byzantine.options.everyMs: must be a number of milliseconds > 0, got ${JSON.stringify(v)}`);
  }
  return Math.max(1, fromMillis(v));
}

export const doubleSpend: DagStrategyDefinition = {
  name: 'double-spend',
  description: 'every everyMs (default 1000) pushes two vertices with conflicting transactions, one to each half of the honest nodes',
  options: ['everyMs'],
  create: (ctx) => new DoubleSpendBehaviour(everyUsOf(ctx), ctx.nodeCount, ctx.byzantine),
};
