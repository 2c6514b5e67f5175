/**
 * Run-wide transaction state held once: one table of the transactions any
 * member (node) holds, with a 2-bit state per member in each row, instead of
 * one table per node.
 *
 * Why: with push gossip every node sees every transaction; at 10,000 nodes
 * one open-addressing table per node (16 bytes per bucket, at most half
 * full) was 57 % of the heap and a cache miss per lookup, since 10,000
 * tables fit no cache. Here the lookup is in one table shared by every node
 * (hot in cache: the transactions being gossiped are the same everywhere at
 * the same time), and each node's state is two bits in that transaction's
 * row: 2.5 KB per transaction at 10,000 nodes instead of 32–64 bytes per
 * node per transaction.
 *
 * The registry only stores states; what a state means is the mempool's
 * business (mempool.ts). A row lives while some member's state in it is not
 * 0 and is reused after. Rows and the table's layout never leak into
 * behaviour: callers keep their own orders, and row numbers are never
 * compared or iterated over.
 *
 * One registry serves all the nodes of one engine (a run, or one shard of a
 * sharded run); a node created without one gets a private registry of one
 * member.
 */
import type { TxId } from '../snowman/block.js';
import { TxTable } from './tx-table.js';

/** Members per 32-bit word (2 bits each). */
const PER_WORD = 16;
const MIN_ROWS = 256;
/** Most rows (live transactions) one registry holds; a row's words must stay addressable. */
const MAX_ROWS = 1 << 24;

export class TxRegistry {
  readonly members: number;
  /** Words per row. */
  private readonly words: number;
  private readonly table = new TxTable(MIN_ROWS);
  /** Row -> transaction id. */
  private ids: Float64Array;
  /** Row -> members whose state is not 0. */
  private refs: Int32Array;
  /** Row r, member m: bits ((m % 16) · 2, +1) of states[r · words + m / 16]. */
  private states: Uint32Array;
  private rows = 0;
  private readonly free: number[] = [];

  constructor(members: number) {
    if (!Number.isSafeInteger(members) || members < 1 || members > 1 << 20) {
      throw new RangeError(`TxRegistry.members must be an integer in [1, ${1 << 20}], got ${members}`);
    }
    this.members = members;
    this.words = Math.ceil(members / PER_WORD);
    this.ids = new Float64Array(MIN_ROWS);
    this.refs = new Int32Array(MIN_ROWS);
    this.states = new Uint32Array(MIN_ROWS * this.words);
  }

  /** Transactions some member holds. */
  get size(): number {
    return this.table.size;
  }

  /** Bytes of the row storage (capacity, not use): for memory reports. */
  get capacityBytes(): number {
    return this.ids.byteLength + this.refs.byteLength + this.states.byteLength;
  }

  /** The row of `tx`, or -1 when no member holds it (every state is 0). */
  find(tx: TxId): number {
    return this.table.get(tx);
  }

  /** The row of `tx`, allocated (all states 0) if absent. Set a non-zero state in it before any other call, or it stays allocated. */
  insert(tx: TxId): number {
    const found = this.table.get(tx);
    if (found >= 0) return found;
    let row = this.free.pop();
    if (row === undefined) {
      if (this.rows === this.ids.length) this.grow();
      row = this.rows++;
    }
    this.ids[row] = tx;
    this.table.set(tx, row);
    return row;
  }

  /** The transaction of a live row. */
  txOf(row: number): TxId {
    return this.ids[row]!;
  }

  /** Member m's state in a row (0..3). */
  state(row: number, m: number): number {
    return (this.states[row * this.words + (m >>> 4)]! >>> ((m & 15) << 1)) & 3;
  }

  /** Sets member m's state in a row; a row whose last non-zero state goes to 0 is freed. */
  setState(row: number, m: number, s: number): void {
    const w = row * this.words + (m >>> 4);
    const shift = (m & 15) << 1;
    const word = this.states[w]!;
    const old = (word >>> shift) & 3;
    if (old === s) return;
    this.states[w] = (word & ~(3 << shift)) | (s << shift);
    if (old === 0) {
      this.refs[row]!++;
    } else if (s === 0 && --this.refs[row]! === 0) {
      this.table.delete(this.ids[row]!);
      this.free.push(row);
    }
  }

  private grow(): void {
    const cap = this.ids.length * 2;
    if (cap > MAX_ROWS) throw new RangeError(`TxRegistry: more than ${MAX_ROWS} live transactions`);
    const ids = new Float64Array(cap);
    ids.set(this.ids);
    const refs = new Int32Array(cap);
    refs.set(this.refs);
    const states = new Uint32Array(cap * this.words);
    states.set(this.states);
    this.ids = ids;
    this.refs = refs;
    this.states = states;
  }
}
