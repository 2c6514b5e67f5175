/**
 * A Snowman node's timers share one host timer tag space: the kind in the
 * low 3 bits, a request id or slot number above them.
 */
import type { Host, Micros, TimerHandle } from '../host.js';

export const enum TimerKind {
  QueryTimeout = 0,
  GetTimeout = 1,
  Frontier = 2,
  SlotStart = 3,
  TxGossip = 4,
  Loopback = 5,
  BuildRetry = 6,
  BootstrapTimeout = 7,
}
const TAG_KINDS = 8;

export function setTimer<M>(host: Host<M>, delay: Micros, kind: TimerKind, arg: number): TimerHandle {
  return host.setTimer(delay, arg * TAG_KINDS + kind);
}

export function timerKind(tag: number): number {
  return tag % TAG_KINDS;
}

export function timerArg(tag: number): number {
  return (tag - (tag % TAG_KINDS)) / TAG_KINDS;
}
