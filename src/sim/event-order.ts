/**
 * The total event order (DESIGN.md, determinism contract):
 *   (time µs, kind, destination node, source node, per-source sequence)
 * `kind`, `dst` and `src` are packed into one uint32 "tie" key
 * (kind << 28 | dst << 14 | src), so comparing two events is at most three
 * number comparisons: time, tie, seq.
 */

/** Largest 14-bit id, reserved for run-level sources (faults, clients) and run-level destinations. */
export const RUN_SOURCE_ID = 0x3fff;
/** Node ids must be below RUN_SOURCE_ID. */
export const MAX_NODES = RUN_SOURCE_ID;
export const MAX_SEQ = 0xffff_ffff;

export function packTie(kind: number, dst: number, src: number): number {
  return ((kind << 28) | (dst << 14) | src) >>> 0;
}
export function tieKind(tie: number): number {
  return tie >>> 28;
}
export function tieDst(tie: number): number {
  return (tie >>> 14) & 0x3fff;
}
export function tieSrc(tie: number): number {
  return tie & 0x3fff;
}

/** Thrown when the event order contract is broken; always a bug in the caller. */
export class EventOrderError extends Error {
  override name = 'EventOrderError';
}

/** Compares (tie, seq) pairs: -1, 0 or 1. */
export function cmpTail(k1: number, s1: number, k2: number, s2: number): number {
  if (k1 !== k2) return k1 < k2 ? -1 : 1;
  if (s1 !== s2) return s1 < s2 ? -1 : 1;
  return 0;
}
