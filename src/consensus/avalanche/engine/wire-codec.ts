/**
 * The Avalanche DAG wire codec (version 1): every DagMessage kind in full.
 * The real transport would send exactly these bytes; the shards of a sharded
 * simulation exchange the same encodings in batches (WireBatchCodec), where a
 * vertex body goes once per destination and later messages name it by id.
 *
 * Layout, big-endian: u8 version, u8 kind (DAG_MESSAGE_TYPE_TAG), then
 *   push-query             requestId u32, vertex, deadline
 *   pull-query             requestId u32, vertexId id, deadline
 *   chits                  requestId u32, preferred ids, accepted ids
 *   get                    requestId u32, vertexId id, deadline
 *   put                    requestId u32, vertex
 *   get-accepted-frontier  requestId u32, deadline
 *   accepted-frontier      requestId u32, ids
 *   get-accepted           requestId u32, ids, deadline
 *   accepted               requestId u32, ids
 *   get-ancestors          requestId u32, vertexId id, deadline
 *   ancestors              requestId u32, count u32, count × vertex
 *   ids         count u32, count × id
 *   deadline    the request's deadline in µs as an id, or eight 0xff bytes for none
 *               (deadlines and the bootstrapping kinds were added to version 1)
 *   vertex      id id, height u32, issuer i32, builtAt u53, sizeBytes u32, parents ids, txCount u32, txCount × tx
 *   tx          id id, submittedAt u53, inputs ids
 * where id is a non-negative safe integer in 8 bytes. Inside a batch,
 * kind | 0x80 marks a push-query or put whose vertex is given by id.
 */
import { ByteReader, ByteWriter } from '../../wire-bytes.js';
import type { WireBatchCodec, WireBatchDecoder, WireBatchEncoder, WireCodec, WireDecodeResult, WireError } from '../../wire.js';
import type { VertexId } from '../vertex.js';
import { DAG_MESSAGE_TYPE_TAG, type AvaTx, type DagMessage, type Vertex } from './messages.js';

export const DAG_WIRE_VERSION = 1;
export const DAG_MAX_MESSAGE_BYTES = 16 * 1024 * 1024;
/** Most ids in one list (parents, inputs, chits) or transactions in one vertex. */
export const DAG_MAX_LIST = 1_000_000;
const MAX_SIZE_BYTES = 0x7fff_ffff;
const BY_REFERENCE = 0x80;

const T_PUSH = DAG_MESSAGE_TYPE_TAG['push-query'];
const T_PULL = DAG_MESSAGE_TYPE_TAG['pull-query'];
const T_CHITS = DAG_MESSAGE_TYPE_TAG.chits;
const T_GET = DAG_MESSAGE_TYPE_TAG.get;
const T_PUT = DAG_MESSAGE_TYPE_TAG.put;
const T_GAF = DAG_MESSAGE_TYPE_TAG['get-accepted-frontier'];
const T_AF = DAG_MESSAGE_TYPE_TAG['accepted-frontier'];
const T_GA = DAG_MESSAGE_TYPE_TAG['get-accepted'];
const T_A = DAG_MESSAGE_TYPE_TAG.accepted;
const T_GANC = DAG_MESSAGE_TYPE_TAG['get-ancestors'];
const T_ANC = DAG_MESSAGE_TYPE_TAG.ancestors;
const NO_DEPS: readonly number[] = Object.freeze([]);

function err(error: WireError): { ok: false; error: WireError } {
  return { ok: false, error };
}

function writeIds(w: ByteWriter, ids: readonly number[]): void {
  if (ids.length > DAG_MAX_LIST) throw new RangeError(`wire: ${ids.length} ids exceed the limit of ${DAG_MAX_LIST}`);
  w.u32(ids.length);
  for (let i = 0; i < ids.length; i++) w.u53(ids[i]!);
}

function writeDeadline(w: ByteWriter, deadlineUs: number | undefined): void {
  w.u53OrNone(deadlineUs ?? -1);
}

/** Reads a request's deadline: none (the request carries none) or µs. */
function readDeadline(r: ByteReader): { deadlineUs?: number } {
  const d = r.u53OrNone('deadline');
  return d === -1 || r.error !== undefined ? {} : { deadlineUs: d };
}

