/**
 * Bits of integer choice ids, in the order AvalancheGo's snowball tree splits
 * on them (ids/id.go `Bit`, ids/bits.go `EqualSubset`,
 * `FirstDifferenceSubset`).
 *
 * AvalancheGo numbers the 256 bits of a 32-byte id byte by byte, least
 * significant bit of each byte first: bit i is `(id[i / 8] >> (i % 8)) & 1`.
 * avsim's ids are non-negative safe integers; written little-endian into an
 * id's bytes they keep exactly that numbering, so here bit i is simply
 * `floor(id / 2^i) mod 2` — least significant first — over the 53 bits of a
 * safe integer. The bits a trie splits on are therefore the low bits of the
 * integer: for block ids (`counter · 2^17 + proposer + 1`, block.ts) those
 * name the proposer before the proposer's counter.
 */

/** Bits per id (AvalancheGo: ids.NumBits = 256; here a safe integer's 53). */
export const ID_BITS = 53;

const TWO_32 = 4_294_967_296;

/** Throws unless `id` is a valid choice id (a non-negative safe integer). */
export function assertChoiceId(id: number): void {
  if (!(Number.isSafeInteger(id) && id >= 0)) throw new RangeError(`choice id must be a non-negative safe integer, got ${id}`);
}

/** Bit `i` (0 = least significant) of a non-negative safe integer. */
export function bitOf(id: number, i: number): 0 | 1 {
  const word = i < 32 ? id >>> 0 : Math.floor(id / TWO_32);
  return ((word >>> (i & 31)) & 1) as 0 | 1;
}

/** Mask of bits [from, to) of one 32-bit word (0 <= from <= to <= 32). */
function wordMask(from: number, to: number): number {
  if (from >= to) return 0;
  const high = to >= 32 ? 0xffff_ffff : (1 << to) - 1;
  return (high & ~((1 << from) - 1)) >>> 0;
}

/**
 * First bit index in [start, stop) at which `a` and `b` differ, or -1 when
 * they agree on the whole range (FirstDifferenceSubset).
 */
export function firstDifference(start: number, stop: number, a: number, b: number): number {
  const end = Math.min(stop, ID_BITS);
  if (start >= end) return -1;
  const lo = (((a >>> 0) ^ (b >>> 0)) & wordMask(start, Math.min(end, 32))) >>> 0;
  if (lo !== 0) return 31 - Math.clz32(lo & -lo);
  if (end <= 32) return -1;
  const hi = ((Math.floor(a / TWO_32) ^ Math.floor(b / TWO_32)) & wordMask(Math.max(start, 32) - 32, end - 32)) >>> 0;
  return hi === 0 ? -1 : 32 + 31 - Math.clz32(hi & -hi);
}

/** Whether `a` and `b` agree on every bit in [start, stop) (EqualSubset). */
export function equalSubset(start: number, stop: number, a: number, b: number): boolean {
  return firstDifference(start, stop, a, b) < 0;
}
