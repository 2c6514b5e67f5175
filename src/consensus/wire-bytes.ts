/**
 * Big-endian byte writing and reading for the protocols' wire codecs
 * (wire.ts). The reader never throws: a read past the end records a
 * 'truncated' WireError, returns 0, and every later read is a no-op, so a
 * decoder reads its fixed fields straight through and checks `error` once
 * before it trusts them (and before it allocates anything sized by them).
 */
import type { WireError, WireErrorReason } from './wire.js';

/** 2^32, for splitting integers into two 32-bit halves. */
const TWO_32 = 4_294_967_296;
/** Largest high half of a safe integer (2^53 − 1 = 0x1f_ffff · 2^32 + 0xffff_ffff). */
const MAX_SAFE_HI = 0x1f_ffff;

export class ByteWriter {
  private buf: Uint8Array;
  private view: DataView;
  /** Bytes written so far. */
  length = 0;

  constructor(
    initialBytes = 1024,
    /** Most bytes this writer may hold; growing past it throws (an encoder's own limit, never input's). */
    private readonly maxBytes = 2 ** 31 - 1,
  ) {
    this.buf = new Uint8Array(initialBytes);
    this.view = new DataView(this.buf.buffer);
  }

  private room(n: number): void {
    const need = this.length + n;
    if (need <= this.buf.length) return;
    if (need > this.maxBytes) throw new RangeError(`wire: encoding exceeds ${this.maxBytes} bytes`);
    let cap = this.buf.length * 2;
    while (cap < need) cap *= 2;
    const b = new Uint8Array(Math.min(cap, this.maxBytes));
    b.set(this.buf.subarray(0, this.length));
    this.buf = b;
    this.view = new DataView(b.buffer);
  }

  u8(x: number): void {
    this.room(1);
    this.buf[this.length++] = x;
  }

  u32(x: number): void {
    if (!(x >= 0 && x < TWO_32 && Math.floor(x) === x)) throw new RangeError(`wire: ${x} is not a u32`);
    this.room(4);
    this.view.setUint32(this.length, x);
    this.length += 4;
  }

  i32(x: number): void {
    if (!(x >= -0x8000_0000 && x <= 0x7fff_ffff && Math.floor(x) === x)) throw new RangeError(`wire: ${x} is not an i32`);
    this.room(4);
    this.view.setInt32(this.length, x);
    this.length += 4;
  }

  /** A non-negative safe integer as 8 bytes (ids, microsecond times). */
  u53(x: number): void {
    if (!(x >= 0 && Number.isSafeInteger(x))) throw new RangeError(`wire: ${x} is not a non-negative safe integer`);
    this.room(8);
    const hi = Math.floor(x / TWO_32);
    this.view.setUint32(this.length, hi);
    this.view.setUint32(this.length + 4, x - hi * TWO_32);
    this.length += 8;
  }

  /** A safe integer >= -1 as 8 bytes, with -1 as all ones (a "none" id, e.g. genesis's parent). */
  u53OrNone(x: number): void {
    if (x === -1) {
      this.room(8);
      this.view.setUint32(this.length, 0xffff_ffff);
      this.view.setUint32(this.length + 4, 0xffff_ffff);
      this.length += 8;
    } else {
      this.u53(x);
    }
  }

  f64(x: number): void {
    this.room(8);
    this.view.setFloat64(this.length, x);
    this.length += 8;
  }

  /** A copy of what was written. */
  bytes(): Uint8Array {
    return this.buf.slice(0, this.length);
  }

  /** Forget what was written (keep the buffer). */
  reset(): void {
    this.length = 0;
  }
}

export class ByteReader {
  private readonly view: DataView;
  /** Next byte to read. */
  pos: number;
  /** First problem met (sticky); reads after it return 0. */
  error: WireError | undefined;

  constructor(
    readonly bytes: Uint8Array,
    start = 0,
    /** One past the last byte this reader may read. */
    readonly end = bytes.length,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.pos = start;
  }

  get remaining(): number {
    return this.end - this.pos;
  }

  /** Records the first problem (later ones are consequences of it). */
  fail(reason: WireErrorReason, detail: string): void {
    if (this.error === undefined) this.error = { reason, detail: `${detail} (at byte ${this.pos})` };
  }

  private take(n: number, field: string): boolean {
    if (this.error !== undefined) return false;
    if (this.pos + n > this.end) {
      this.fail('truncated', `${field}: needs ${n} bytes, ${this.end - this.pos} left`);
      return false;
    }
    return true;
  }

  u8(field: string): number {
    if (!this.take(1, field)) return 0;
    return this.view.getUint8(this.pos++);
  }

  u32(field: string): number {
    if (!this.take(4, field)) return 0;
    const x = this.view.getUint32(this.pos);
    this.pos += 4;
    return x;
  }

  i32(field: string): number {
    if (!this.take(4, field)) return 0;
    const x = this.view.getInt32(this.pos);
    this.pos += 4;
    return x;
  }

  u53(field: string): number {
    if (!this.take(8, field)) return 0;
    const hi = this.view.getUint32(this.pos);
    const lo = this.view.getUint32(this.pos + 4);
    if (hi > MAX_SAFE_HI) {
      this.fail('invalid-field', `${field}: exceeds 2^53 - 1`);
      return 0;
    }
    this.pos += 8;
    return hi * TWO_32 + lo;
  }

  u53OrNone(field: string): number {
    if (!this.take(8, field)) return 0;
    if (this.view.getUint32(this.pos) === 0xffff_ffff && this.view.getUint32(this.pos + 4) === 0xffff_ffff) {
      this.pos += 8;
      return -1;
    }
    return this.u53(field);
  }

  f64(field: string): number {
    if (!this.take(8, field)) return 0;
    const x = this.view.getFloat64(this.pos);
    this.pos += 8;
    return x;
  }
}
