/**
 * The node's durable store: its accepted chain and the id reservations that
 * keep its block and request ids unique across restarts. RocksDB, through
 * @nxtedition/rocksdb (a maintained N-API binding whose package carries a
 * prebuilt linux-x64 library, so `npm ci` with no install scripts loads it),
 * with every write batch `sync: true` (the WAL is fsynced before the write
 * completes).
 *
 * Keys (utf8):
 *   meta/last         {"height":H,"id":ID,"txs":T,"bytes":B}  last accepted block; T and B: running totals of the
 *                                                     transactions and block bytes of heights 1..H (a boot reads them
 *                                                     here instead of scanning the chain)
 *   meta/reserve      {"blocks":B,"requests":R,"incarnations":I}  ids below these may have been used; boots so far
 *   meta/identity     {"scenario":S,"seed":N,"runTag":T,"node":ID}  whose store this is (a store of another run is refused)
 *   block/h/<height>  {block, signature?, sum}        accepted block at a height (height zero-padded to 12 digits);
 *                                                     sum = sha256 of the JSON of {block, signature?} (checked on read and by verify-db)
 *   block/id/<id>     "<height>"                      height of an accepted block id
 *   tx/<id>           {payload, publicKey, signature} signed body of a transaction of an accepted block (real signatures only)
 * One accepted block is one batch: block, its index entry, its tx bodies and meta/last.
 */
import { createHash } from 'node:crypto';
import { appendFileSync, mkdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { RocksLevel, type BatchOp } from '@nxtedition/rocksdb';
import type { AcceptedStore } from '../../consensus/engine/accepted-chain.js';
import type { Block, BlockId } from '../../consensus/snowman/block.js';
import type { BlockSignature, SignedTx } from '../crypto/attachments.js';

export interface StoredBlock {
  readonly block: Block;
  readonly signature?: BlockSignature;
}

export interface Reservation {
  /** Block counters below this may have been used by an earlier incarnation. */
  readonly blocks: number;
  readonly requests: number;
  /** Incarnations started on this store (this one included). */
  readonly incarnations: number;
}

/** Set by crash tests: a directory where each store's `<node dir name>.trace` gets `b` before and `e` after every write batch. */
const STORE_TRACE_DIR = process.env.AVSIM_STORE_TRACE;

export const HEIGHT_DIGITS = 12;
export const heightKey = (h: number): string => `block/h/${String(h).padStart(HEIGHT_DIGITS, '0')}`;

/** Whose store this is: a node refuses a store written for another run, scenario, seed or node. */
export interface StoreIdentity {
  readonly scenario: string;
  readonly seed: number;
  readonly runTag: number;
  readonly node: number;
}

/** The store belongs to another run (one line naming both). */
export class StoreIdentityError extends Error {
  override readonly name = 'StoreIdentityError';
}
const b64 = (u: Uint8Array): string => Buffer.from(u.buffer, u.byteOffset, u.length).toString('base64');
const unb64 = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'base64'));

function isNotFound(e: unknown): boolean {
  return typeof e === 'object' && e !== null && (e as { code?: unknown }).code === 'LEVEL_NOT_FOUND';
}

/** meta/last: the last accepted block and the running totals of the chain up to it. */
export interface LastAccepted {
  readonly height: number;
  readonly id: number;
  readonly txs: number;
  readonly bytes: number;
}

export interface ChainStoreOptions {
  /** fsync every write batch (default). Off only for fixtures that prefill a store with many blocks. */
  readonly sync?: boolean;
}

export class ChainStore implements AcceptedStore {
  private db: RocksLevel | undefined;
  private readonly sync: boolean;
  /** meta/last as it will be once the queued writes are durable (read at open). */
  private last: LastAccepted = { height: 0, id: 0, txs: 0, bytes: 0 };
  /** Stored blocks parsed so far (reads by range, height or the full scan): a boot reads a bounded number. */
  blocksRead = 0;
  /** Accepted blocks queued for writing and not yet durable, by height and id (read before the database). */
  private readonly pending = new Map<number, Block>();
  private readonly pendingIds = new Map<BlockId, number>();
  /** Writes in flight, in order; close() waits for them. */
  private tail: Promise<void> = Promise.resolve();
  private writeError: Error | undefined;
  writes = 0;
  writeUsTotal = 0;

  constructor(
    readonly dir: string,
    opts: ChainStoreOptions = {},
  ) {
    this.sync = opts.sync ?? true;
  }

  async open(): Promise<void> {
    mkdirSync(this.dir, { recursive: true });
    const db = new RocksLevel(this.dir);
    await db.open();
    this.db = db;
    if (STORE_TRACE_DIR !== undefined) appendFileSync(this.tracePath(), 'o\n');
    this.last = await this.readLast();
  }

