/**
 * CPU charged as real work. The simulator delays a node by the modelled cost
 * of what it does (CpuCosts); the real node pays the same cost by keeping its
 * one thread busy for that long, so the event loop (the node's single service
 * queue, as in the simulator's CPU model) is really unavailable meanwhile.
 *
 * The work is hashing, not sleeping: a paused clock read in a loop would let
 * the core idle under frequency scaling and hide the load from the OS.
 */
import { createHash } from 'node:crypto';
import type { Micros } from '../../consensus/host.js';

const BLOCK = Buffer.alloc(256, 0x5a);

/** Total µs of busy work done by this process (for the calibration report). */
let spentUs = 0;

export function busyWorkSpentUs(): Micros {
  return spentUs;
}

/** Keeps this thread busy for `us` microseconds of wall time (returns the µs actually spent). */
export function busyWork(us: Micros): Micros {
  if (!(us > 0)) return 0;
  const start = process.hrtime.bigint();
  const end = start + BigInt(Math.round(us * 1000));
  let now = start;
  const h = createHash('sha256');
  while (now < end) {
    // ~1-2 µs per round: fine-grained enough for 20 µs charges.
    h.update(BLOCK);
    now = process.hrtime.bigint();
  }
  h.digest();
  const spent = Number(now - start) / 1000;
  spentUs += spent;
  return spent;
}
