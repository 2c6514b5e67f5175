/**
 * The Snowman wire codec: every kind round-trips; decoding never throws, on
 * random bytes, on truncations at every offset, with count fields at 0 and
 * 2^32 − 1, and with every byte of every kind's encoding mutated; any
 * mutation it accepts re-encodes to the very bytes it read (the encoding is
 * canonical, so nothing is silently reinterpreted).
 */
import seedrandom from 'seedrandom';
import { describe, expect, it } from 'vitest';
import type { Block } from '../snowman/block.js';
import { ByteReader, ByteWriter } from '../wire-bytes.js';
import type { WireDecodeResult, WireErrorReason } from '../wire.js';
import type { Message } from './messages.js';
import { SNOWMAN_MAX_BLOCKS, SNOWMAN_MAX_MESSAGE_BYTES, SNOWMAN_MAX_TXS, SNOWMAN_WIRE_CODEC as codec } from './wire-codec.js';

const MAX_ID = Number.MAX_SAFE_INTEGER;
const genesis: Block = { id: 0, parent: -1, height: 0, proposer: -1, txs: [], sizeBytes: 0, builtAt: 0 };
const block: Block = { id: 2 ** 32 + 7, parent: 5, height: 3, proposer: 17, txs: [3 * 2 ** 32 + 1, 5, MAX_ID], sizeBytes: 16_661, builtAt: 123_456_789 };

const MESSAGES: readonly Message[] = [
  { kind: 'push-query', requestId: 9, block, requestedHeight: 3 },
  { kind: 'push-query', requestId: 0xffff_ffff, block: genesis, requestedHeight: 0 },
  { kind: 'pull-query', requestId: 10, blockId: MAX_ID, requestedHeight: 2 },
  { kind: 'chits', requestId: 9, preferredId: block.id, preferredIdAtHeight: 0, acceptedId: 0, acceptedHeight: 0xffff_ffff },
  { kind: 'get', requestId: 11, blockId: block.id },
  { kind: 'put', requestId: 0, block },
  { kind: 'put', requestId: 3, block: genesis },
  { kind: 'tx-gossip', txs: [1, 2 ** 40 + 3] },
  { kind: 'tx-gossip', txs: [] },
  { kind: 'push-query', requestId: 12, block, requestedHeight: 3, deadlineUs: 5_000_000 },
  { kind: 'pull-query', requestId: 13, blockId: 4, requestedHeight: 2, deadlineUs: 0 },
  { kind: 'get', requestId: 14, blockId: 4, deadlineUs: MAX_ID },
  { kind: 'get-accepted-frontier', requestId: 15, deadlineUs: 2_000_000 },
  { kind: 'get-accepted-frontier', requestId: 16 },
  { kind: 'accepted-frontier', requestId: 15, blockId: block.id },
  { kind: 'get-accepted', requestId: 17, blockIds: [block.id, 0, MAX_ID], deadlineUs: 7 },
  { kind: 'get-accepted', requestId: 18, blockIds: [], deadlineUs: 0 },
  { kind: 'accepted', requestId: 17, blockIds: [block.id] },
  { kind: 'accepted', requestId: 18, blockIds: [] },
  { kind: 'get-ancestors', requestId: 19, blockId: block.id, deadlineUs: 2_000_000 },
  { kind: 'ancestors', requestId: 19, blocks: [block, genesis] },
  { kind: 'ancestors', requestId: 20, blocks: [] },
];

const REASONS: ReadonlySet<WireErrorReason> = new Set(['truncated', 'trailing-bytes', 'unsupported-version', 'unknown-kind', 'oversized', 'invalid-field']);

/** Decodes without letting anything escape, and holds the result to the contract. */
function decodeChecked(bytes: Uint8Array): WireDecodeResult<Message> {
  let r: WireDecodeResult<Message>;
  try {
    r = codec.decode(bytes);
  } catch (e) {
    throw new Error(`decode threw on [${Array.from(bytes).join(',')}]: ${String(e)}`, { cause: e });
  }
  if (r.ok) {
    // Canonical: what decodes re-encodes to the same bytes.
    expect(Buffer.from(codec.encode(r.msg)).equals(Buffer.from(bytes))).toBe(true);
  } else {
    expect(REASONS.has(r.error.reason)).toBe(true);
    expect(r.error.detail.length).toBeGreaterThan(0);
    expect(r.error.detail).not.toMatch(/\n/);
  }
  return r;
}

function reasonOf(bytes: Uint8Array): WireErrorReason | 'ok' {
  const r = decodeChecked(bytes);
  return r.ok ? 'ok' : r.error.reason;
}