function writeVertex(w: ByteWriter, v: Vertex): void {
  w.u53(v.id);
  w.u32(v.height);
  w.i32(v.issuer);
  w.u53(v.builtAt);
  w.u32(v.sizeBytes);
  writeIds(w, v.parents);
  if (v.txs.length > DAG_MAX_LIST) throw new RangeError(`wire: ${v.txs.length} transactions exceed the limit of ${DAG_MAX_LIST}`);
  w.u32(v.txs.length);
  for (const tx of v.txs) {
    if (tx.deps.length > 0) throw new RangeError(`wire: transaction ${tx.id} has dependencies, which this codec does not carry`);
    w.u53(tx.id);
    w.u53(tx.submittedAt);
    writeIds(w, tx.inputs);
  }
}

function writeMessage(w: ByteWriter, msg: DagMessage, vertexById: boolean): void {
  w.u8(DAG_WIRE_VERSION);
  switch (msg.kind) {
    case 'push-query':
    case 'put':
      w.u8(vertexById ? DAG_MESSAGE_TYPE_TAG[msg.kind] | BY_REFERENCE : DAG_MESSAGE_TYPE_TAG[msg.kind]);
      w.u32(msg.requestId);
      if (vertexById) w.u53(msg.vertex.id);
      else writeVertex(w, msg.vertex);
      if (msg.kind === 'push-query') writeDeadline(w, msg.deadlineUs);
      return;
    case 'pull-query':
      w.u8(T_PULL);
      w.u32(msg.requestId);
      w.u53(msg.vertexId);
      writeDeadline(w, msg.deadlineUs);
      return;
    case 'chits':
      w.u8(T_CHITS);
      w.u32(msg.requestId);
      writeIds(w, msg.preferred);
      writeIds(w, msg.accepted);
      return;
    case 'get':
    case 'get-ancestors':
      w.u8(msg.kind === 'get' ? T_GET : T_GANC);
      w.u32(msg.requestId);
      w.u53(msg.vertexId);
      writeDeadline(w, msg.deadlineUs);
      return;
    case 'get-accepted-frontier':
      w.u8(T_GAF);
      w.u32(msg.requestId);
      writeDeadline(w, msg.deadlineUs);
      return;
    case 'accepted-frontier':
    case 'accepted':
      w.u8(DAG_MESSAGE_TYPE_TAG[msg.kind]);
      w.u32(msg.requestId);
      writeIds(w, msg.vertexIds);
      return;
    case 'get-accepted':
      w.u8(T_GA);
      w.u32(msg.requestId);
      writeIds(w, msg.vertexIds);
      writeDeadline(w, msg.deadlineUs);
      return;
    case 'ancestors':
      w.u8(T_ANC);
      w.u32(msg.requestId);
      if (msg.vertices.length > DAG_MAX_LIST) throw new RangeError(`wire: ${msg.vertices.length} vertices exceed the limit of ${DAG_MAX_LIST}`);
      w.u32(msg.vertices.length);
      for (const v of msg.vertices) writeVertex(w, v);
      return;
  }
}

/** A count of 8-byte ids, checked against the limit and the bytes left before anything is allocated. */
function readIds(r: ByteReader, field: string): number[] | undefined {
  const n = r.u32(`${field} count`);
  if (r.error !== undefined) return undefined;
  if (n > DAG_MAX_LIST) {
    r.fail('oversized', `${field} count ${n} exceeds the limit of ${DAG_MAX_LIST}`);
    return undefined;
  }
  if (n * 8 > r.remaining) {
    r.fail('truncated', `${field}: ${n} ids need ${n * 8} bytes, ${r.remaining} left`);
    return undefined;
  }
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(r.u53(field));
  return r.error === undefined ? out : undefined;
}

