/**
 * The transport's decoder, as a node runs it (FrameReader -> frame body ->
 * wire codec -> attachments), never throws: random byte streams, every
 * truncation, length fields at 0 and 2^32 − 1, inner lengths past the end,
 * unknown frame types, and every byte of a frame of every message kind
 * mutated. Every failure is a typed reason.
 */
import seedrandom from 'seedrandom';
import { describe, expect, it } from 'vitest';
import type { Message } from '../../consensus/engine/messages.js';
import { SNOWMAN_WIRE_CODEC } from '../../consensus/engine/wire-codec.js';
import type { Block } from '../../consensus/snowman/block.js';
import { encodeAttachments } from '../crypto/attachments.js';
import { PUBLIC_KEY_BYTES, SIGNATURE_BYTES } from '../crypto/ml-dsa.js';
import { encodeHello, encodeMessageFrame, FrameReader, type Frame, type FrameErrorReason } from './frame.js';
import { decodeIncoming } from './incoming.js';

const block: Block = { id: 2 ** 17 * 3 + 2, parent: 0, height: 1, proposer: 1, txs: [5, 2 ** 17 + 4], sizeBytes: 16_661, builtAt: 250_000 };
const MESSAGES: readonly Message[] = [
  { kind: 'push-query', requestId: 9, block, requestedHeight: 1, deadlineUs: 2_000_000 },
  { kind: 'pull-query', requestId: 10, blockId: block.id, requestedHeight: 1 },
  { kind: 'chits', requestId: 9, preferredId: block.id, preferredIdAtHeight: block.id, acceptedId: 0, acceptedHeight: 0 },
  { kind: 'get', requestId: 11, blockId: block.id, deadlineUs: 500_000 },
  { kind: 'put', requestId: 0, block },
  { kind: 'tx-gossip', txs: [1, 2, 3] },
  // Bootstrapping (issue 11's networking round): a restarted node asks for the frontier, the accepted ids, the ancestors.
  { kind: 'get-accepted-frontier', requestId: 12, deadlineUs: 1_000_000 },
  { kind: 'accepted-frontier', requestId: 12, blockId: block.id },
  { kind: 'get-accepted', requestId: 13, blockIds: [block.id, 7] },
  { kind: 'accepted', requestId: 13, blockIds: [block.id] },
  { kind: 'get-ancestors', requestId: 14, blockId: block.id, deadlineUs: 3_000_000 },
  { kind: 'ancestors', requestId: 14, blocks: [block, { ...block, id: block.id + 1, height: 2, parent: block.id, txs: [] }] },
];
/** Every kind of Message, so that a kind added to the protocol without a fuzzed frame here fails to compile. */
const KINDS = {
  'push-query': true,
  'pull-query': true,
  chits: true,
  get: true,
  put: true,
  'tx-gossip': true,
  'get-accepted-frontier': true,
  'accepted-frontier': true,
  'get-accepted': true,
  accepted: true,
  'get-ancestors': true,
  ancestors: true,
} satisfies Record<Message['kind'], true>;
const FRAME_REASONS: ReadonlySet<FrameErrorReason> = new Set(['oversized', 'empty', 'unknown-frame', 'truncated', 'bad-hello']);
const MAX = 1 << 20;

const sig = (b: number): Uint8Array => new Uint8Array(SIGNATURE_BYTES).fill(b);
const key = (b: number): Uint8Array => new Uint8Array(PUBLIC_KEY_BYTES).fill(b);
const attachments = encodeAttachments({
  txs: [{ id: 5, payload: new Uint8Array(16), publicKey: key(1), signature: sig(2) }],
  blocks: [{ blockId: block.id, publicKey: key(3), signature: sig(4) }],
});

/** Feeds bytes in random chunks and drains every frame, decoding message payloads; nothing may throw. */
function drain(bytes: Uint8Array, rng: () => number): { frames: number; errors: string[] } {
  const reader = new FrameReader(MAX);
  const errors: string[] = [];
  let frames = 0;
  let off = 0;
  while (off < bytes.length) {
    const n = 1 + Math.floor(rng() * 64);
    reader.push(Buffer.from(bytes.subarray(off, off + n)));
    off += n;
    for (;;) {
      const r = reader.next();
      if (r === undefined) break;
      if (!r.ok) {
        expect(FRAME_REASONS.has(r.error.reason)).toBe(true);
        expect(r.error.detail).not.toMatch(/\n/);
        errors.push(r.error.reason);
        return { frames, errors };
      }
      frames++;
      if (r.frame.type === 'message') {
        const d = decodeIncoming(r.frame);
        if (!d.ok) {
          expect(d.reason).toMatch(/^(codec:[a-z-]+|attachments)$/);
          errors.push(d.reason);
        }
      }
    }
  }
  return { frames, errors };
}

function expectNoThrow(bytes: Uint8Array, rng: () => number): { frames: number; errors: string[] } {
  try {
    return drain(bytes, rng);
  } catch (e) {
    throw new Error(`decoder threw on ${bytes.length} bytes [${Array.from(bytes.subarray(0, 40)).join(',')}…]: ${String(e)}`, { cause: e });
  }
}

function frameOf(m: Message, withAttachments: boolean, padTo = 0): Buffer {
  return encodeMessageFrame(1_000, 51_000, SNOWMAN_WIRE_CODEC.encode(m), withAttachments ? attachments : new Uint8Array(0), padTo);
}