/** Offset of the first count field (block txCount or gossip count) in an encoding. */
function countOffset(m: Message): number | undefined {
  const head = 2;
  switch (m.kind) {
    case 'push-query':
      return head + 8 + 8 + 8 + 4 + 4 + 8 + 4;
    case 'put':
      return head + 4 + 8 + 8 + 4 + 4 + 8 + 4;
    case 'tx-gossip':
      return head;
    case 'get-accepted':
    case 'accepted':
    case 'ancestors':
      return head + 4;
    default:
      return undefined;
  }
}

function setU32(bytes: Uint8Array, at: number, x: number): Uint8Array {
  const out = bytes.slice();
  new DataView(out.buffer).setUint32(at, x);
  return out;
}

describe('Snowman wire codec', () => {
  it('round-trips every message kind, genesis and the largest ids included', () => {
    for (const m of MESSAGES) {
      const bytes = codec.encode(m);
      expect(bytes[0]).toBe(codec.version);
      const r = codec.decode(bytes);
      expect(r).toEqual({ ok: true, msg: m });
    }
    // Node's Buffer is a Uint8Array too (what a socket hands over).
    expect(codec.decode(Buffer.from(codec.encode(MESSAGES[0]!))).ok).toBe(true);
  });

  it('writes blocks with every field: 8-byte ids, -1 as none, the tx ids', () => {
    const bytes = codec.encode({ kind: 'put', requestId: 3, block: genesis });
    // version, kind, requestId, then genesis: id 0, parent all ones.
    expect(Array.from(bytes.subarray(0, 6 + 16))).toEqual([2, 5, 0, 0, 0, 3, 0, 0, 0, 0, 0, 0, 0, 0, 255, 255, 255, 255, 255, 255, 255, 255]);
    expect(codec.encode({ kind: 'push-query', requestId: 1, block, requestedHeight: 3 }).length).toBe(2 + 8 + 8 + 8 + 4 + 4 + 8 + 4 + 4 + 8 * block.txs.length + 8);
  });

  it('refuses to encode what it could not decode', () => {
    expect(() => codec.encode({ kind: 'get', requestId: 2 ** 32, blockId: 1 })).toThrow(/is not a u32/);
    expect(() => codec.encode({ kind: 'get', requestId: 1, blockId: 2 ** 53 })).toThrow(/not a non-negative safe integer/);
    expect(() => codec.encode({ kind: 'tx-gossip', txs: [-2] })).toThrow(/not a non-negative safe integer/);
  });

  it('names the reason: version, kind, trailing bytes, oversized input, invalid fields', () => {
    const good = codec.encode(MESSAGES[0]!);
    expect(reasonOf(new Uint8Array(0))).toBe('truncated');
    expect(reasonOf(Uint8Array.of(1, 1))).toBe('unsupported-version');
    expect(reasonOf(Uint8Array.of(3, 1))).toBe('unsupported-version');
    expect(reasonOf(Uint8Array.of(0))).toBe('unsupported-version');
    for (const kind of [0, 13, 0x81, 0x85, 0xff]) expect(reasonOf(Uint8Array.of(2, kind, 0, 0, 0, 0))).toBe('unknown-kind');
    expect(reasonOf(Uint8Array.from([...good, 0]))).toBe('trailing-bytes');
    expect(reasonOf(new Uint8Array(SNOWMAN_MAX_MESSAGE_BYTES + 1))).toBe('oversized');
    // An id above 2^53 - 1, a proposer below -1, a size at 2^31, a parent on a height-0 block.
    const get = codec.encode({ kind: 'get', requestId: 1, blockId: 1 });
    expect(reasonOf(setU32(get, 6, 0x0020_0000))).toBe('invalid-field');
    const put = codec.encode({ kind: 'put', requestId: 1, block });
    const blockAt = 6;
    expect(reasonOf(setU32(put, blockAt + 20, 0xffff_fffe))).toBe('invalid-field');
    expect(reasonOf(setU32(put, blockAt + 32, 0x8000_0000))).toBe('invalid-field');
    expect(reasonOf(setU32(put, blockAt + 16, 0))).toBe('invalid-field');
    const r = codec.decode(setU32(put, blockAt + 20, 0xffff_fffe));
    expect(r.ok ? '' : r.error.detail).toMatch(/^block\.proposer: -2 is not a node id/);
  });

  it('reports a truncation at every offset of every kind as truncated', () => {
    for (const m of MESSAGES) {
      const bytes = codec.encode(m);
      for (let cut = 0; cut < bytes.length; cut++) expect(reasonOf(bytes.subarray(0, cut)), `${m.kind} cut at ${cut}`).toBe('truncated');
    }
  });

  it('holds count fields at 0, count + 1, the limit + 1 and 2^32 - 1', () => {
    for (const m of MESSAGES) {
      const at = countOffset(m);
      if (at === undefined) continue;
      const bytes = codec.encode(m);
      const n = new DataView(bytes.buffer).getUint32(at);
      expect(reasonOf(setU32(bytes, at, 0))).toBe(n === 0 ? 'ok' : 'trailing-bytes');
      // One more id reads the next 8 bytes; a request's absent deadline (eight 0xff) is no id.
      const endsWithNone = bytes.length >= 8 && bytes.subarray(bytes.length - 8).every((b) => b === 0xff);
      expect(reasonOf(setU32(bytes, at, n + 1)), m.kind).toBe(endsWithNone && m.kind !== 'ancestors' ? 'invalid-field' : 'truncated');
      expect(reasonOf(setU32(bytes, at, (m.kind === 'ancestors' ? SNOWMAN_MAX_BLOCKS : SNOWMAN_MAX_TXS) + 1))).toBe('oversized');
      expect(reasonOf(setU32(bytes, at, 0xffff_ffff))).toBe('oversized');
    }
  });

  it('never throws on every byte of every kind mutated', () => {
    const rng = seedrandom.alea('wire-codec-mutations');
    for (const m of MESSAGES) {
      const bytes = codec.encode(m);
      for (let i = 0; i < bytes.length; i++) {
        for (const v of [0, 0xff, bytes[i]! ^ 1, bytes[i]! ^ 0x80, Math.floor(rng() * 256)]) {
          const mutated = bytes.slice();
          mutated[i] = v;
          decodeChecked(mutated);
        }
      }
    }
  });

  it('never throws on random bytes, with or without a valid version and kind', () => {
    const rng = seedrandom.alea('wire-codec-random');
    let accepted = 0;
    for (let t = 0; t < 20_000; t++) {
      const len = Math.floor(rng() * 120);
      const bytes = new Uint8Array(len);
      for (let i = 0; i < len; i++) bytes[i] = Math.floor(rng() * 256);
      if (len > 0 && t % 2 === 0) bytes[0] = 2;
      if (len > 1 && t % 4 === 0) bytes[1] = 1 + Math.floor(rng() * 12);
      // Small counts, so that some random bodies are complete.
      if (len > 5 && t % 8 === 0 && bytes[1] === 6) bytes.set([0, 0, 0, Math.floor(rng() * 4)], 2);
      if (decodeChecked(bytes).ok) accepted++;
    }
    // Some random inputs are well-formed messages (pull-query, chits, get have no counts).
    expect(accepted).toBeGreaterThan(0);
  });
});

