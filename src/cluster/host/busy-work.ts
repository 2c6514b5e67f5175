/**
 * CPU charged as real work. The simulator delays a node by the modelled cost
 * of what it does (CpuCosts); the real node pays the same cost by keeping its
 * one thread busy for that much CPU time, so the event loop (the node's single
 * service queue, as in the simulator's CPU model) is really unavailable
 * meanwhile, and the machine really spends it.
 *
 * The budget is CPU time (process.cpuUsage), not wall time: on a machine
 * shared with other work, a wall-clock spin would count the time the process
 * was descheduled as work done. The loop hashes, so the core does not idle.
 */
import { createHash } from 'node:crypto';
import type { Micros } from '../../consensus/host.js';

const BLOCK = Buffer.alloc(256, 0x5a);

/** Total CPU µs of busy work done by this process (for the calibration report). */
let spentUs = 0;

export function busyWorkSpentUs(): Micros {
  return spentUs;
}

/** CPU time (user + system) of this process, µs. */
export function cpuNowUs(): number {
  const u = process.cpuUsage();
  return u.user + u.system;
}

/** Keeps this thread busy for `us` microseconds of CPU time; returns the CPU µs actually spent. */
export function busyWork(us: Micros): Micros {
  if (!(us > 0)) return 0;
  const start = cpuNowUs();
  const end = start + us;
  let now = start;
  const h = createHash('sha256');
  while (now < end) {
    // A few µs per round: fine-grained enough for 20 µs charges.
    h.update(BLOCK);
    h.update(BLOCK);
    now = cpuNowUs();
  }
  h.digest();
  const spent = now - start;
  spentUs += spent;
  return spent;
}
