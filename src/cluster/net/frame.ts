/**
 * Frames of the node-to-node TCP transport. Every frame is
 *
 *   u32 length (big-endian; bytes after this field, 1..maxFrameBytes)
 *   u8  frame type
 *   ...type-specific body
 *
 * HELLO (first frame on a connection, both ways):
 *   u8 transport version, u32 run tag, u32 node id
 * MESSAGE:
 *   u8 flags                              (bit 0: the sender was frozen while it held the frame, a pause fault)
 *   f64 sentAtUs, f64 intendedArrivalUs   (run clock; the emulation error is measured from them)
 *   u32 n, n bytes of the protocol's wire codec (versioned, WireCodec)
 *   u32 m, m bytes of attachments (real signatures and transaction bodies, see attachments.ts)
 *   padding up to the size the simulator gives the message (so bytes on the wire match)
 *
 * Reading never throws: a malformed, truncated, oversized or unknown frame is
 * a typed FrameError; the transport counts it and closes the connection.
 */

export const TRANSPORT_VERSION = 1;
/** Default largest frame: AvalancheGo's 2 MiB message limit plus room for the envelope. */
export const DEFAULT_MAX_FRAME_BYTES = 4 * 1024 * 1024;

export const FRAME_HELLO = 1;
export const FRAME_MESSAGE = 2;

const HELLO_BODY = 1 + 1 + 4 + 4;
const MESSAGE_FIXED = 1 + 1 + 8 + 8 + 4 + 4;
/** Flag: the sender was frozen (SIGSTOP) while it held this frame, so its lateness is the fault's, not the emulation's. */
export const FLAG_SENDER_FROZEN = 1;
/** Offset of the flags byte in an encoded message frame (after the length prefix and type). */
export const FLAGS_OFFSET = 5;
/** Bytes of a message frame besides its payload and attachments. */
export const FRAME_OVERHEAD_BYTES = 4 + MESSAGE_FIXED;

export type FrameErrorReason = 'oversized' | 'empty' | 'unknown-frame' | 'truncated' | 'bad-hello';

export interface FrameError {
  readonly reason: FrameErrorReason;
  readonly detail: string;
}

export type Frame =
  | { readonly type: 'hello'; readonly version: number; readonly runTag: number; readonly nodeId: number }
  | {
      readonly type: 'message';
      readonly flags: number;
      readonly sentAtUs: number;
      readonly intendedArrivalUs: number;
      readonly payload: Uint8Array;
      readonly attachments: Uint8Array;
      /** Whole frame on the wire, length prefix included. */
      readonly wireBytes: number;
    };

export function encodeHello(runTag: number, nodeId: number): Buffer {
  const b = Buffer.alloc(4 + HELLO_BODY);
  b.writeUInt32BE(HELLO_BODY, 0);
  b.writeUInt8(FRAME_HELLO, 4);
  b.writeUInt8(TRANSPORT_VERSION, 5);
  b.writeUInt32BE(runTag >>> 0, 6);
  b.writeUInt32BE(nodeId >>> 0, 10);
  return b;
}

/**
 * A message frame. `wireBytes` (optional) is the size the frame should have
 * on the wire, length prefix included; shorter content is zero-padded to it.
 */
export function encodeMessageFrame(sentAtUs: number, intendedArrivalUs: number, payload: Uint8Array, attachments: Uint8Array, wireBytes = 0): Buffer {
  const content = 4 + MESSAGE_FIXED + payload.length + attachments.length;
  const total = Math.max(content, wireBytes);
  const b = Buffer.alloc(total);
  b.writeUInt32BE(total - 4, 0);
  b.writeUInt8(FRAME_MESSAGE, 4);
  b.writeUInt8(0, FLAGS_OFFSET);
  b.writeDoubleBE(sentAtUs, 6);
  b.writeDoubleBE(intendedArrivalUs, 14);
  b.writeUInt32BE(payload.length, 22);
  b.set(payload, 26);
  const at = 26 + payload.length;
  b.writeUInt32BE(attachments.length, at);
  b.set(attachments, at + 4);
  return b;
}