function readVertex(r: ByteReader): Vertex | undefined {
  const id = r.u53('vertex.id');
  const height = r.u32('vertex.height');
  const issuer = r.i32('vertex.issuer');
  const builtAt = r.u53('vertex.builtAt');
  const sizeBytes = r.u32('vertex.sizeBytes');
  if (r.error !== undefined) return undefined;
  if (issuer < -1) return void r.fail('invalid-field', `vertex.issuer: ${issuer} is not a node id (or -1)`);
  if (sizeBytes > MAX_SIZE_BYTES) return void r.fail('invalid-field', `vertex.sizeBytes: ${sizeBytes} is not below 2^31`);
  const parents = readIds(r, 'vertex.parents');
  if (parents === undefined) return undefined;
  if ((parents.length === 0) !== (height === 0)) {
    return void r.fail('invalid-field', `vertex.parents: ${parents.length} parents at height ${height} (only a height-0 vertex has none)`);
  }
  const n = r.u32('vertex.txs count');
  if (r.error !== undefined) return undefined;
  // A transaction takes at least 20 bytes (id, submittedAt, input count).
  if (n > DAG_MAX_LIST || n * 20 > r.remaining) {
    return void r.fail(n > DAG_MAX_LIST ? 'oversized' : 'truncated', `vertex.txs count ${n} does not fit (${r.remaining} bytes left, limit ${DAG_MAX_LIST})`);
  }
  const txs: AvaTx[] = [];
  for (let i = 0; i < n; i++) {
    const txId = r.u53('tx.id');
    const submittedAt = r.u53('tx.submittedAt');
    const inputs = readIds(r, 'tx.inputs');
    if (inputs === undefined) return undefined;
    txs.push({ id: txId, inputs, deps: NO_DEPS, submittedAt });
  }
  // Same property order as AvalancheNode.mintVertex: one hidden class for every vertex.
  return { id, parents, txs, height, issuer, sizeBytes, builtAt };
}

/** Reads one message; `vertices` (batches only) resolves by-id vertices and interns full ones. Never throws. */
function readMessage(r: ByteReader, vertices: Map<VertexId, Vertex> | undefined): WireDecodeResult<DagMessage> {
  const start = r.pos;
  const version = r.u8('version');
  if (r.error === undefined && version !== DAG_WIRE_VERSION) {
    return err({ reason: 'unsupported-version', detail: `version ${version} (this codec reads ${DAG_WIRE_VERSION}) at byte ${start}` });
  }
  const kind = r.u8('kind');
  if (r.error !== undefined) return err(r.error);
  if ((kind & BY_REFERENCE) !== 0 && vertices === undefined) {
    return err({ reason: 'unknown-kind', detail: `kind ${kind} is not an Avalanche DAG message (at byte ${start + 1})` });
  }
  const vertex = (): Vertex | undefined => {
    const v = readVertex(r);
    if (v === undefined || vertices === undefined) return v;
    const known = vertices.get(v.id);
    if (known !== undefined) return known;
    vertices.set(v.id, v);
    return v;
  };
  const vertexById = (): Vertex | undefined => {
    const id = r.u53('vertexId');
    if (r.error !== undefined) return undefined;
    const v = vertices?.get(id);
    if (v === undefined) r.fail('invalid-field', `vertex ${id} referenced before its body was sent`);
    return v;
  };
  let msg: DagMessage | undefined;
  switch (kind) {
    case T_PUSH:
    case T_PUSH | BY_REFERENCE:
    case T_PUT:
    case T_PUT | BY_REFERENCE: {
      const requestId = r.u32('requestId');
      if (r.error !== undefined) break;
      const v = (kind & BY_REFERENCE) === 0 ? vertex() : vertexById();
      if (v !== undefined) msg = (kind & ~BY_REFERENCE) === T_PUSH ? { kind: 'push-query', requestId, vertex: v, ...readDeadline(r) } : { kind: 'put', requestId, vertex: v };
      break;
    }
    case T_PULL: {
      const requestId = r.u32('requestId');
      const vertexId = r.u53('vertexId');
      msg = { kind: 'pull-query', requestId, vertexId, ...readDeadline(r) };
      break;
    }
    case T_GAF: {
      const requestId = r.u32('requestId');
      msg = { kind: 'get-accepted-frontier', requestId, ...readDeadline(r) };
      break;
    }
    case T_AF:
    case T_A: {
      const requestId = r.u32('requestId');
      const vertexIds = readIds(r, 'vertexIds');
      if (vertexIds !== undefined) msg = kind === T_AF ? { kind: 'accepted-frontier', requestId, vertexIds } : { kind: 'accepted', requestId, vertexIds };
      break;
    }
    case T_GA: {
      const requestId = r.u32('requestId');
      const vertexIds = readIds(r, 'vertexIds');
      if (vertexIds !== undefined) msg = { kind: 'get-accepted', requestId, vertexIds, ...readDeadline(r) };
      break;
    }
    case T_GANC: {
      const requestId = r.u32('requestId');
      const vertexId = r.u53('vertexId');
      msg = { kind: 'get-ancestors', requestId, vertexId, ...readDeadline(r) };
      break;
    }
    case T_ANC: {
      const requestId = r.u32('requestId');
      const n = r.u32('vertices count');
      if (r.error !== undefined) break;
      // A vertex takes at least 36 bytes (id, height, issuer, builtAt, sizeBytes, parent and tx counts).
      if (n > DAG_MAX_LIST || n * 36 > r.remaining) {
        r.fail(n > DAG_MAX_LIST ? 'oversized' : 'truncated', `vertices count ${n} does not fit (${r.remaining} bytes left, limit ${DAG_MAX_LIST})`);
        break;
      }
      const vertices: Vertex[] = [];
      for (let i = 0; i < n && r.error === undefined; i++) {
        const v = vertex();
        if (v !== undefined) vertices.push(v);
      }
      if (r.error === undefined) msg = { kind: 'ancestors', requestId, vertices };
      break;
    }
    case T_CHITS: {
      const requestId = r.u32('requestId');
      const preferred = readIds(r, 'preferred');
      const accepted = preferred === undefined ? undefined : readIds(r, 'accepted');
      if (preferred !== undefined && accepted !== undefined) msg = { kind: 'chits', requestId, preferred, accepted };
      break;
    }
    case T_GET: {
      const requestId = r.u32('requestId');
      const vertexId = r.u53('vertexId');
      msg = { kind: 'get', requestId, vertexId, ...readDeadline(r) };
      break;
    }
    default:
      return err({ reason: 'unknown-kind', detail: `kind ${kind} is not an Avalanche DAG message (at byte ${start + 1})` });
  }
  if (r.error !== undefined) return err(r.error);
  if (msg === undefined) return err({ reason: 'invalid-field', detail: `kind ${kind}: no message decoded (at byte ${start})` });
  return { ok: true, msg };
}

