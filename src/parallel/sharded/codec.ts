/**
 * Snowman messages between shards: one window's messages to one shard as a
 * single Float64Array (transferred, not copied). Blocks travel by id; a
 * block's body is sent once per destination shard, and each shard keeps one
 * object per block (its registry), so the nodes of a shard share blocks by
 * reference exactly as the nodes of a serial run do. Blocks are immutable and
 * compared by id, so a copy per shard is observably the same block.
 *
 * Layout: [blocks, {id, parent, height, proposer, sizeBytes, builtAt, txCount, ...txs}*,
 *          messages, {time, tie, seq, sizeBytes, type tag, ...fields}*]
 */
import type { Block, BlockId } from '../../consensus/snowman/block.js';
import { MESSAGE_TYPE_TAG, type Message } from '../../consensus/engine/messages.js';
import type { OutboxBatch } from '../../sim/types.js';

/** Most numbers in one window's batch to one shard (2^27 doubles = 1 GiB); more is a labelled failure. */
export const MAX_BATCH_NUMBERS = 1 << 27;

class Writer {
  buf = new Float64Array(1024);
  len = 0;
  put(x: number): void {
    if (this.len === this.buf.length) this.grow();
    this.buf[this.len++] = x;
  }
  private grow(): void {
    if (this.buf.length >= MAX_BATCH_NUMBERS) {
      throw new RangeError(`shard exchange: one window's batch exceeds ${MAX_BATCH_NUMBERS} numbers (lower the load or the window)`);
    }
    const b = new Float64Array(this.buf.length * 2);
    b.set(this.buf);
    this.buf = b;
  }
  finish(): Float64Array {
    return this.buf.slice(0, this.len);
  }
}

function blockOf(m: Message): Block | undefined {
  return m.kind === 'push-query' || m.kind === 'put' ? m.block : undefined;
}

/** Encodes a batch; `shipped` holds the ids of blocks this destination already has (updated). */
export function encodeBatch(batch: OutboxBatch<Message>, shipped: Set<BlockId>): Float64Array {
  const w = new Writer();
  const fresh: Block[] = [];
  for (const m of batch.msg) {
    const b = blockOf(m);
    if (b !== undefined && !shipped.has(b.id)) {
      shipped.add(b.id);
      fresh.push(b);
    }
  }
  w.put(fresh.length);
  for (const b of fresh) {
    w.put(b.id);
    w.put(b.parent);
    w.put(b.height);
    w.put(b.proposer);
    w.put(b.sizeBytes);
    w.put(b.builtAt);
    w.put(b.txs.length);
    for (const tx of b.txs) w.put(tx);
  }
  const count = batch.msg.length;
  w.put(count);
  for (let i = 0; i < count; i++) {
    const m = batch.msg[i]!;
    w.put(batch.time[i]!);
    w.put(batch.tie[i]!);
    w.put(batch.seq[i]!);
    w.put(batch.sizeBytes[i]!);
    w.put(MESSAGE_TYPE_TAG[m.kind]);
    switch (m.kind) {
      case 'push-query':
        w.put(m.requestId);
        w.put(m.block.id);
        w.put(m.requestedHeight);
        break;
      case 'pull-query':
        w.put(m.requestId);
        w.put(m.blockId);
        w.put(m.requestedHeight);
        break;
      case 'chits':
        w.put(m.requestId);
        w.put(m.preferredId);
        w.put(m.preferredIdAtHeight);
        w.put(m.acceptedId);
        w.put(m.acceptedHeight);
        break;
      case 'get':
        w.put(m.requestId);
        w.put(m.blockId);
        break;
      case 'put':
        w.put(m.requestId);
        w.put(m.block.id);
        break;
      case 'tx-gossip':
        w.put(m.txs.length);
        for (const tx of m.txs) w.put(tx);
        break;
    }
  }
  return w.finish();
}

export type Deliver = (time: number, tie: number, seq: number, sizeBytes: number, msg: Message) => void;

/** Decodes a batch, registering new blocks in `registry`, and hands each message to `deliver` in order. */
export function decodeBatch(buf: Float64Array, registry: Map<BlockId, Block>, deliver: Deliver): number {
  let p = 0;
  const next = (): number => {
    if (p >= buf.length) throw new RangeError(`shard exchange: batch truncated at ${p} of ${buf.length} numbers`);
    return buf[p++]!;
  };
  const blocks = next();
  for (let i = 0; i < blocks; i++) {
    const id = next();
    const parent = next();
    const height = next();
    const proposer = next();
    const sizeBytes = next();
    const builtAt = next();
    const n = next();
    const txs: number[] = Array.from({ length: n }, () => 0);
    for (let k = 0; k < n; k++) txs[k] = next();
    if (!registry.has(id)) registry.set(id, { id, parent, height, proposer, txs, sizeBytes, builtAt });
  }
  const block = (id: number): Block => {
    const b = registry.get(id);
    if (b === undefined) throw new RangeError(`shard exchange: block ${id} referenced before its body was sent`);
    return b;
  };
  const count = next();
  for (let i = 0; i < count; i++) {
    const time = next();
    const tie = next();
    const seq = next();
    const sizeBytes = next();
    const tag = next();
    let msg: Message;
    switch (tag) {
      case MESSAGE_TYPE_TAG['push-query']: {
        const requestId = next();
        msg = { kind: 'push-query', requestId, block: block(next()), requestedHeight: next() };
        break;
      }
      case MESSAGE_TYPE_TAG['pull-query']:
        msg = { kind: 'pull-query', requestId: next(), blockId: next(), requestedHeight: next() };
        break;
      case MESSAGE_TYPE_TAG.chits:
        msg = { kind: 'chits', requestId: next(), preferredId: next(), preferredIdAtHeight: next(), acceptedId: next(), acceptedHeight: next() };
        break;
      case MESSAGE_TYPE_TAG.get:
        msg = { kind: 'get', requestId: next(), blockId: next() };
        break;
      case MESSAGE_TYPE_TAG.put: {
        const requestId = next();
        msg = { kind: 'put', requestId, block: block(next()) };
        break;
      }
      case MESSAGE_TYPE_TAG['tx-gossip']: {
        const n = next();
        const txs: number[] = Array.from({ length: n }, () => 0);
        for (let k = 0; k < n; k++) txs[k] = next();
        msg = { kind: 'tx-gossip', txs };
        break;
      }
      default:
        throw new RangeError(`shard exchange: unknown message type tag ${tag}`);
    }
    deliver(time, tie, seq, sizeBytes, msg);
  }
  if (p !== buf.length) throw new RangeError(`shard exchange: ${buf.length - p} numbers left after the batch`);
  return count;
}