describe('FrameReader and the incoming decoder', () => {
  it('round-trips a hello and every message kind, padded to a modelled size, across any chunking', () => {
    const rng = seedrandom('frames');
    const stream = Buffer.concat([encodeHello(77, 3), ...MESSAGES.map((m, i) => frameOf(m, i % 2 === 0, 30_000))]);
    const reader = new FrameReader(MAX);
    const got: Frame[] = [];
    for (let off = 0; off < stream.length; ) {
      const n = 1 + Math.floor(rng() * 5000);
      reader.push(stream.subarray(off, off + n));
      off += n;
      for (let r = reader.next(); r !== undefined; r = reader.next()) {
        expect(r.ok).toBe(true);
        if (r.ok) got.push(r.frame);
      }
    }
    expect(got[0]).toEqual({ type: 'hello', version: 1, runTag: 77, nodeId: 3 });
    const msgs = got.slice(1).map((f) => {
      if (f.type !== 'message') throw new Error('not a message');
      expect(f.wireBytes).toBe(30_000);
      expect(f.intendedArrivalUs).toBe(51_000);
      const d = decodeIncoming(f);
      if (!d.ok) throw new Error(d.reason);
      return d.msg;
    });
    expect(msgs).toEqual(MESSAGES);
  });

  it('length field 0 is "empty" and 2^32 − 1 is "oversized"; the reader stays failed', () => {
    const zero = new FrameReader(MAX);
    zero.push(Buffer.from([0, 0, 0, 0, 2, 9]));
    expect(zero.next()).toMatchObject({ ok: false, error: { reason: 'empty' } });
    zero.push(encodeHello(1, 1));
    expect(zero.next()).toMatchObject({ ok: false, error: { reason: 'empty' } });
    const huge = new FrameReader(MAX);
    huge.push(Buffer.from([0xff, 0xff, 0xff, 0xff]));
    expect(huge.next()).toMatchObject({ ok: false, error: { reason: 'oversized' } });
    const justOver = new FrameReader(MAX);
    const b = Buffer.alloc(4);
    b.writeUInt32BE(MAX + 1, 0);
    justOver.push(b);
    expect(justOver.next()).toMatchObject({ ok: false, error: { reason: 'oversized' } });
  });

  it('inner lengths past the frame are "truncated"; unknown frame types are "unknown-frame"; a short hello is "bad-hello"', () => {
    const f = frameOf(MESSAGES[0]!, true);
    const lie = Buffer.from(f);
    lie.writeUInt32BE(0xffff_ffff, 22); // payload length
    expect(drain(lie, seedrandom('x')).errors).toEqual(['truncated']);
    const unknown = Buffer.from([0, 0, 0, 3, 9, 1, 2]);
    expect(drain(unknown, seedrandom('x')).errors).toEqual(['unknown-frame']);
    const hello = Buffer.from([0, 0, 0, 3, 1, 1, 2]);
    expect(drain(hello, seedrandom('x')).errors).toEqual(['bad-hello']);
  });

  it('never throws on random byte streams (2,000 streams, some starting with a plausible length)', () => {
    const rng = seedrandom('random-streams');
    for (let i = 0; i < 2_000; i++) {
      const len = Math.floor(rng() * 600);
      const bytes = new Uint8Array(len);
      for (let j = 0; j < len; j++) bytes[j] = Math.floor(rng() * 256);
      if (i % 2 === 0 && len >= 5) {
        // A length field that fits, and a message type byte: exercises the body parsers, not only the length check.
        new DataView(bytes.buffer).setUint32(0, len - 4);
        bytes[4] = 1 + (i % 3);
      }
      expectNoThrow(bytes, rng);
    }
  });

  it('fuzzes every message kind the protocol has', () => {
    expect(MESSAGES.map((m) => m.kind).toSorted()).toEqual(Object.keys(KINDS).toSorted());
  });

  it('never throws on every truncation and every single-byte mutation of a frame of every message kind', () => {
    const rng = seedrandom('mutations');
    const seen = new Set<string>();
    for (const [i, m] of MESSAGES.entries()) {
      const frame = frameOf(m, i % 2 === 0);
      for (let cut = 0; cut < frame.length; cut += 1 + Math.floor(frame.length / 400)) {
        // A truncated stream is just an incomplete frame: more bytes are awaited, nothing is delivered.
        expect(expectNoThrow(frame.subarray(0, cut), rng).frames).toBe(0);
        // A truncated frame whose length field was rewritten to match is decoded and refused.
        if (cut > 4) {
          const short = Buffer.from(frame.subarray(0, cut));
          short.writeUInt32BE(cut - 4, 0);
          for (const e of expectNoThrow(short, rng).errors) seen.add(e);
        }
      }
      for (let pos = 0; pos < frame.length; pos += 1 + Math.floor(frame.length / 800)) {
        for (const v of [0x00, 0xff, 0x80, (frame[pos]! + 1) & 0xff]) {
          const mutated = Buffer.from(frame);
          mutated[pos] = v;
          for (const e of expectNoThrow(mutated, rng).errors) seen.add(e);
        }
      }
    }
    // The mutations reached every layer: framing, the codec and the attachments.
    expect([...seen].some((r) => r.startsWith('codec:'))).toBe(true);
    expect(seen.has('attachments')).toBe(true);
    expect(seen.has('truncated') || seen.has('oversized')).toBe(true);
  });
});