  /** meta/last; a store written before the running totals gets them by one scan (then kept by every write). */
  private async readLast(): Promise<LastAccepted> {
    const v = (await this.getJson('meta/last')) as Partial<LastAccepted> | undefined;
    if (v === undefined) return { height: 0, id: 0, txs: 0, bytes: 0 };
    const height = Number(v.height);
    const id = Number(v.id);
    if (Number.isSafeInteger(v.txs) && Number.isSafeInteger(v.bytes)) return { height, id, txs: Number(v.txs), bytes: Number(v.bytes) };
    let txs = 0;
    let bytes = 0;
    for await (const e of this.range(1, height)) {
      txs += e.block.txs.length;
      bytes += e.block.sizeBytes;
    }
    return { height, id, txs, bytes };
  }

  private tracePath(): string {
    return join(STORE_TRACE_DIR ?? '.', `${basename(dirname(this.dir))}.trace`);
  }

  private handle(): RocksLevel {
    if (this.db === undefined) throw new Error(`store ${this.dir}: not open`);
    if (this.writeError !== undefined) throw this.writeError;
    return this.db;
  }

  private async getJson(key: string): Promise<unknown> {
    try {
      return JSON.parse(await this.handle().get(key)) as unknown;
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw e;
    }
  }

  /** Records the store's identity on first use; refuses a store that has another. */
  async claim(id: StoreIdentity): Promise<void> {
    const have = (await this.getJson('meta/identity')) as StoreIdentity | undefined;
    if (have === undefined) {
      await this.write([{ type: 'put', key: 'meta/identity', value: JSON.stringify(id) }]);
      return;
    }
    const same = have.scenario === id.scenario && have.seed === id.seed && have.runTag === id.runTag && have.node === id.node;
    if (!same) {
      throw new StoreIdentityError(
        `store ${this.dir}: belongs to node ${have.node} of scenario ${have.scenario} seed ${have.seed} run ${have.runTag.toString(16)}, not node ${id.node} of scenario ${id.scenario} seed ${id.seed} run ${id.runTag.toString(16)}`,
      );
    }
  }

  /** The last accepted block and the chain's running totals (queued writes included); undefined on an empty store. */
  lastAccepted(): Promise<LastAccepted | undefined> {
    this.handle();
    return Promise.resolve(this.last.height === 0 ? undefined : this.last);
  }

  async reservation(): Promise<Reservation> {
    const v = (await this.getJson('meta/reserve')) as Reservation | undefined;
    return v ?? { blocks: 0, requests: 0, incarnations: 0 };
  }

  /** Durably records that ids below these may be used (call before using them). */
  reserve(r: Reservation): Promise<void> {
    return this.write([{ type: 'put', key: 'meta/reserve', value: JSON.stringify(r) }]);
  }

  /** Accepted blocks from height 1 to the last accepted one, in height order (genesis is not stored). */
  async chain(): Promise<StoredBlock[]> {
    const out: StoredBlock[] = [];
    for await (const e of this.blocks()) out.push(e);
    return out;
  }

  /** The same, one at a time (a long chain is never held whole). */
  blocks(): AsyncGenerator<StoredBlock> {
    return this.range(1, 10 ** HEIGHT_DIGITS - 1);
  }

  /** The stored blocks at heights lo..hi, in height order, one at a time (durable ones only). */
  async *range(lo: number, hi: number): AsyncGenerator<StoredBlock> {
    if (hi < lo) return;
    const it = this.handle().iterator({ gte: heightKey(Math.max(1, lo)), lte: heightKey(hi) });
    for await (const [, value] of it) {
      this.blocksRead++;
      yield parseStoredBlock(value);
    }
  }

  private getSync(key: string): string | undefined {
    // oxlint-disable-next-line no-underscore-dangle -- the binding's only synchronous read (rocksdb.d.ts)
    return this.handle()._getManySync([key])[0]?.toString('utf8');
  }

  /** AcceptedStore: the accepted block at a height, queued or durable (a synchronous read, checksum checked). */
  blockAt(height: number): Block | undefined {
    const p = this.pending.get(height);
    if (p !== undefined) return p;
    const v = this.getSync(heightKey(height));
    if (v === undefined) return undefined;
    this.blocksRead++;
    return parseStoredBlock(v).block;
  }

  /** AcceptedStore: the height of an accepted block, queued or durable. */
  heightOf(id: BlockId): number | undefined {
    const p = this.pendingIds.get(id);
    if (p !== undefined) return p;
    const v = this.getSync(`block/id/${id}`);
    return v === undefined ? undefined : Number(v);
  }

  /** The proposer signature of a durable accepted block, by id (a synchronous read, checksum checked). */
  signatureOf(id: BlockId): BlockSignature | undefined {
    const h = this.heightOf(id);
    if (h === undefined || this.pending.has(h)) return undefined;
    const v = this.getSync(heightKey(h));
    return v === undefined ? undefined : parseStoredBlock(v).signature;
  }

  /** The signed body of a transaction of a durable accepted block (a synchronous read). */
  txBodyOf(id: number): SignedTx | undefined {
    const v = this.getSync(`tx/${id}`);
    return v === undefined ? undefined : parseTxBody(id, v);
  }

  /** The signed body of a transaction of an accepted block, if stored. */
  async txBody(id: number): Promise<SignedTx | undefined> {
    try {
      return parseTxBody(id, await this.handle().get(`tx/${id}`));
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw e;
    }
  }

