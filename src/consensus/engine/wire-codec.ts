/**
 * The Snowman wire codec (version 2: the bootstrapping messages and request
 * deadlines were added to version 1): every Message kind in full, blocks with
 * their id, parent, height, proposer, builtAt, sizeBytes and transaction ids.
 * The real node's TCP transport sends exactly these bytes; the shards of a
 * sharded simulation exchange the same encodings in batches (WireBatchCodec),
 * where a block body goes once per destination and later messages name it
 * by id.
 *
 * Layout, big-endian: u8 version, u8 kind (MESSAGE_TYPE_TAG), then
 *   push-query  requestId u32, requestedHeight u32, block, deadline
 *   pull-query  requestId u32, requestedHeight u32, blockId id, deadline
 *   chits       requestId u32, preferredId id, preferredIdAtHeight id, acceptedId id, acceptedHeight u32
 *   get         requestId u32, blockId id, deadline
 *   put         requestId u32, block
 *   tx-gossip   count u32, count × txId id
 *   get-accepted-frontier  requestId u32, deadline
 *   accepted-frontier      requestId u32, blockId id
 *   get-accepted           requestId u32, count u32, count × blockId id, deadline
 *   accepted               requestId u32, count u32, count × blockId id
 *   get-ancestors          requestId u32, blockId id, deadline
 *   ancestors              requestId u32, count u32, count × block
 *   block       id id, parent id-or-none, height u32, proposer i32, builtAt u53, sizeBytes u32, txCount u32, txCount × txId id
 * where id is a non-negative safe integer in 8 bytes and "none" (-1, the
 * genesis block's parent) is eight 0xff bytes; deadline is the request's
 * deadline in µs as an id, or none when the request carries none. Inside a batch, kind | 0x80
 * marks a push-query or put whose block is given by id (sent earlier in full).
 */
import type { Block, BlockId, TxId } from '../snowman/block.js';
import { ByteReader, ByteWriter } from '../wire-bytes.js';
import type { WireBatchCodec, WireBatchDecoder, WireBatchEncoder, WireCodec, WireDecodeResult, WireError } from '../wire.js';
import { MESSAGE_TYPE_TAG, type Message } from './messages.js';

export const SNOWMAN_WIRE_VERSION = 2;
/** Largest message, as AvalancheGo's p2p layer bounds one (its default is 2 MiB; blocks of 350 PQ txs carry only ids here). */
export const SNOWMAN_MAX_MESSAGE_BYTES = 16 * 1024 * 1024;
/** Most transaction ids in one block or gossip message that fit the message limit. */
export const SNOWMAN_MAX_TXS = Math.floor((SNOWMAN_MAX_MESSAGE_BYTES - 64) / 8);
/** Most blocks in one Ancestors message (AvalancheGo's --bootstrap-ancestors-max-containers-sent default is 2,000; a peer may be configured higher). */
export const SNOWMAN_MAX_BLOCKS = 100_000;
/** Smallest encoded block (no transactions): what a block count is checked against before decoding. */
const MIN_BLOCK_BYTES = 8 + 8 + 4 + 4 + 8 + 4 + 4;
/** Engine limit on a message's modelled size (sizeBytes): below 2^31. */
const MAX_SIZE_BYTES = 0x7fff_ffff;
/** Kind flag, batches only: the block is given by id. */
const BY_REFERENCE = 0x80;

const T_PUSH = MESSAGE_TYPE_TAG['push-query'];
const T_PULL = MESSAGE_TYPE_TAG['pull-query'];
const T_CHITS = MESSAGE_TYPE_TAG.chits;
const T_GET = MESSAGE_TYPE_TAG.get;
const T_PUT = MESSAGE_TYPE_TAG.put;
const T_GOSSIP = MESSAGE_TYPE_TAG['tx-gossip'];
const T_GET_FRONTIER = MESSAGE_TYPE_TAG['get-accepted-frontier'];
const T_FRONTIER = MESSAGE_TYPE_TAG['accepted-frontier'];
const T_GET_ACCEPTED = MESSAGE_TYPE_TAG['get-accepted'];
const T_ACCEPTED = MESSAGE_TYPE_TAG.accepted;
const T_GET_ANCESTORS = MESSAGE_TYPE_TAG['get-ancestors'];
const T_ANCESTORS = MESSAGE_TYPE_TAG.ancestors;

function err(error: WireError): { ok: false; error: WireError } {
  return { ok: false, error };
}

