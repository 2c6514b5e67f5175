/**
 * The wire contract of a protocol: how its messages become bytes and back.
 *
 * One codec per protocol serves every place a message leaves a process or a
 * thread: the exchange between the shards of a sharded simulation and the TCP
 * transport of the real node daemon (src/cluster). It is versioned (the first
 * byte of every encoding), and decoding never throws: malformed, truncated,
 * oversized or unknown input comes back as a typed WireError, so a transport
 * can count it, close the connection and keep the node running.
 */
import type { ByteReader, ByteWriter } from './wire-bytes.js';

/** Why a decode failed; stable names (they label counters and metrics). */
export type WireErrorReason =
  /** Fewer bytes than the encoding needs. */
  | 'truncated'
  /** Bytes left over after a complete message. */
  | 'trailing-bytes'
  /** The version byte is not one this codec reads. */
  | 'unsupported-version'
  /** The message type tag is not one of the protocol's kinds. */
  | 'unknown-kind'
  /** A length or count field exceeds the codec's limits. */
  | 'oversized'
  /** A field holds a value the protocol cannot have (negative id, NaN, ...). */
  | 'invalid-field';

export interface WireError {
  readonly reason: WireErrorReason;
  /** One line for logs: what was wrong and where (byte offset, field). */
  readonly detail: string;
}

export type WireDecodeResult<M> = { readonly ok: true; readonly msg: M } | { readonly ok: false; readonly error: WireError };

export interface WireCodec<M> {
  /** Written as the first byte of every encoded message. */
  readonly version: number;
  /** Largest encoding this codec produces or accepts, in bytes. */
  readonly maxMessageBytes: number;
  encode(msg: M): Uint8Array;
  /** Never throws. */
  decode(bytes: Uint8Array): WireDecodeResult<M>;
}

/**
 * Many messages in one buffer: the exchange between the shards of a sharded
 * simulation. Each message is the codec's own encoding, written into a
 * caller's buffer; what the batch layer adds is body sharing: a body several
 * messages carry (a Snowman block) is encoded in full the first time an
 * encoder writes it and by reference (its id) after that, and a decoder keeps
 * one object per body, so the nodes of a shard share it by reference as the
 * nodes of a serial run do. Reference encodings exist only inside batches:
 * `WireCodec.decode` rejects them as an unknown kind.
 */
export interface WireBatchCodec<M> {
  /** An encoder for one destination (it remembers which bodies that destination has). */
  encoder(): WireBatchEncoder<M>;
  /** A decoder for one receiver (it keeps the bodies every sender has sent it). */
  decoder(): WireBatchDecoder<M>;
}

export interface WireBatchEncoder<M> {
  /** Appends one message. */
  write(w: ByteWriter, msg: M): void;
}

export interface WireBatchDecoder<M> {
  /** Reads one message at the reader's position; never throws. */
  read(r: ByteReader): WireDecodeResult<M>;
}
