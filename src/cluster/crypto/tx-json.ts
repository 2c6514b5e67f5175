/** A signed transaction as the control API carries it: base64 fields. */
import { PUBLIC_KEY_BYTES, SIGNATURE_BYTES } from './ml-dsa.js';
import type { SignedTx } from './attachments.js';
import { MAX_TX_PAYLOAD_BYTES, payloadTxId } from './attachments.js';

export interface SignedTxJson {
  payload: string;
  publicKey: string;
  signature: string;
}

const b64 = (u: Uint8Array): string => Buffer.from(u.buffer, u.byteOffset, u.length).toString('base64');

export function signedTxToJson(t: SignedTx): SignedTxJson {
  return { payload: b64(t.payload), publicKey: b64(t.publicKey), signature: b64(t.signature) };
}

/** Throws one line naming the field when a body cannot be a signed transaction of `id`. */
export function signedTxFromJson(id: number, j: SignedTxJson): SignedTx {
  const payload = new Uint8Array(Buffer.from(j.payload, 'base64'));
  const publicKey = new Uint8Array(Buffer.from(j.publicKey, 'base64'));
  const signature = new Uint8Array(Buffer.from(j.signature, 'base64'));
  if (payload.length < 8 || payload.length > MAX_TX_PAYLOAD_BYTES) throw new RangeError(`txs.body.payload: must be 8..${MAX_TX_PAYLOAD_BYTES} bytes, got ${payload.length}`);
  if (payloadTxId(payload) !== id) throw new RangeError(`txs.body.payload: signs tx ${payloadTxId(payload)}, not tx ${id}`);
  if (publicKey.length !== PUBLIC_KEY_BYTES) throw new RangeError(`txs.body.publicKey: must be ${PUBLIC_KEY_BYTES} bytes, got ${publicKey.length}`);
  if (signature.length !== SIGNATURE_BYTES) throw new RangeError(`txs.body.signature: must be ${SIGNATURE_BYTES} bytes, got ${signature.length}`);
  return { id, payload, publicKey, signature };
}
