/**
 * Safety checker, fed on every acceptance by an honest node.
 *
 * What it detects (each a SafetyViolation):
 *  - `conflicting-block`: two honest nodes accepted different blocks at the
 *    same height. The first honest acceptance at a height fixes that height's
 *    canonical block; any later honest acceptance of another block there is a
 *    violation (recorded once per (height, block); every further acceptance of
 *    it only bumps `conflictingAcceptances`).
 *  - `conflicting-tx`: a transaction accepted in two different canonical
 *    blocks, or two transactions of one declared conflict set (same
 *    `conflictKeyOf` value, e.g. the same UTXO spent twice) both accepted.
 *    Only canonical blocks are indexed: a block that already conflicts at its
 *    height is reported by `conflicting-block`, and since every honest chain
 *    must then be a prefix of the canonical one, "the same tx in two blocks on
 *    two honest nodes" reduces to "the same key in two canonical blocks".
 *  - `non-monotonic`: one honest node accepting at or below a height it had
 *    already passed (with a different block, or an older height at all).
 *    Honest Snowman accepts strictly upwards; this rule is also what makes
 *    pruning sound (below).
 *
 * Cost: O(1) per acceptance (array lookups, integer compares) plus O(txs) the
 * first time a height is accepted. Memory: two numbers per node, a window of
 * heights, and an index of recent transaction keys.
 *
 * Pruning: every honest node's last accepted height only grows, and a node
 * accepting at or below it is already a violation, so once every honest node
 * has passed height h (h < watermark = min over honest nodes of their last
 * accepted height) the canonical record for h can never be consulted again and
 * is dropped. A crashed honest node holds the watermark back; the window is
 * then bounded by `maxRetainedHeights`. Transaction keys are kept for the last
 * `txRetentionHeights` heights: a replay older than that goes unseen (limit).
 */
import type { Micros, NodeId } from '../consensus/host.js';
import type { BlockId, TxId } from '../consensus/snowman/block.js';
import { GENESIS_ID } from '../consensus/snowman/block.js';
import type { SafetySummary } from './summary.js';
import { toMillis } from '../sim/time.js';

export type SafetyViolation =
  | {
      kind: 'conflicting-block';
      height: number;
      /** [node that first accepted the canonical block, node that accepted the other]. */
      nodes: [NodeId, NodeId];
      /** [canonical block, conflicting block]. */
      blocks: [BlockId, BlockId];
      timeUs: Micros;
      repro: string;
    }
  | {
      kind: 'conflicting-tx';
      height: number;
      /** Height of the canonical block that already holds the conflicting key (may equal `height`: twice in one block). */
      otherHeight: number;
      tx: TxId;
      conflictKey: number;
      /** [first acceptor of the earlier block (-1 once pruned), acceptor of this block]. */
      nodes: [NodeId, NodeId];
      /** [earlier block (-1 once pruned), this block]. */
      blocks: [BlockId, BlockId];
      timeUs: Micros;
      repro: string;
    }
  | {
      kind: 'non-monotonic';
      height: number;
      /** Height the node had already accepted. */
      lastHeight: number;
      nodes: [NodeId];
      /** [block the node last accepted, block it accepted now]. */
      blocks: [BlockId, BlockId];
      timeUs: Micros;
      repro: string;
    };

export interface SafetyCheckerOptions {
  /** Node ids are 0..nodes-1. */
  nodes: number;
  /** Nodes whose acceptances are ignored (Byzantine). More can be added later with markByzantine. */
  byzantine?: Iterable<NodeId>;
  /** The one command that re-runs this case; copied into every violation. */
  repro: string;
  /** Transactions with equal keys conflict (e.g. spend the same input). Default: each tx is its own key. */
  conflictKeyOf?: (tx: TxId) => number;
  /** Violations kept in full (all are counted). Default 16. */
  maxExamples?: number;
  /** Heights of transaction keys kept for the conflict check. Default 100,000. */
  txRetentionHeights?: number;
  /** Largest window of heights held (a stalled honest node holds it open). Default 10,000,000. */
  maxRetainedHeights?: number;
  /** Called on each new violation (e.g. to stop the run early). */
  onViolation?: (v: SafetyViolation) => void;
}

