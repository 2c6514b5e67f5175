/**
 * Transitive vote counts over the block graph, as AvalancheGo's poll package
 * computes them for early termination (snow/consensus/snowman/poll/graph.go,
 * prefix.go, early_term_traversal.go), rewritten over integer block ids.
 *
 * A vote for a block is a vote for every processing ancestor, so each vertex
 * of the vote graph counts its own votes plus its descendants'. The graph holds
 * the voted blocks and their ancestors for as long as `parentOf` answers (the
 * engine answers for processing blocks only, so the walk stops at the last
 * accepted block, which becomes a root whose count is every vote received).
 */
import { bitOf, ID_BITS } from '../snowball/id-bits.js';
import type { BlockId } from '../snowman/block.js';

/** Parent of a block that can still be voted on; undefined stops the walk. */
export type ParentLookup = (id: BlockId) => BlockId | undefined;

/** Limit on vertices of one vote graph: a poll has at most K votes and the processing tree is bounded. */
export const MAX_VOTE_GRAPH_VERTICES = 100_000;

export interface VoteCounts {
  /**
   * Every count a decision instance could see: the transitive count of each
   * vertex, then (when enabled) the count of each shared-prefix node of the
   * siblings under a vertex.
   */
  readonly counts: number[];
  /**
   * Largest transitive count of any non-root vertex: the votes of the
   * best-supported processing block (roots are the last accepted block, whose
   * count is just every vote received).
   */
  readonly maxTransitive: number;
}

interface Vertex {
  readonly id: BlockId;
  readonly own: number;
  parent: Vertex | undefined;
  readonly children: Vertex[];
  transitive: number;
}

/**
 * Counts for the early-termination test.
 *
 * `prefixCounts`: AvalancheGo decides among a block's children with a binary
 * trie of Snowflake instances over the children's id bits (snowball.Tree), so
 * a group of siblings that shares a bit prefix has its own unary instance whose
 * count is the sum of the group; early termination must wait for those too.
 * On by default, as the consensus decides siblings with that trie
 * (snowball/tree.ts, the same bit order: id-bits.ts); off suits the flat
 * n-ary instance per parent, whose only counts are per child.
 */
export function voteCounts(votes: ReadonlyMap<BlockId, number>, parentOf: ParentLookup, prefixCounts: boolean): VoteCounts {
  if (!prefixCounts) {
    const flat = flatVoteCounts(votes, parentOf);
    if (flat !== undefined) return flat;
  }
  return graphVoteCounts(votes, parentOf, prefixCounts);
}

/** Up to this many vertices, flatVoteCounts uses linear scans over scratch arrays. */
const FLAT_LIMIT = 64;
const flatIds = new Float64Array(FLAT_LIMIT);
const flatParent = new Int32Array(FLAT_LIMIT);
const flatOwn = new Float64Array(FLAT_LIMIT);
const flatTransitive = new Float64Array(FLAT_LIMIT);

function flatIndexOf(id: BlockId, n: number): number {
  for (let i = 0; i < n; i++) if (flatIds[i] === id) return i;
  return -1;
}

/**
 * The same counts as graphVoteCounts without sibling groups, in the same
 * vertex order, for small graphs (a poll names at most K blocks and the
 * processing tree is short): vertices in flat scratch arrays, each vote added
 * to its block and every ancestor in the graph. Undefined when the graph is
 * larger than FLAT_LIMIT (the caller falls back to the general walk).
 */