/** Parses one frame body (after the length prefix). Never throws. */
export function parseFrameBody(body: Buffer): { ok: true; frame: Frame } | { ok: false; error: FrameError } {
  if (body.length === 0) return { ok: false, error: { reason: 'empty', detail: 'frame of length 0' } };
  const type = body[0];
  if (type === FRAME_HELLO) {
    if (body.length !== HELLO_BODY) return { ok: false, error: { reason: 'bad-hello', detail: `hello of ${body.length} bytes, expected ${HELLO_BODY}` } };
    return { ok: true, frame: { type: 'hello', version: body.readUInt8(1), runTag: body.readUInt32BE(2), nodeId: body.readUInt32BE(6) } };
  }
  if (type !== FRAME_MESSAGE) return { ok: false, error: { reason: 'unknown-frame', detail: `frame type ${type}` } };
  if (body.length < MESSAGE_FIXED) return { ok: false, error: { reason: 'truncated', detail: `message frame of ${body.length} bytes, shorter than its ${MESSAGE_FIXED}-byte header` } };
  const flags = body.readUInt8(1);
  const sentAtUs = body.readDoubleBE(2);
  const intendedArrivalUs = body.readDoubleBE(10);
  if (!Number.isFinite(sentAtUs) || !Number.isFinite(intendedArrivalUs)) {
    return { ok: false, error: { reason: 'truncated', detail: 'message frame times are not finite numbers' } };
  }
  const n = body.readUInt32BE(18);
  if (22 + n + 4 > body.length) return { ok: false, error: { reason: 'truncated', detail: `payload length ${n} exceeds the frame (${body.length} bytes)` } };
  const payload = body.subarray(22, 22 + n);
  const m = body.readUInt32BE(22 + n);
  const at = 26 + n;
  if (at + m > body.length) return { ok: false, error: { reason: 'truncated', detail: `attachments length ${m} exceeds the frame (${body.length} bytes)` } };
  return { ok: true, frame: { type: 'message', flags, sentAtUs, intendedArrivalUs, payload, attachments: body.subarray(at, at + m), wireBytes: body.length + 4 } };
}

/**
 * Cuts a byte stream into frames. Feed chunks as they arrive; read frames
 * with next(). After an error the reader stays failed (the connection is to
 * be closed: a stream that lost its framing cannot be trusted again).
 */
export class FrameReader {
  private chunks: Buffer[] = [];
  private buffered = 0;
  private failed: FrameError | undefined;

  constructor(private readonly maxFrameBytes: number = DEFAULT_MAX_FRAME_BYTES) {}

  push(chunk: Buffer): void {
    if (this.failed !== undefined || chunk.length === 0) return;
    this.chunks.push(chunk);
    this.buffered += chunk.length;
  }

  /** Bytes held that do not yet make a whole frame. */
  get pendingBytes(): number {
    return this.buffered;
  }

  /** The next whole frame, undefined when more bytes are needed, or the error that ends the stream. */
  next(): { ok: true; frame: Frame } | { ok: false; error: FrameError } | undefined {
    if (this.failed !== undefined) return { ok: false, error: this.failed };
    if (this.buffered < 4) return undefined;
    const head = this.peek(4);
    const len = head.readUInt32BE(0);
    if (len === 0) return this.fail({ reason: 'empty', detail: 'length field 0' });
    if (len > this.maxFrameBytes) return this.fail({ reason: 'oversized', detail: `length field ${len} exceeds the ${this.maxFrameBytes}-byte frame limit` });
    if (this.buffered < 4 + len) return undefined;
    const whole = this.take(4 + len);
    const r = parseFrameBody(whole.subarray(4));
    if (!r.ok) return this.fail(r.error);
    return r;
  }

  private fail(error: FrameError): { ok: false; error: FrameError } {
    this.failed = error;
    this.chunks = [];
    this.buffered = 0;
    return { ok: false, error };
  }

  private peek(n: number): Buffer {
    const first = this.chunks[0]!;
    if (first.length >= n) return first;
    this.chunks = [Buffer.concat(this.chunks)];
    return this.chunks[0]!;
  }

  private take(n: number): Buffer {
    const first = this.chunks[0]!;
    if (first.length === n) {
      this.chunks.shift();
      this.buffered -= n;
      return first;
    }
    if (first.length > n) {
      this.chunks[0] = first.subarray(n);
      this.buffered -= n;
      return first.subarray(0, n);
    }
    const all = Buffer.concat(this.chunks);
    const rest = all.subarray(n);
    this.chunks = rest.length > 0 ? [rest] : [];
    this.buffered -= n;
    return all.subarray(0, n);
  }
}
