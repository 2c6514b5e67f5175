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