function writeTxs(w: ByteWriter, txs: readonly TxId[]): void {
  if (txs.length > SNOWMAN_MAX_TXS) throw new RangeError(`wire: ${txs.length} transaction ids exceed the limit of ${SNOWMAN_MAX_TXS}`);
  w.u32(txs.length);
  for (let i = 0; i < txs.length; i++) w.u53(txs[i]!);
}

function writeDeadline(w: ByteWriter, deadlineUs: number | undefined): void {
  w.u53OrNone(deadlineUs ?? -1);
}

function writeBlock(w: ByteWriter, b: Block): void {
  w.u53(b.id);
  w.u53OrNone(b.parent);
  w.u32(b.height);
  w.i32(b.proposer);
  w.u53(b.builtAt);
  w.u32(b.sizeBytes);
  writeTxs(w, b.txs);
}

function writeBlockOrId(w: ByteWriter, b: Block, byId: boolean): void {
  if (byId) w.u53(b.id);
  else writeBlock(w, b);
}

/**
 * Writes one message; `blockById` (batches only) says whether the message's
 * block goes by id instead of in full.
 */
function writeMessage(w: ByteWriter, msg: Message, blockById: boolean): void {
  w.u8(SNOWMAN_WIRE_VERSION);
  switch (msg.kind) {
    case 'push-query':
      w.u8(blockById ? T_PUSH | BY_REFERENCE : T_PUSH);
      w.u32(msg.requestId);
      w.u32(msg.requestedHeight);
      writeBlockOrId(w, msg.block, blockById);
      writeDeadline(w, msg.deadlineUs);
      return;
    case 'pull-query':
      w.u8(T_PULL);
      w.u32(msg.requestId);
      w.u32(msg.requestedHeight);
      w.u53(msg.blockId);
      writeDeadline(w, msg.deadlineUs);
      return;
    case 'chits':
      w.u8(T_CHITS);
      w.u32(msg.requestId);
      w.u53(msg.preferredId);
      w.u53(msg.preferredIdAtHeight);
      w.u53(msg.acceptedId);
      w.u32(msg.acceptedHeight);
      return;
    case 'get':
      w.u8(T_GET);
      w.u32(msg.requestId);
      w.u53(msg.blockId);
      writeDeadline(w, msg.deadlineUs);
      return;
    case 'put':
      w.u8(blockById ? T_PUT | BY_REFERENCE : T_PUT);
      w.u32(msg.requestId);
      writeBlockOrId(w, msg.block, blockById);
      return;
    case 'tx-gossip':
      w.u8(T_GOSSIP);
      writeTxs(w, msg.txs);
      return;
    case 'get-accepted-frontier':
      w.u8(T_GET_FRONTIER);
      w.u32(msg.requestId);
      writeDeadline(w, msg.deadlineUs);
      return;
    case 'accepted-frontier':
      w.u8(T_FRONTIER);
      w.u32(msg.requestId);
      w.u53(msg.blockId);
      return;
    case 'get-accepted':
    case 'accepted':
      w.u8(msg.kind === 'accepted' ? T_ACCEPTED : T_GET_ACCEPTED);
      w.u32(msg.requestId);
      writeTxs(w, msg.blockIds);
      if (msg.kind === 'get-accepted') writeDeadline(w, msg.deadlineUs);
      return;
    case 'get-ancestors':
      w.u8(T_GET_ANCESTORS);
      w.u32(msg.requestId);
      w.u53(msg.blockId);
      writeDeadline(w, msg.deadlineUs);
      return;
    case 'ancestors':
      w.u8(T_ANCESTORS);
      w.u32(msg.requestId);
      if (msg.blocks.length > SNOWMAN_MAX_BLOCKS) throw new RangeError(`wire: ${msg.blocks.length} blocks exceed the limit of ${SNOWMAN_MAX_BLOCKS}`);
      w.u32(msg.blocks.length);
      for (const b of msg.blocks) writeBlock(w, b);
      return;
  }
}

/** Reads a request's deadline: none (the request carries none) or µs. */
function readDeadline(r: ByteReader): { deadlineUs?: number } {
  const d = r.u53OrNone('deadline');
  return d === -1 || r.error !== undefined ? {} : { deadlineUs: d };
}

/** A count of blocks, checked against the limit and the bytes left before anything is allocated. */
function readBlocks(r: ByteReader): Block[] | undefined {
  const n = r.u32('blocks count');
  if (r.error !== undefined) return undefined;
  if (n > SNOWMAN_MAX_BLOCKS) return void r.fail('oversized', `blocks count ${n} exceeds the limit of ${SNOWMAN_MAX_BLOCKS}`);
  if (n * MIN_BLOCK_BYTES > r.remaining) return void r.fail('truncated', `blocks: ${n} blocks need at least ${n * MIN_BLOCK_BYTES} bytes, ${r.remaining} left`);
  const out: Block[] = [];
  for (let i = 0; i < n; i++) {
    const b = readBlock(r);
    if (b === undefined) return undefined;
    out.push(b);
  }
  return out;
}