export interface SafetyReport {
  violations: number;
  examples: SafetyViolation[];
  firstViolationUs: Micros | null;
  /** Honest acceptances fed in (duplicates included). */
  acceptances: number;
  /** Honest acceptances of an already-reported conflicting block. */
  conflictingAcceptances: number;
  /** Exact repeats of a node's last acceptance (ignored). */
  duplicates: number;
  /** Acceptances by Byzantine nodes (ignored). */
  ignoredByzantine: number;
  /** Highest height any honest node accepted. */
  tip: number;
  /** Every honest node has accepted at least this height. */
  watermark: number;
  retainedHeights: number;
  trackedTxKeys: number;
}

const UNSET = -1;
const MAX_CONFLICT_KEYS = 100_000;
/** Largest jump above the current tip in one acceptance; a bigger one is a harness bug, not a height. */
const MAX_HEIGHT_JUMP = 1_000_000;

export class SafetyChecker {
  private readonly n: number;
  private readonly byz: Uint8Array;
  private readonly lastHeight: Float64Array;
  private readonly lastBlock: Float64Array;
  private readonly repro: string;
  private readonly keyOf: ((tx: TxId) => number) | undefined;
  private readonly maxExamples: number;
  private readonly txRetention: number;
  private readonly maxRetained: number;
  private readonly onViolation: ((v: SafetyViolation) => void) | undefined;

  // Window of heights [base, base + len): columns indexed by (h - base) + start.
  private base = 0;
  private start = 0;
  private canonBlock: number[] = [GENESIS_ID];
  private canonNode: number[] = [UNSET];
  /** Honest nodes whose last accepted height is exactly this height. */
  private atHeight: number[] = [0];
  private watermarkHeight = 0;
  private tipHeight = 0;

  // Transaction keys of canonical blocks, for heights [txBase, tip].
  private readonly txIndex = new Map<number, number>();
  private txBase = 1;
  private txStart = 0;
  private txByHeight: Array<readonly TxId[] | undefined> = [];

  private readonly conflictKeys = new Set<string>();
  private readonly examples: SafetyViolation[] = [];
  private violations = 0;
  private firstViolationUs: Micros | null = null;
  private acceptances = 0;
  private conflictingAcceptances = 0;
  private duplicates = 0;
  private ignoredByzantine = 0;

  constructor(opts: SafetyCheckerOptions) {
    if (!Number.isSafeInteger(opts.nodes) || opts.nodes < 1 || opts.nodes > 1 << 24) {
      throw new RangeError(`safety: nodes must be an integer in [1, 2^24], got ${opts.nodes}`);
    }
    this.n = opts.nodes;
    this.byz = new Uint8Array(this.n);
    this.lastHeight = new Float64Array(this.n);
    this.lastBlock = new Float64Array(this.n).fill(GENESIS_ID);
    this.repro = opts.repro;
    this.keyOf = opts.conflictKeyOf;
    this.maxExamples = positiveInt(opts.maxExamples ?? 16, 'maxExamples', 0);
    this.txRetention = positiveInt(opts.txRetentionHeights ?? 100_000, 'txRetentionHeights', 1);
    this.maxRetained = positiveInt(opts.maxRetainedHeights ?? 10_000_000, 'maxRetainedHeights', 1);
    this.onViolation = opts.onViolation;
    this.atHeight[0] = this.n;
    for (const id of opts.byzantine ?? []) this.markByzantine(id);
  }