function roundTrip(msgs: readonly Message[], enc = codec.encoder(), dec = codec.decoder()): Message[] {
  const w = new ByteWriter();
  for (const m of msgs) enc.write(w, m);
  const r = new ByteReader(w.bytes());
  const out: Message[] = [];
  while (r.remaining > 0) {
    const m = dec.read(r);
    if (!m.ok) throw new Error(`${m.error.reason}: ${m.error.detail}`);
    out.push(m.msg);
  }
  return out;
}

describe('Snowman wire batches', () => {
  it('sends a block body once per encoder and shares one object per block on decode', () => {
    const enc = codec.encoder();
    const dec = codec.decoder();
    const msgs: Message[] = [MESSAGES[0]!, MESSAGES[5]!, MESSAGES[0]!];
    const w = new ByteWriter();
    for (const m of msgs) enc.write(w, m);
    // The second and third carry block by id: 8 bytes instead of the body.
    const full = codec.encode(MESSAGES[0]!).length + codec.encode(MESSAGES[5]!).length + codec.encode(MESSAGES[0]!).length;
    const bodyBytes = 8 + 8 + 4 + 4 + 8 + 4 + 4 + 8 * block.txs.length;
    expect(w.length).toBe(full - 2 * (bodyBytes - 8));
    const out = roundTrip(msgs, codec.encoder(), dec);
    expect(out).toEqual(msgs);
    const blocks = out.map((m) => ('block' in m ? m.block : undefined));
    expect(new Set(blocks).size).toBe(1);
    // A full body from another sender resolves to the object this receiver already holds.
    const again = roundTrip([MESSAGES[5]!], codec.encoder(), dec);
    expect(again[0]!.kind === 'put' && again[0]!.block).toBe(blocks[0]);
  });

  it('rejects a block given by id before its body, and plain decode rejects by-id kinds', () => {
    const enc = codec.encoder();
    enc.write(new ByteWriter(), MESSAGES[5]!); // the body goes to a writer nobody reads
    const w = new ByteWriter();
    enc.write(w, MESSAGES[5]!);
    const r = codec.decoder().read(new ByteReader(w.bytes()));
    expect(r.ok ? '' : `${r.error.reason}: ${r.error.detail}`).toMatch(/^invalid-field: block 4294967303 referenced before its body was sent/);
    expect(codec.decode(w.bytes()).ok ? '' : (codec.decode(w.bytes()) as { error: { reason: string } }).error.reason).toBe('unknown-kind');
  });
});