/** A count of 8-byte ids, checked against the limit and the bytes left before anything is allocated. */
function readTxs(r: ByteReader, field: string): TxId[] | undefined {
  const n = r.u32(`${field} count`);
  if (r.error !== undefined) return undefined;
  if (n > SNOWMAN_MAX_TXS) {
    r.fail('oversized', `${field} count ${n} exceeds the limit of ${SNOWMAN_MAX_TXS}`);
    return undefined;
  }
  if (n * 8 > r.remaining) {
    r.fail('truncated', `${field}: ${n} ids need ${n * 8} bytes, ${r.remaining} left`);
    return undefined;
  }
  const txs: TxId[] = [];
  for (let i = 0; i < n; i++) txs.push(r.u53(field));
  return r.error === undefined ? txs : undefined;
}

function readBlock(r: ByteReader): Block | undefined {
  const id = r.u53('block.id');
  const parent = r.u53OrNone('block.parent');
  const height = r.u32('block.height');
  const proposer = r.i32('block.proposer');
  const builtAt = r.u53('block.builtAt');
  const sizeBytes = r.u32('block.sizeBytes');
  if (r.error !== undefined) return undefined;
  if (proposer < -1) return void r.fail('invalid-field', `block.proposer: ${proposer} is not a node id (or -1)`);
  if (sizeBytes > MAX_SIZE_BYTES) return void r.fail('invalid-field', `block.sizeBytes: ${sizeBytes} is not below 2^31`);
  if ((parent === -1) !== (height === 0)) return void r.fail('invalid-field', `block.parent: ${parent} at height ${height} (only a height-0 block has no parent)`);
  const txs = readTxs(r, 'block.txs');
  if (txs === undefined) return undefined;
  // Same property order as SnowmanNode.mintBlock: one hidden class for every block.
  return { id, parent, height, proposer, txs, sizeBytes, builtAt };
}

/**
 * Reads one message at the reader's position. `blocks` (batches only)
 * resolves by-id blocks and interns full ones; without it a by-id kind is
 * unknown. Never throws.
 */