export class DagWireCodec implements WireCodec<DagMessage>, WireBatchCodec<DagMessage> {
  readonly version = DAG_WIRE_VERSION;
  readonly maxMessageBytes = DAG_MAX_MESSAGE_BYTES;

  encode(msg: DagMessage): Uint8Array {
    const w = new ByteWriter(256, DAG_MAX_MESSAGE_BYTES);
    writeMessage(w, msg, false);
    return w.bytes();
  }

  decode(bytes: Uint8Array): WireDecodeResult<DagMessage> {
    if (!(bytes instanceof Uint8Array)) return err({ reason: 'invalid-field', detail: 'input is not a byte array' });
    if (bytes.length > DAG_MAX_MESSAGE_BYTES) return err({ reason: 'oversized', detail: `${bytes.length} bytes exceed the limit of ${DAG_MAX_MESSAGE_BYTES}` });
    const r = new ByteReader(bytes);
    const res = readMessage(r, undefined);
    if (res.ok && r.pos !== bytes.length) {
      return err({ reason: 'trailing-bytes', detail: `${bytes.length - r.pos} bytes after a complete ${res.msg.kind} (at byte ${r.pos})` });
    }
    return res;
  }

  encoder(): WireBatchEncoder<DagMessage> {
    const shipped = new Set<VertexId>();
    return {
      write(w, msg) {
        const v = msg.kind === 'push-query' || msg.kind === 'put' ? msg.vertex : undefined;
        const byId = v !== undefined && shipped.has(v.id);
        if (v !== undefined && !byId) shipped.add(v.id);
        writeMessage(w, msg, byId);
      },
    };
  }

  decoder(): WireBatchDecoder<DagMessage> {
    const vertices = new Map<VertexId, Vertex>();
    return { read: (r) => readMessage(r, vertices) };
  }
}

export const DAG_WIRE_CODEC = new DagWireCodec();
