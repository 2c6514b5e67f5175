/**
 * The DAG wire codec: every kind round-trips; decoding never throws on random
 * bytes, on every truncation and on every single-byte mutation of every
 * kind's encoding; whatever it accepts re-encodes to the very bytes it read;
 * batches send a vertex body once per destination.
 */
import seedrandom from 'seedrandom';
import { describe, expect, it } from 'vitest';
import { ByteReader, ByteWriter } from '../../wire-bytes.js';
import type { WireDecodeResult, WireErrorReason } from '../../wire.js';
import type { DagMessage, Vertex } from './messages.js';
import { DAG_MAX_LIST, DAG_MAX_MESSAGE_BYTES, DAG_WIRE_CODEC as codec } from './wire-codec.js';

const MAX_ID = Number.MAX_SAFE_INTEGER;
const v: Vertex = {
  id: 2 ** 32 + 9,
  parents: [0, 5, MAX_ID],
  txs: [
    { id: 7, inputs: [7], deps: [], submittedAt: 123 },
    { id: 3 * 2 ** 32, inputs: [1, MAX_ID], deps: [], submittedAt: 0 },
  ],
  height: 4,
  issuer: 12,
  sizeBytes: 10_600,
  builtAt: 99_000_000,
};
const empty: Vertex = { id: 3, parents: [0], txs: [], height: 1, issuer: 0, sizeBytes: 86, builtAt: 1 };

const MESSAGES: readonly DagMessage[] = [
  { kind: 'push-query', requestId: 1, vertex: v },
  { kind: 'push-query', requestId: 0xffff_ffff, vertex: empty },
  { kind: 'pull-query', requestId: 2, vertexId: MAX_ID },
  { kind: 'chits', requestId: 3, preferred: [v.id, 5], accepted: [0] },
  { kind: 'chits', requestId: 4, preferred: [], accepted: [] },
  { kind: 'get', requestId: 5, vertexId: v.id },
  { kind: 'put', requestId: 0, vertex: v },
  { kind: 'push-query', requestId: 6, vertex: empty, deadlineUs: 2_000_000 },
  { kind: 'pull-query', requestId: 7, vertexId: 9, deadlineUs: 0 },
  { kind: 'get', requestId: 8, vertexId: 9, deadlineUs: MAX_ID - 1 },
  { kind: 'get-accepted-frontier', requestId: 9, deadlineUs: 5_000_000 },
  { kind: 'get-accepted-frontier', requestId: 10 },
  { kind: 'accepted-frontier', requestId: 11, vertexIds: [v.id, 0] },
  { kind: 'get-accepted', requestId: 12, vertexIds: [1, 2, MAX_ID], deadlineUs: 5 },
  { kind: 'accepted', requestId: 13, vertexIds: [] },
  { kind: 'get-ancestors', requestId: 14, vertexId: v.id, deadlineUs: 3 },
  { kind: 'ancestors', requestId: 15, vertices: [v, empty] },
  { kind: 'ancestors', requestId: 16, vertices: [] },
];

const REASONS: ReadonlySet<WireErrorReason> = new Set(['truncated', 'trailing-bytes', 'unsupported-version', 'unknown-kind', 'oversized', 'invalid-field']);

function decodeChecked(bytes: Uint8Array): WireDecodeResult<DagMessage> {
  let r: WireDecodeResult<DagMessage>;
  try {
    r = codec.decode(bytes);
  } catch (e) {
    throw new Error(`decode threw on [${Array.from(bytes).join(',')}]: ${String(e)}`, { cause: e });
  }
  if (r.ok) expect(Buffer.from(codec.encode(r.msg)).equals(Buffer.from(bytes))).toBe(true);
  else {
    expect(REASONS.has(r.error.reason)).toBe(true);
    expect(r.error.detail).not.toMatch(/\n/);
  }
  return r;
}

function reason(b: Uint8Array): string {
  const r = decodeChecked(b);
  return r.ok ? 'ok' : r.error.reason;
}

