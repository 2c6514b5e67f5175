/**
 * A small end-to-end harness for the consensus must-show tests: the runner's
 * pieces (scenario -> stake, shared node config, network, workload, Byzantine
 * placement) driving the real simulator, but keeping every SnowmanNode and a
 * recording observer so tests can inspect each node's accepted chain, every
 * poll outcome and every transaction.
 */
import { SnowmanNode } from '../../src/consensus/engine/snowman-node.js';
import type { NodeObserver, PollOutcome } from '../../src/consensus/engine/observer.js';
import type { Micros, NodeId } from '../../src/consensus/host.js';
import type { Block, BlockId, TxId } from '../../src/consensus/snowman/block.js';
import { parseScenarioText } from '../../src/scenario/load.js';
import type { Scenario } from '../../src/scenario/schema.js';
import { planRun, simulate } from '../../src/runner/run-scenario.js';
import type { RunResult } from '../../src/sim/types.js';

export interface RecordedPoll extends PollOutcome {
  readonly node: NodeId;
  readonly startedAt: Micros;
}

/** A conflicting acceptance seen at the moment it happened. */
export interface Conflict {
  readonly node: NodeId;
  readonly height: number;
  readonly block: BlockId;
  readonly firstBlock: BlockId;
  readonly time: Micros;
}

/** Records what honest nodes report; checks safety on every acceptance. */
export class RecordingObserver implements NodeObserver {
  readonly polls: RecordedPoll[] = [];
  /** Height -> the first block any honest node accepted there, and when. */
  readonly firstAccepted = new Map<number, { block: BlockId; time: Micros }>();
  readonly conflicts: Conflict[] = [];
  readonly submitted = new Map<TxId, Micros>();
  readonly clientAccepted = new Map<TxId, Micros>();
  /** Block -> when each honest node issued it to consensus (node -> time). */
  readonly issued = new Map<BlockId, Map<NodeId, Micros>>();
  acceptances = 0;

  constructor(private readonly byzantine: ReadonlySet<NodeId>) {}

  onAccept(block: Block, node: NodeId, time: Micros): void {
    if (this.byzantine.has(node)) return;
    this.acceptances++;
    const first = this.firstAccepted.get(block.height);
    if (first === undefined) this.firstAccepted.set(block.height, { block: block.id, time });
    else if (first.block !== block.id) this.conflicts.push({ node, height: block.height, block: block.id, firstBlock: first.block, time });
  }

  onBlockIssued(block: Block, node: NodeId, time: Micros): void {
    if (this.byzantine.has(node)) return;
    let m = this.issued.get(block.id);
    if (m === undefined) this.issued.set(block.id, (m = new Map()));
    if (!m.has(node)) m.set(node, time);
  }

  onPollFinished(outcome: PollOutcome, node: NodeId, time: Micros): void {
    if (this.byzantine.has(node)) return;
    this.polls.push({ ...outcome, node, startedAt: time - outcome.durationUs });
  }

  onTxSubmitted(tx: TxId, node: NodeId, time: Micros): void {
    if (!this.byzantine.has(node)) this.submitted.set(tx, time);
  }

  onTxAccepted(tx: TxId, node: NodeId, time: Micros): void {
    if (!this.byzantine.has(node) && !this.clientAccepted.has(tx)) this.clientAccepted.set(tx, time);
  }
}

export interface NetworkRun {
  readonly scenario: Scenario;
  readonly nodes: readonly SnowmanNode[];
  readonly byzantine: readonly NodeId[];
  readonly honest: readonly NodeId[];
  readonly observer: RecordingObserver;
  readonly result: RunResult;
}

/** Runs a scenario (YAML text) with one seed to its duration, through the real runner. */
export function runNetwork(yaml: string, seed: number): NetworkRun {
  const { scenario } = parseScenarioText(yaml);
  const plan = planRun(scenario, seed);
  const observer = new RecordingObserver(plan.byzantineSet);
  const nodes: SnowmanNode[] = [];
  const { result } = simulate(scenario, { seed, inspect: { observer, onNode: (id, node) => (nodes[id] = node as SnowmanNode) } });
  const honest = Array.from({ length: scenario.nodes.count }, (_, i) => i).filter((i) => !plan.byzantineSet.has(i));
  return { scenario, nodes, byzantine: plan.byzantine, honest, observer, result };
}
