/**
 * State shared by the colluding Byzantine nodes of one run.
 *
 * The runner builds every Byzantine node's StrategyContext with the same
 * `byzantine` array (one array per run, src/runner/run-scenario.ts), so that
 * array's identity names the run's adversary: state is kept in a WeakMap keyed
 * by it. Two runs in one process (the gate runs many) therefore never share
 * state, and the state is collected with the run.
 *
 * The network oracle is what "knows the network state" for the informed
 * balancing attack (Kniep et al., ESORICS 2024): every query an honest node
 * sends names the block it currently prefers (a repoll pulls its preferred
 * tip; a push carries its own new, preferred block), and the adversary holds
 * a fraction f of every K-sample, so it sees each honest node's preference
 * within a few polls. The oracle keeps, per honest node, the last block it
 * asked about. This is an observing adversary, not an omniscient one: it is
 * at most one poll behind.
 */
import type { NodeView } from '../consensus/engine/behaviour.js';
import type { NodeId } from '../consensus/host.js';
import type { BlockId } from '../consensus/snowman/block.js';
import { BlockMemory } from './block-memory.js';
import type { StrategyContext } from './strategy.js';

export class NetworkOracle {
  /** Last block each honest node asked about (index = node id; -1 = not seen yet). */
  private readonly asked: Float64Array;
  private readonly isByzantine: Uint8Array;

  constructor(nodeCount: number, byzantine: readonly NodeId[]) {
    this.asked = new Float64Array(nodeCount).fill(-1);
    this.isByzantine = new Uint8Array(nodeCount);
    for (const id of byzantine) if (id >= 0 && id < nodeCount) this.isByzantine[id] = 1;
  }

  /** An honest node asked about `queried` (its current preference). */
  observe(from: NodeId, queried: BlockId): void {
    if (from < 0 || from >= this.asked.length || this.isByzantine[from] === 1) return;
    this.asked[from] = queried;
  }

  /**
   * How many honest nodes are known to prefer each of `branches` (blocks at one
   * height): a node counts for the branch its last-asked block descends from.
   */
  support(view: NodeView, branches: readonly BlockId[], height: number): number[] {
    const counts = branches.map(() => 0);
    for (let node = 0; node < this.asked.length; node++) {
      const q = this.asked[node] as number;
      if (q < 0) continue;
      const at = BlockMemory.ancestorAt(view, q, height);
      const i = at === undefined ? -1 : branches.indexOf(at);
      if (i >= 0) counts[i] = (counts[i] as number) + 1;
    }
    return counts;
  }
}

interface GroupState {
  oracle?: NetworkOracle;
}

const groups = new WeakMap<readonly NodeId[], GroupState>();

function stateOf(ctx: StrategyContext): GroupState {
  let s = groups.get(ctx.byzantine);
  if (s === undefined) {
    s = {};
    groups.set(ctx.byzantine, s);
  }
  return s;
}

/** The run's one oracle, shared by every Byzantine node built with the same context list. */
export function sharedOracle(ctx: StrategyContext): NetworkOracle {
  const s = stateOf(ctx);
  s.oracle ??= new NetworkOracle(ctx.nodeCount, ctx.byzantine);
  return s.oracle;
}
