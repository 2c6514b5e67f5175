/**
 * The Avalanche DAG protocol adapter (consensus/protocol.ts): AvalancheGo's
 * pre-linearisation X-chain consensus — vertices, the snowstorm conflict
 * graph, transitive voting — with the node engine of ../engine, the DAG
 * Byzantine strategies of src/byzantine/dag, the wire codec of
 * engine/wire-codec.ts and the DAG safety checker of src/metrics/dag-safety.ts.
 */
import { optionProblem } from '../../../byzantine/registry.js';
import { strategyIssues } from '../../../byzantine/strategy-issues.js';
import { dagStrategyOrThrow, findDagStrategy, DAG_STRATEGY_NAMES } from '../../../byzantine/dag/registry.js';
import { WindowedDagBehaviour } from '../../../byzantine/dag/windowed.js';
import type { DagAcceptance } from '../../../metrics/dag-safety.js';
import type { Scenario } from '../../../scenario/schema.js';
import type { NodeId } from '../../host.js';
import type { ProtocolAdapter, ProtocolRunInput } from '../../protocol.js';
import type { DagBehaviour } from '../engine/behaviour.js';
import { AvalancheNode } from '../engine/dag-node.js';
import type { DagClientTx, DagMessage } from '../engine/messages.js';
import type { DagNodeObserver } from '../engine/observer.js';
import { DagTeeObserver } from '../engine/tee-observer.js';
import { DAG_WIRE_CODEC } from '../engine/wire-codec.js';
import { DagMetricsObserver } from './metrics-observer.js';
import { dagSafetyCheck, DAG_ACCEPTANCE_RECORDS } from './safety-check.js';
import { AVALANCHE_SECTION, avalancheRules, sharedDagNodeConfigOf, type AvalancheSection } from './scenario-config.js';

/** The trace's view of a message: ids and counts, not whole vertices. */
export function describeDagMessage(m: DagMessage): Record<string, unknown> {
  switch (m.kind) {
    case 'push-query':
    case 'put':
      return { kind: m.kind, requestId: m.requestId, vertex: { id: m.vertex.id, height: m.vertex.height, txs: m.vertex.txs.length, parents: m.vertex.parents.length } };
    case 'pull-query':
    case 'get':
      return { kind: m.kind, requestId: m.requestId, vertexId: m.vertexId };
    case 'chits':
      return { kind: m.kind, requestId: m.requestId, preferred: m.preferred.length, accepted: m.accepted.length };
    case 'get-accepted-frontier':
      return { kind: m.kind, requestId: m.requestId };
    case 'get-ancestors':
      return { kind: m.kind, requestId: m.requestId, vertexId: m.vertexId };
    case 'accepted-frontier':
    case 'get-accepted':
    case 'accepted':
      return { kind: m.kind, requestId: m.requestId, vertexIds: m.vertexIds.length };
    case 'ancestors':
      return { kind: m.kind, requestId: m.requestId, vertices: m.vertices.length };
  }
}

function byzantineBehaviours(input: ProtocolRunInput): Map<NodeId, DagBehaviour> {
  const out = new Map<NodeId, DagBehaviour>();
  const b = input.scenario.byzantine;
  if (b === undefined || input.byzantine.length === 0) return out;
  const def = dagStrategyOrThrow(b.strategy);
  const problem = optionProblem(def, b.options);
  if (problem !== undefined) throw new RangeError(problem);
  for (const node of input.byzantine) {
    const inner = def.create({ node, nodeCount: input.scenario.nodes.count, byzantine: input.byzantine, rng: input.byzantineStream(node), options: b.options });
    out.set(node, new WindowedDagBehaviour(inner, b.from, b.until ?? Infinity));
  }
  return out;
}

function rules(scenario: Scenario): Array<{ path: Array<string | number>; message: string }> {
  return [...avalancheRules(scenario), ...strategyIssues(scenario, findDagStrategy, DAG_STRATEGY_NAMES, ' for protocol avalanche')];
}

export const avalanche: ProtocolAdapter<DagMessage, DagClientTx, DagAcceptance, typeof AVALANCHE_SECTION> = {
  name: 'avalanche',
  description: 'Avalanche DAG (AvalancheGo snow/consensus/avalanche + snowstorm, pre-linearisation): vertices, conflict sets, BetaVirtuous/BetaRogue',
  section: AVALANCHE_SECTION,
  codec: DAG_WIRE_CODEC,
  checkRecords: DAG_ACCEPTANCE_RECORDS,
  createSafetyCheck: dagSafetyCheck,
  rules,

  prepare(input) {
    const behaviours = byzantineBehaviours(input);
    const shared = sharedDagNodeConfigOf(input.scenario, input.stake);
    const model = shared.messageModel;
    const section = input.scenario.protocol as AvalancheSection;
    return {
      messageModel: {
        sizeBytes: (m) => model.sizeBytes(m),
        cpuCost: (m) => model.cpuCostUs(m),
        typeTag: (m) => model.typeTag(m),
        describe: describeDagMessage,
      },
      createNode(host, hooks) {
        const metrics = new DagMetricsObserver(hooks.metrics);
        const observer: DagNodeObserver = hooks.observer === undefined ? metrics : new DagTeeObserver(metrics, hooks.observer as DagNodeObserver);
        const behaviour = behaviours.get(host.id);
        return new AvalancheNode(host, { ...shared, observer, ...(behaviour === undefined ? {} : { behaviour }) });
      },
      // A client transaction spends one fresh input: its own id (dense per node).
      clientRequest: (tx) => ({ id: tx, inputs: [tx] }),
      ...(section.conflictFraction > 0
        ? { doubleSpends: { fraction: section.conflictFraction, twinRequest: (tx: number, twin: number) => ({ id: twin, inputs: [tx] }) } }
        : {}),
    };
  },
};