  /** Exclude a node from now on (e.g. it turns Byzantine mid-run). Idempotent. */
  markByzantine(node: NodeId): void {
    this.assertNode(node);
    if (this.byz[node] === 1) return;
    this.byz[node] = 1;
    const i = this.slot(this.lastHeight[node] ?? 0);
    this.atHeight[i] = (this.atHeight[i] ?? 0) - 1;
    this.advanceWatermark();
  }

  /** One acceptance: `node` accepted `block` (holding `txs`) at `height`, at time `timeUs`. */
  accept(node: NodeId, height: number, block: BlockId, txs: readonly TxId[], timeUs: Micros): void {
    this.assertNode(node);
    if (this.byz[node] === 1) {
      this.ignoredByzantine++;
      return;
    }
    if (!Number.isSafeInteger(height) || height < 1) {
      throw new RangeError(`safety: height must be an integer >= 1 (0 is genesis), got ${height}`);
    }
    if (height > this.tipHeight + MAX_HEIGHT_JUMP) {
      throw new RangeError(`safety: height ${height} jumps more than ${MAX_HEIGHT_JUMP} above the tip ${this.tipHeight}`);
    }
    this.acceptances++;
    const last = this.lastHeight[node] ?? 0;
    if (height <= last) {
      if (height === last && block === this.lastBlock[node]) {
        this.duplicates++;
        return;
      }
      this.record({
        kind: 'non-monotonic',
        height,
        lastHeight: last,
        nodes: [node],
        blocks: [this.lastBlock[node] ?? UNSET, block],
        timeUs,
        repro: this.repro,
      });
      return;
    }
    this.extendTo(height);
    // Move the node up in the watermark counts.
    const from = this.slot(last);
    const to = this.slot(height);
    this.atHeight[from] = (this.atHeight[from] ?? 0) - 1;
    this.atHeight[to] = (this.atHeight[to] ?? 0) + 1;
    this.lastHeight[node] = height;
    this.lastBlock[node] = block;

    const canon = this.canonBlock[to] ?? UNSET;
    if (canon === UNSET) {
      this.canonBlock[to] = block;
      this.canonNode[to] = node;
      this.indexTxs(node, height, block, txs, timeUs);
    } else if (canon !== block) {
      this.conflictingAcceptances++;
      const key = `${height}:${block}`;
      if (!this.conflictKeys.has(key)) {
        if (this.conflictKeys.size < MAX_CONFLICT_KEYS) this.conflictKeys.add(key);
        this.record({
          kind: 'conflicting-block',
          height,
          nodes: [this.canonNode[to] ?? UNSET, node],
          blocks: [canon, block],
          timeUs,
          repro: this.repro,
        });
      }
    }
    if (last === this.watermarkHeight) this.advanceWatermark();
  }

  /** The canonical block at `height`, or null when unknown or pruned. */
  canonicalAt(height: number): BlockId | null {
    if (height < this.base || height > this.tipHeight) return null;
    const b = this.canonBlock[this.slot(height)] ?? UNSET;
    return b === UNSET ? null : b;
  }

  get violationCount(): number {
    return this.violations;
  }

  report(): SafetyReport {
    return {
      violations: this.violations,
      examples: this.examples.slice(),
      firstViolationUs: this.firstViolationUs,
      acceptances: this.acceptances,
      conflictingAcceptances: this.conflictingAcceptances,
      duplicates: this.duplicates,
      ignoredByzantine: this.ignoredByzantine,
      tip: this.tipHeight,
      watermark: this.watermarkHeight,
      retainedHeights: this.tipHeight - this.base + 1,
      trackedTxKeys: this.txIndex.size,
    };
  }

  /** The RunSummary.safety section. */
  summary(): SafetySummary {
    return {
      violations: this.violations,
      examples: this.examples.map((v) => ({
        height: v.height,
        nodes: v.nodes.slice(),
        blocks: v.blocks.map(String),
        timeMs: toMillis(v.timeUs),
      })),
    };
  }