function readMessage(r: ByteReader, blocks: Map<BlockId, Block> | undefined): WireDecodeResult<Message> {
  const start = r.pos;
  const version = r.u8('version');
  if (r.error === undefined && version !== SNOWMAN_WIRE_VERSION) {
    return err({ reason: 'unsupported-version', detail: `version ${version} (this codec reads ${SNOWMAN_WIRE_VERSION}) at byte ${start}` });
  }
  const kind = r.u8('kind');
  if (r.error !== undefined) return err(r.error);
  if ((kind & BY_REFERENCE) !== 0 && blocks === undefined) {
    return err({ reason: 'unknown-kind', detail: `kind ${kind} is not a Snowman message (at byte ${start + 1})` });
  }
  let msg: Message | undefined;
  const block = (): Block | undefined => {
    const b = readBlock(r);
    if (b === undefined || blocks === undefined) return b;
    const known = blocks.get(b.id);
    if (known !== undefined) return known;
    blocks.set(b.id, b);
    return b;
  };
  const blockById = (): Block | undefined => {
    const id = r.u53('blockId');
    if (r.error !== undefined) return undefined;
    const b = blocks?.get(id);
    if (b === undefined) r.fail('invalid-field', `block ${id} referenced before its body was sent`);
    return b;
  };
  switch (kind) {
    case T_PUSH:
    case T_PUSH | BY_REFERENCE: {
      const requestId = r.u32('requestId');
      const requestedHeight = r.u32('requestedHeight');
      if (r.error !== undefined) break;
      const b = kind === T_PUSH ? block() : blockById();
      if (b !== undefined) msg = { kind: 'push-query', requestId, block: b, requestedHeight, ...readDeadline(r) };
      break;
    }
    case T_PULL: {
      const requestId = r.u32('requestId');
      const requestedHeight = r.u32('requestedHeight');
      const blockId = r.u53('blockId');
      msg = { kind: 'pull-query', requestId, blockId, requestedHeight, ...readDeadline(r) };
      break;
    }
    case T_CHITS: {
      const requestId = r.u32('requestId');
      const preferredId = r.u53('preferredId');
      const preferredIdAtHeight = r.u53('preferredIdAtHeight');
      const acceptedId = r.u53('acceptedId');
      const acceptedHeight = r.u32('acceptedHeight');
      msg = { kind: 'chits', requestId, preferredId, preferredIdAtHeight, acceptedId, acceptedHeight };
      break;
    }
    case T_GET: {
      const requestId = r.u32('requestId');
      const blockId = r.u53('blockId');
      msg = { kind: 'get', requestId, blockId, ...readDeadline(r) };
      break;
    }
    case T_PUT:
    case T_PUT | BY_REFERENCE: {
      const requestId = r.u32('requestId');
      if (r.error !== undefined) break;
      const b = kind === T_PUT ? block() : blockById();
      if (b !== undefined) msg = { kind: 'put', requestId, block: b };
      break;
    }
    case T_GOSSIP: {
      const txs = readTxs(r, 'txs');
      if (txs !== undefined) msg = { kind: 'tx-gossip', txs };
      break;
    }
    case T_GET_FRONTIER: {
      const requestId = r.u32('requestId');
      msg = { kind: 'get-accepted-frontier', requestId, ...readDeadline(r) };
      break;
    }
    case T_FRONTIER: {
      const requestId = r.u32('requestId');
      const blockId = r.u53('blockId');
      msg = { kind: 'accepted-frontier', requestId, blockId };
      break;
    }
    case T_GET_ACCEPTED:
    case T_ACCEPTED: {
      const requestId = r.u32('requestId');
      if (r.error !== undefined) break;
      const blockIds = readTxs(r, 'blockIds');
      if (blockIds === undefined) break;
      msg = kind === T_ACCEPTED ? { kind: 'accepted', requestId, blockIds } : { kind: 'get-accepted', requestId, blockIds, ...readDeadline(r) };
      break;
    }
    case T_GET_ANCESTORS: {
      const requestId = r.u32('requestId');
      const blockId = r.u53('blockId');
      msg = { kind: 'get-ancestors', requestId, blockId, ...readDeadline(r) };
      break;
    }
    case T_ANCESTORS: {
      const requestId = r.u32('requestId');
      if (r.error !== undefined) break;
      const blocks = readBlocks(r);
      if (blocks !== undefined) msg = { kind: 'ancestors', requestId, blocks };
      break;
    }
    default:
      return err({ reason: 'unknown-kind', detail: `kind ${kind} is not a Snowman message (at byte ${start + 1})` });
  }
  if (r.error !== undefined) return err(r.error);
  if (msg === undefined) return err({ reason: 'invalid-field', detail: `kind ${kind}: no message decoded (at byte ${start})` });
  return { ok: true, msg };
}

export class SnowmanWireCodec implements WireCodec<Message>, WireBatchCodec<Message> {
  readonly version = SNOWMAN_WIRE_VERSION;
  readonly maxMessageBytes = SNOWMAN_MAX_MESSAGE_BYTES;

  encode(msg: Message): Uint8Array {
    const w = new ByteWriter(msg.kind === 'push-query' || msg.kind === 'put' ? 64 + 8 * msg.block.txs.length : 64, SNOWMAN_MAX_MESSAGE_BYTES);
    writeMessage(w, msg, false);
    return w.bytes();
  }

  decode(bytes: Uint8Array): WireDecodeResult<Message> {
    if (!(bytes instanceof Uint8Array)) return err({ reason: 'invalid-field', detail: 'input is not a byte array' });
    if (bytes.length > SNOWMAN_MAX_MESSAGE_BYTES) {
      return err({ reason: 'oversized', detail: `${bytes.length} bytes exceed the limit of ${SNOWMAN_MAX_MESSAGE_BYTES}` });
    }
    const r = new ByteReader(bytes);
    const res = readMessage(r, undefined);
    if (res.ok && r.pos !== bytes.length) {
      return err({ reason: 'trailing-bytes', detail: `${bytes.length - r.pos} bytes after a complete ${res.msg.kind} (at byte ${r.pos})` });
    }
    return res;
  }

  encoder(): WireBatchEncoder<Message> {
    const shipped = new Set<BlockId>();
    return {
      write(w, msg) {
        const b = msg.kind === 'push-query' || msg.kind === 'put' ? msg.block : undefined;
        const byId = b !== undefined && shipped.has(b.id);
        if (b !== undefined && !byId) shipped.add(b.id);
        writeMessage(w, msg, byId);
      },
    };
  }

  decoder(): WireBatchDecoder<Message> {
    const blocks = new Map<BlockId, Block>();
    return { read: (r) => readMessage(r, blocks) };
  }
}

/** The codec (stateless; batch encoders and decoders carry their own state). */
export const SNOWMAN_WIRE_CODEC = new SnowmanWireCodec();