function flatVoteCounts(votes: ReadonlyMap<BlockId, number>, parentOf: ParentLookup): VoteCounts | undefined {
  let n = 0;
  for (const voted of votes.keys()) {
    let id: BlockId | undefined = voted;
    let child = -1;
    while (id !== undefined) {
      const at = flatIndexOf(id, n);
      if (at >= 0) {
        if (child >= 0) flatParent[child] = at;
        break;
      }
      if (n >= FLAT_LIMIT) return undefined;
      flatIds[n] = id;
      flatOwn[n] = votes.get(id) ?? 0;
      flatTransitive[n] = 0;
      flatParent[n] = -1;
      if (child >= 0) flatParent[child] = n;
      child = n++;
      id = parentOf(id);
    }
  }
  for (let i = 0; i < n; i++) {
    const own = flatOwn[i]!;
    if (own === 0) continue;
    for (let v = i, steps = 0; v >= 0 && steps <= n; v = flatParent[v]!, steps++) flatTransitive[v] = flatTransitive[v]! + own;
  }
  const counts: number[] = [];
  let maxTransitive = 0;
  for (let i = 0; i < n; i++) {
    const t = flatTransitive[i]!;
    counts.push(t);
    if (flatParent[i]! >= 0 && t > maxTransitive) maxTransitive = t;
  }
  return { counts, maxTransitive };
}

/** The general walk (any size; sibling groups when asked). */
function graphVoteCounts(votes: ReadonlyMap<BlockId, number>, parentOf: ParentLookup, prefixCounts: boolean): VoteCounts {
  const vertices = new Map<BlockId, Vertex>();
  const order: Vertex[] = [];
  for (const voted of votes.keys()) {
    let id: BlockId | undefined = voted;
    while (id !== undefined && !vertices.has(id)) {
      const v: Vertex = { id, own: votes.get(id) ?? 0, parent: undefined, children: [], transitive: 0 };
      vertices.set(id, v);
      order.push(v);
      if (order.length > MAX_VOTE_GRAPH_VERTICES) {
        throw new RangeError(`vote graph exceeds ${MAX_VOTE_GRAPH_VERTICES} vertices`);
      }
      id = parentOf(id);
    }
  }
  const roots: Vertex[] = [];
  for (const v of order) {
    const p = parentOf(v.id);
    const pv = p === undefined ? undefined : vertices.get(p);
    if (pv === undefined) {
      roots.push(v);
    } else {
      v.parent = pv;
      pv.children.push(v);
    }
  }
  // Post-order accumulation without recursion (chains can be long).
  const stack: Array<[Vertex, boolean]> = roots.map((r) => [r, false]);
  while (stack.length > 0) {
    const [v, expanded] = stack.pop()!;
    if (expanded) {
      let t = v.own;
      for (const c of v.children) t += c.transitive;
      v.transitive = t;
    } else {
      stack.push([v, true]);
      for (const c of v.children) stack.push([c, false]);
    }
  }
  const counts: number[] = [];
  let maxTransitive = 0;
  for (const v of order) {
    counts.push(v.transitive);
    if (v.parent !== undefined && v.transitive > maxTransitive) maxTransitive = v.transitive;
  }
  if (prefixCounts) {
    for (const v of order) {
      if (v.children.length < 2) continue;
      sharedPrefixGroupSums(v.children, counts);
    }
  }
  return { counts, maxTransitive };
}

/**
 * Appends to `out` the summed transitive count of every bifurcating
 * shared-prefix group of `siblings` whose prefix is non-empty (prefix.go:
 * bifurcationsWithCommonPrefix skips the root group when it splits at bit 0).
 */
function sharedPrefixGroupSums(siblings: readonly Vertex[], out: number[]): void {
  interface Group {
    index: number;
    members: Vertex[];
  }
  const work: Group[] = [{ index: 0, members: [...siblings] }];
  while (work.length > 0) {
    const g = work.pop()!;
    if (g.members.length < 2) continue;
    // Swallow non-bifurcating bits: the group keeps its members, the prefix grows.
    for (;;) {
      if (g.index >= ID_BITS) return; // distinct ids always differ below bit 53
      const zero: Vertex[] = [];
      const one: Vertex[] = [];
      for (const m of g.members) (bitOf(m.id, g.index) === 0 ? zero : one).push(m);
      if (zero.length > 0 && one.length > 0) {
        if (g.index > 0) {
          let sum = 0;
          for (const m of g.members) sum += m.transitive;
          out.push(sum);
        }
        work.push({ index: g.index + 1, members: zero }, { index: g.index + 1, members: one });
        break;
      }
      g.index++;
    }
  }
}
