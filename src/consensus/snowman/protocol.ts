/**
 * The Snowman protocol adapter (protocol.ts): linear-chain Snowman as
 * AvalancheGo runs it, with the node engine of src/consensus/engine, the
 * Byzantine strategies of src/byzantine, the wire codec of
 * engine/wire-codec.ts and the safety checker of src/metrics/safety.ts.
 */
import { z } from 'zod';
import { findStrategy, optionProblem, STRATEGY_NAMES, strategyOrThrow } from '../../byzantine/registry.js';
import { strategyIssues } from '../../byzantine/strategy-issues.js';
import { WindowedBehaviour } from '../../byzantine/windowed.js';
import type { Behaviour } from '../engine/behaviour.js';
import type { Message } from '../engine/messages.js';
import type { NodeObserver } from '../engine/observer.js';
import { SnowmanNode, type ClientTx } from '../engine/snowman-node.js';
import { TeeObserver } from '../engine/tee-observer.js';
import { SNOWMAN_WIRE_CODEC } from '../engine/wire-codec.js';
import type { NodeId } from '../host.js';
import type { ProtocolAdapter, ProtocolRunInput } from '../protocol.js';
import { MetricsObserver } from './metrics-observer.js';
import { snowmanSafetyCheck, SNOWMAN_ACCEPTANCE_RECORDS, type SnowmanAcceptance } from './safety-check.js';
import { sharedNodeConfigOf } from './scenario-config.js';
import { TxRegistry } from '../engine/tx-registry.js';

/** The scenario's `protocol:` section for Snowman. */
export const SNOWMAN_SECTION = z.strictObject({
  name: z.literal('snowman'),
  /** The per-decision instance: Snowflake (current AvalancheGo) or Snowball. */
  decision: z.enum(['snowflake', 'snowball']).default('snowflake'),
  /** Each block's decision over its children: AvalancheGo's bit-trie over the children's ids (tree), or one n-ary instance fed the mode of the votes (flat). */
  instance: z.enum(['tree', 'flat']).default('tree'),
  /** Early termination also waits on siblings' shared-prefix groups (AvalancheGo early_term_traversal); default: on with the tree, off with flat. */
  prefixVoteCounts: z.boolean().optional(),
});

/** The trace's view of a message: ids and counts, not whole blocks. */
export function describeMessage(m: Message): Record<string, unknown> {
  const out: Record<string, unknown> = { kind: m.kind };
  for (const [k, v] of Object.entries(m)) {
    if (k === 'block' && v !== null && typeof v === 'object') {
      const b = v as { id: number; height: number; txs: readonly number[] };
      out.block = { id: b.id, height: b.height, txs: b.txs.length };
    } else if (k === 'txs' && Array.isArray(v)) {
      out.txs = v.length;
    } else if (k !== 'kind') {
      out[k] = v;
    }
  }
  return out;
}

/** The scenario's Byzantine strategy, one behaviour per Byzantine node (active in its from..until window). */
function byzantineBehaviours(input: ProtocolRunInput): Map<NodeId, Behaviour> {
  const out = new Map<NodeId, Behaviour>();
  const b = input.scenario.byzantine;
  if (b === undefined || input.byzantine.length === 0) return out;
  const def = strategyOrThrow(b.strategy);
  const problem = optionProblem(def, b.options);
  if (problem !== undefined) throw new RangeError(problem);
  for (const node of input.byzantine) {
    const inner = def.create({
      node,
      nodeCount: input.scenario.nodes.count,
      byzantine: input.byzantine,
      rng: input.byzantineStream(node),
      options: b.options,
    });
    out.set(node, new WindowedBehaviour(inner, b.from, b.until ?? Infinity));
  }
  return out;
}

/** Load-time rules: an unknown strategy or option is bad input (exit 2 naming the field), not a failure once the run starts. */
export const snowman: ProtocolAdapter<Message, ClientTx, SnowmanAcceptance, typeof SNOWMAN_SECTION> = {
  name: 'snowman',
  description: 'linear-chain Snowman (AvalancheGo snow/engine/snowman): blocks, K-sampled polls, Snowflake or Snowball per decision',
  section: SNOWMAN_SECTION,
  codec: SNOWMAN_WIRE_CODEC,
  checkRecords: SNOWMAN_ACCEPTANCE_RECORDS,
  createSafetyCheck: snowmanSafetyCheck,
  rules: (scenario) => strategyIssues(scenario, findStrategy, STRATEGY_NAMES, ' for protocol snowman'),

  prepare(input) {
    const behaviours = byzantineBehaviours(input);
    // One transaction registry for every node of this engine (tx-registry.ts).
    const shared = { ...sharedNodeConfigOf(input.scenario, input.seed, input.stake), txRegistry: new TxRegistry(input.scenario.nodes.count) };
    const model = shared.messageModel;
    return {
      messageModel: {
        sizeBytes: (m) => model.sizeBytes(m),
        cpuCost: (m) => model.cpuCostUs(m),
        typeTag: (m) => model.typeTag(m),
        describe: describeMessage,
      },
      createNode(host, hooks) {
        const metrics = new MetricsObserver(hooks.metrics);
        const observer: NodeObserver = hooks.observer === undefined ? metrics : new TeeObserver(metrics, hooks.observer as NodeObserver);
        const behaviour = behaviours.get(host.id);
        return new SnowmanNode(host, { ...shared, observer, ...(behaviour === undefined ? {} : { behaviour }) });
      },
      clientRequest: (tx) => ({ id: tx }),
    };
  },
};
