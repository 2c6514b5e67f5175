/**
 * What a message frame carries besides the protocol's own encoding when
 * real signatures are on: the signed bodies of the transactions it names
 * (payload, ML-DSA-65 public key and signature) and the proposer's signature
 * over each block header it carries. Together they are the bytes the
 * simulator's size model counts (MessageModel.txBytes, blockSizeBytes), so
 * real and simulated messages weigh the same.
 *
 *   u8 version
 *   u32 txCount,    txCount × (f64 txId, u32 payloadBytes, payload, public key, signature)
 *   u32 blockCount, blockCount × (f64 blockId, public key, signature)
 *
 * Decoding never throws.
 */
import { PUBLIC_KEY_BYTES, SIGNATURE_BYTES } from './ml-dsa.js';

export const ATTACHMENTS_VERSION = 1;
/** Largest transaction payload accepted (the scenario schema allows txBytes up to 10 MB). */
export const MAX_TX_PAYLOAD_BYTES = 10_000_000;

export interface SignedTx {
  readonly id: number;
  /** Signed bytes; the first 8 are the tx id (f64), so a signature binds its id. */
  readonly payload: Uint8Array;
  readonly publicKey: Uint8Array;
  readonly signature: Uint8Array;
}

export interface BlockSignature {
  readonly blockId: number;
  readonly publicKey: Uint8Array;
  readonly signature: Uint8Array;
}

export interface Attachments {
  readonly txs: readonly SignedTx[];
  readonly blocks: readonly BlockSignature[];
}

export const NO_ATTACHMENTS: Attachments = Object.freeze({ txs: [], blocks: [] });
const EMPTY = new Uint8Array(0);

export function signedTxBytes(t: SignedTx): number {
  return 8 + 4 + t.payload.length + PUBLIC_KEY_BYTES + SIGNATURE_BYTES;
}

export function encodeAttachments(a: Attachments): Uint8Array {
  if (a.txs.length === 0 && a.blocks.length === 0) return EMPTY;
  let size = 1 + 4 + 4;
  for (const t of a.txs) size += signedTxBytes(t);
  size += a.blocks.length * (8 + PUBLIC_KEY_BYTES + SIGNATURE_BYTES);
  const b = Buffer.alloc(size);
  let o = b.writeUInt8(ATTACHMENTS_VERSION, 0);
  o = b.writeUInt32BE(a.txs.length, o);
  for (const t of a.txs) {
    o = b.writeDoubleBE(t.id, o);
    o = b.writeUInt32BE(t.payload.length, o);
    b.set(t.payload, o);
    o += t.payload.length;
    b.set(t.publicKey, o);
    o += PUBLIC_KEY_BYTES;
    b.set(t.signature, o);
    o += SIGNATURE_BYTES;
  }
  o = b.writeUInt32BE(a.blocks.length, o);
  for (const s of a.blocks) {
    o = b.writeDoubleBE(s.blockId, o);
    b.set(s.publicKey, o);
    o += PUBLIC_KEY_BYTES;
    b.set(s.signature, o);
    o += SIGNATURE_BYTES;
  }
  return b;
}

export type AttachmentsResult = { ok: true; attachments: Attachments } | { ok: false; detail: string };

const fail = (detail: string): AttachmentsResult => ({ ok: false, detail });

/** Never throws. */
export function decodeAttachments(bytes: Uint8Array): AttachmentsResult {
  if (bytes.length === 0) return { ok: true, attachments: NO_ATTACHMENTS };
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
  if (b.length < 9) return fail(`attachments of ${b.length} bytes are shorter than their header`);
  if (b[0] !== ATTACHMENTS_VERSION) return fail(`attachments version ${b[0]}, expected ${ATTACHMENTS_VERSION}`);
  let o = 1;
  const nTx = b.readUInt32BE(o);
  o += 4;
  const minTx = 8 + 4 + PUBLIC_KEY_BYTES + SIGNATURE_BYTES;
  if (nTx * minTx > b.length - o) return fail(`${nTx} transactions cannot fit in ${b.length - o} bytes`);
  const txs: SignedTx[] = [];
  for (let i = 0; i < nTx; i++) {
    if (o + 12 > b.length) return fail(`transaction ${i} truncated`);
    const id = b.readDoubleBE(o);
    const len = b.readUInt32BE(o + 8);
    o += 12;
    if (!Number.isSafeInteger(id) || id < 0) return fail(`transaction ${i}: id ${id} is not a tx id`);
    if (len < 8 || len > MAX_TX_PAYLOAD_BYTES) return fail(`transaction ${i}: payload of ${len} bytes (8..${MAX_TX_PAYLOAD_BYTES})`);
    if (o + len + PUBLIC_KEY_BYTES + SIGNATURE_BYTES > b.length) return fail(`transaction ${i} truncated`);
    const payload = b.subarray(o, o + len);
    o += len;
    const publicKey = b.subarray(o, o + PUBLIC_KEY_BYTES);
    o += PUBLIC_KEY_BYTES;
    const signature = b.subarray(o, o + SIGNATURE_BYTES);
    o += SIGNATURE_BYTES;
    txs.push({ id, payload, publicKey, signature });
  }
  if (o + 4 > b.length) return fail('block signature count truncated');
  const nBlock = b.readUInt32BE(o);
  o += 4;
  const perBlock = 8 + PUBLIC_KEY_BYTES + SIGNATURE_BYTES;
  if (nBlock * perBlock !== b.length - o) return fail(`${nBlock} block signatures need ${nBlock * perBlock} bytes, ${b.length - o} left`);
  const blocks: BlockSignature[] = [];
  for (let i = 0; i < nBlock; i++) {
    const blockId = b.readDoubleBE(o);
    if (!Number.isSafeInteger(blockId) || blockId < 0) return fail(`block signature ${i}: id ${blockId} is not a block id`);
    o += 8;
    const publicKey = b.subarray(o, o + PUBLIC_KEY_BYTES);
    o += PUBLIC_KEY_BYTES;
    blocks.push({ blockId, publicKey, signature: b.subarray(o, o + SIGNATURE_BYTES) });
    o += SIGNATURE_BYTES;
  }
  return { ok: true, attachments: { txs, blocks } };
}

/** The signed payload of transaction `id`: its id, then deterministic filler to `payloadBytes`. */
export function txPayload(id: number, payloadBytes: number): Uint8Array {
  const b = Buffer.alloc(Math.max(8, payloadBytes), 0x21);
  b.writeDoubleBE(id, 0);
  return b;
}

export function payloadTxId(payload: Uint8Array): number {
  return Buffer.from(payload.buffer, payload.byteOffset, payload.length).readDoubleBE(0);
}