  private indexTxs(node: NodeId, height: number, block: BlockId, txs: readonly TxId[], timeUs: Micros): void {
    // Window of tx heights: slot for `height` (heights skipped by gaps stay undefined).
    while (this.txBase + (this.txByHeight.length - this.txStart) <= height) this.txByHeight.push(undefined);
    this.txByHeight[this.txStart + height - this.txBase] = txs;
    for (const tx of txs) {
      const key = this.keyOf === undefined ? tx : this.keyOf(tx);
      const other = this.txIndex.get(key);
      if (other === undefined) {
        this.txIndex.set(key, height);
        continue;
      }
      const inWindow = other >= this.base;
      this.record({
        kind: 'conflicting-tx',
        height,
        otherHeight: other,
        tx,
        conflictKey: key,
        nodes: [inWindow ? (this.canonNode[this.slot(other)] ?? UNSET) : UNSET, node],
        blocks: [inWindow ? (this.canonBlock[this.slot(other)] ?? UNSET) : UNSET, block],
        timeUs,
        repro: this.repro,
      });
    }
    this.pruneTxs();
  }

  private pruneTxs(): void {
    const keepFrom = this.tipHeight - this.txRetention + 1;
    while (this.txBase < keepFrom && this.txStart < this.txByHeight.length) {
      const txs = this.txByHeight[this.txStart];
      if (txs !== undefined) {
        for (const tx of txs) {
          const key = this.keyOf === undefined ? tx : this.keyOf(tx);
          if (this.txIndex.get(key) === this.txBase) this.txIndex.delete(key);
        }
      }
      this.txByHeight[this.txStart] = undefined;
      this.txStart++;
      this.txBase++;
    }
    if (this.txStart > 1024 && this.txStart * 2 > this.txByHeight.length) {
      this.txByHeight = this.txByHeight.slice(this.txStart);
      this.txStart = 0;
    }
  }

  private record(v: SafetyViolation): void {
    this.violations++;
    if (this.firstViolationUs === null) this.firstViolationUs = v.timeUs;
    if (this.examples.length < this.maxExamples) this.examples.push(v);
    this.onViolation?.(v);
  }

  private slot(height: number): number {
    return this.start + height - this.base;
  }

  private extendTo(height: number): void {
    while (height > this.tipHeight) {
      if (this.tipHeight - this.base + 1 >= this.maxRetained) {
        throw new RangeError(
          `safety: more than maxRetainedHeights=${this.maxRetained} heights held open (watermark ${this.watermarkHeight}, a stalled honest node?)`,
        );
      }
      this.canonBlock.push(UNSET);
      this.canonNode.push(UNSET);
      this.atHeight.push(0);
      this.tipHeight++;
    }
  }

  /** Move the watermark to the lowest height still holding an honest node; drop what is below it. */
  private advanceWatermark(): void {
    while (this.watermarkHeight < this.tipHeight && (this.atHeight[this.slot(this.watermarkHeight)] ?? 0) <= 0) {
      this.watermarkHeight++;
    }
    const drop = this.watermarkHeight - this.base;
    if (drop <= 0) return;
    this.start += drop;
    this.base += drop;
    // Compact once the dead prefix dominates, so the arrays stay proportional to the live window.
    if (this.start > 1024 && this.start * 2 > this.canonBlock.length) {
      this.canonBlock = this.canonBlock.slice(this.start);
      this.canonNode = this.canonNode.slice(this.start);
      this.atHeight = this.atHeight.slice(this.start);
      this.start = 0;
    }
  }

  private assertNode(node: NodeId): void {
    if (!Number.isInteger(node) || node < 0 || node >= this.n) {
      throw new RangeError(`safety: node id must be an integer in [0, ${this.n - 1}], got ${node}`);
    }
  }
}

function positiveInt(x: number, field: string, min: number): number {
  if (!Number.isSafeInteger(x) || x < min) throw new RangeError(`safety: ${field} must be an integer >= ${min}, got ${x}`);
  return x;
}
