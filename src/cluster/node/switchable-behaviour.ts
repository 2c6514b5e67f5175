/**
 * The behaviour a real node runs, swappable at run time through the control
 * API (PUT /nodes/{id}/byzantine): honest, or any strategy of src/byzantine
 * built exactly as the simulator builds it (same registry, same option
 * checks, the node's own 'byzantine' stream, the from..until window).
 */
import {
  HONEST,
  type Behaviour,
  type NodeView,
  type Proposal,
  type ProposalContext,
  type QueryAnswer,
  type QueryContext,
} from '../../consensus/engine/behaviour.js';
import type { Block, TxId } from '../../consensus/snowman/block.js';
import type { Micros, NodeId } from '../../consensus/host.js';
import { optionProblem, strategyOrThrow } from '../../byzantine/registry.js';
import { WindowedBehaviour } from '../../byzantine/windowed.js';
import { createStream } from '../../sim/rng.js';

export interface ByzantineSpec {
  readonly strategy: string;
  readonly options: Readonly<Record<string, string | number | boolean>>;
  readonly fromUs: Micros;
  readonly untilUs: Micros;
}

/** The behaviour of node `node` for a spec (throws one line naming the field on a bad strategy or option). */
export function behaviourFor(spec: ByzantineSpec, node: NodeId, nodeCount: number, byzantine: readonly NodeId[], seed: number): Behaviour {
  const def = strategyOrThrow(spec.strategy);
  const problem = optionProblem(def, spec.options);
  if (problem !== undefined) throw new RangeError(problem);
  const inner = def.create({ node, nodeCount, byzantine, rng: createStream(seed, node, 'byzantine'), options: spec.options });
  return new WindowedBehaviour(inner, spec.fromUs, spec.untilUs);
}

export class SwitchableBehaviour implements Behaviour {
  private current: Behaviour = HONEST;

  get name(): string {
    return this.current.name;
  }

  set(b: Behaviour): void {
    this.current = b;
  }

  answerQuery(ctx: QueryContext): QueryAnswer {
    return this.current.answerQuery(ctx);
  }
  propose(ctx: ProposalContext): Proposal {
    return this.current.propose(ctx);
  }
  relayTxs(view: NodeView, txs: readonly TxId[]): boolean {
    return this.current.relayTxs(view, txs);
  }
  serveBlock(view: NodeView, from: NodeId, block: Block): boolean {
    return this.current.serveBlock(view, from, block);
  }
}