describe('DAG wire codec', () => {
  it('round-trips every message kind, with the largest ids', () => {
    for (const m of MESSAGES) {
      const r = codec.decode(codec.encode(m));
      expect(r).toEqual({ ok: true, msg: m });
    }
    expect(codec.version).toBe(1);
    expect(codec.maxMessageBytes).toBe(DAG_MAX_MESSAGE_BYTES);
  });

  it('names what is wrong: version, kind, truncation, trailing bytes, a parentless vertex above height 0', () => {
    const bytes = codec.encode(MESSAGES[5]!);
    expect(reason(Uint8Array.from([2, ...bytes.slice(1)]))).toBe('unsupported-version');
    expect(reason(Uint8Array.from([1, 99, ...bytes.slice(2)]))).toBe('unknown-kind');
    expect(reason(Uint8Array.from([1, 1 | 0x80, ...bytes.slice(2)]))).toBe('unknown-kind'); // by-reference outside a batch
    expect(reason(bytes.slice(0, bytes.length - 1))).toBe('truncated');
    expect(reason(Uint8Array.from([...bytes, 0]))).toBe('trailing-bytes');
    const bad = codec.encode({ kind: 'put', requestId: 1, vertex: { ...empty, parents: [] } });
    const r = codec.decode(bad);
    expect(r.ok ? '' : r.error.detail).toMatch(/^vertex\.parents: 0 parents at height 1/);
    // A count beyond the limit is refused before anything is allocated.
    const chits = codec.encode(MESSAGES[3]!);
    const huge = chits.slice();
    new DataView(huge.buffer).setUint32(6, DAG_MAX_LIST + 1);
    expect(reason(huge)).toBe('oversized');
    expect(reason(new Uint8Array(DAG_MAX_MESSAGE_BYTES + 1))).toBe('oversized');
  });

  it('never throws on truncations, single-byte mutations or random bytes', () => {
    const rng = seedrandom.alea('dag-wire');
    for (const m of MESSAGES) {
      const bytes = codec.encode(m);
      for (let cut = 0; cut < bytes.length; cut++) decodeChecked(bytes.slice(0, cut));
      for (let i = 0; i < bytes.length; i++) {
        for (const x of [0, 1, 0x7f, 0x80, 0xff, Math.floor(rng() * 256)]) {
          const b = bytes.slice();
          b[i] = x;
          decodeChecked(b);
        }
      }
    }
    for (let i = 0; i < 2_000; i++) {
      const b = new Uint8Array(Math.floor(rng() * 80));
      for (let j = 0; j < b.length; j++) b[j] = Math.floor(rng() * 256);
      if (b.length > 0) b[0] = 1;
      decodeChecked(b);
    }
  });

  it('in a batch, a vertex body goes once per destination and decodes to one shared object', () => {
    const enc = codec.encoder();
    const w = new ByteWriter();
    enc.write(w, { kind: 'push-query', requestId: 1, vertex: v });
    const first = w.length;
    enc.write(w, { kind: 'put', requestId: 2, vertex: v });
    expect(w.length - first).toBeLessThan(20); // by id
    const dec = codec.decoder();
    const r = new ByteReader(w.bytes());
    const a = dec.read(r);
    const b = dec.read(r);
    if (!a.ok || !b.ok || a.msg.kind !== 'push-query' || b.msg.kind !== 'put') throw new Error('batch decode failed');
    expect(a.msg.vertex).toEqual(v);
    expect(b.msg.vertex).toBe(a.msg.vertex);
    // A reference before its body is an error, not a throw.
    const w2 = new ByteWriter();
    const e2 = codec.encoder();
    e2.write(new ByteWriter(), { kind: 'put', requestId: 1, vertex: v });
    e2.write(w2, { kind: 'put', requestId: 1, vertex: v });
    const res = codec.decoder().read(new ByteReader(w2.bytes()));
    expect(res.ok ? '' : res.error.detail).toMatch(/referenced before its body was sent/);
  });
});