  /**
   * Queues the durable write of one accepted block (writes complete in
   * acceptance order). `onDurable` runs as soon as the batch is fsynced, before
   * any later write completes and before close() returns.
   */
  appendAccepted(entry: StoredBlock, bodies: readonly SignedTx[], onDurable?: () => void): Promise<void> {
    const b = entry.block;
    this.last = { height: b.height, id: b.id, txs: this.last.txs + b.txs.length, bytes: this.last.bytes + b.sizeBytes };
    const ops: BatchOp[] = [
      { type: 'put', key: heightKey(b.height), value: storedBlockText(entry) },
      { type: 'put', key: `block/id/${b.id}`, value: String(b.height) },
      ...bodies.map((t) => ({ type: 'put' as const, key: `tx/${t.id}`, value: JSON.stringify({ payload: b64(t.payload), publicKey: b64(t.publicKey), signature: b64(t.signature) }) })),
      { type: 'put', key: 'meta/last', value: JSON.stringify(this.last) },
    ];
    this.pending.set(b.height, b);
    this.pendingIds.set(b.id, b.height);
    return this.write(ops, () => {
      this.pending.delete(b.height);
      this.pendingIds.delete(b.id);
      onDurable?.();
    });
  }

  private write(ops: BatchOp[], onDurable?: () => void): Promise<void> {
    const db = this.handle();
    const next = this.tail.then(async () => {
      const t0 = process.hrtime.bigint();
      // Crash tests: where in a write a SIGKILL landed (begin without end = inside a batch).
      const trace = STORE_TRACE_DIR === undefined ? undefined : this.tracePath();
      if (trace !== undefined) appendFileSync(trace, 'b\n');
      // A chained batch, written and closed by write() (the binding's array batch() leaks one batch per call; rocksdb.d.ts).
      const batch = db.batch();
      for (const op of ops) {
        if (op.type === 'put') batch.put(op.key, op.value ?? '');
        else batch.del(op.key);
      }
      await batch.write({ sync: this.sync });
      if (trace !== undefined) appendFileSync(trace, 'e\n');
      onDurable?.();
      this.writes++;
      this.writeUsTotal += Number(process.hrtime.bigint() - t0) / 1000;
    });
    next.catch((e: unknown) => {
      this.writeError = e instanceof Error ? e : new Error(String(e));
    });
    this.tail = next.catch(() => undefined);
    return next;
  }

  /** Waits for queued writes, then closes. */
  async close(): Promise<void> {
    await this.tail;
    if (this.db !== undefined && this.db.status === 'open') await this.db.close();
    this.db = undefined;
  }
}

function parseTxBody(id: number, text: string): SignedTx {
  const v = JSON.parse(text) as { payload: string; publicKey: string; signature: string };
  return { id, payload: unb64(v.payload), publicKey: unb64(v.publicKey), signature: unb64(v.signature) };
}

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

function storedBlockText(e: StoredBlock): string {
  const s = e.signature;
  const body = {
    block: e.block,
    ...(s === undefined ? {} : { signature: { blockId: s.blockId, publicKey: b64(s.publicKey), signature: b64(s.signature) } }),
  };
  return JSON.stringify({ ...body, sum: sha256(JSON.stringify(body)) });
}

type StoredJson = { block: Block; signature?: { blockId: number; publicKey: string; signature: string }; sum?: string };

/** Parses one stored block and checks its checksum (absent only in stores written before checksums). */
export function checkStoredBlock(text: string): { ok: true; block: Block; checksummed: boolean } | { ok: false; problem: string } {
  let v: StoredJson;
  try {
    v = JSON.parse(text) as StoredJson;
  } catch {
    return { ok: false, problem: 'not JSON (a torn or corrupted value)' };
  }
  if (typeof v !== 'object' || v === null || typeof v.block !== 'object' || v.block === null) return { ok: false, problem: 'no block in the stored value' };
  const b = v.block;
  if (![b.id, b.parent, b.height, b.sizeBytes].every(Number.isSafeInteger) || !Array.isArray(b.txs)) return { ok: false, problem: 'a block field is missing or not an integer' };
  if (v.sum !== undefined) {
    const { sum, ...body } = v;
    const actual = sha256(JSON.stringify(body));
    if (actual !== sum) return { ok: false, problem: `checksum mismatch (stored ${sum.slice(0, 16)}…, computed ${actual.slice(0, 16)}…)` };
  }
  return { ok: true, block: b, checksummed: v.sum !== undefined };
}

function parseStoredBlock(text: string): StoredBlock {
  const c = checkStoredBlock(text);
  if (!c.ok) throw new Error(`store: an accepted block fails its check: ${c.problem} (run avsim node verify-db)`);
  const v = JSON.parse(text) as StoredJson;
  const block: Block = Object.freeze({ ...v.block, txs: Object.freeze([...v.block.txs]) });
  return v.signature === undefined
    ? { block }
    : { block, signature: { blockId: v.signature.blockId, publicKey: unb64(v.signature.publicKey), signature: unb64(v.signature.signature) } };
}
