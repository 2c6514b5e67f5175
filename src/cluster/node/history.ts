/**
 * A node's history (Jepsen's word): an append-only JSON-lines file in its
 * data directory recording, at the node's run time, every report its node
 * engine makes to the run metrics (the same calls the simulator's collector
 * receives), plus boots and periodic statistics. Lines are written with one
 * write(2) each, so a kill -9 loses nothing already reported. After the run
 * the harness merges every node's history in time order and feeds the same
 * collector, checkers and summary code the simulator uses.
 *
 *   {"k":"boot","n":3,"t":0,"inc":1,"h":0,"last":0}          incarnation started (h/last: restored chain)
 *   {"k":"sub","n":3,"t":812,"tx":393216,"it":800}            txSubmitted (it: the load generator's intended time)
 *   {"k":"acc","n":3,"t":912,"tx":393216}                     txAccepted (client-observed)
 *   {"k":"unit","n":3,"t":930,"h":7,"b":700}                  unitAccepted (height, builtAt)
 *   {"k":"chk","n":3,"t":930,"in":{...}}                      the protocol's safety-checker input
 *   {"k":"poll","n":3,"t":1000,"cnt":40,"ok":38}              polls finished since the last poll line (also written at
 *                                                             the first successful poll after bootstrapping)
 *   {"k":"bst","n":3,"t":4100,"from":3200}                    bootstrapped (began at `from`): RunSummary.nodeRecovery
 *   {"k":"stats","n":3,"t":1000,...}                          cumulative counters of this incarnation
 */
import { closeSync, existsSync, fstatSync, mkdirSync, openSync, readSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Micros, NodeId } from '../../consensus/host.js';

export type HistoryRecord =
  | { k: 'boot'; n: NodeId; t: Micros; inc: number; h: number; last: number }
  | { k: 'sub'; n: NodeId; t: Micros; tx: number; it?: Micros }
  | { k: 'acc'; n: NodeId; t: Micros; tx: number }
  | { k: 'unit'; n: NodeId; t: Micros; h: number; b: Micros }
  | { k: 'chk'; n: NodeId; t: Micros; in: unknown }
  | { k: 'poll'; n: NodeId; t: Micros; cnt: number; ok: number }
  | { k: 'bst'; n: NodeId; t: Micros; from: Micros }
  | ({ k: 'stats'; n: NodeId; t: Micros } & Record<string, unknown>);

export class HistoryFile {
  private fd: number | undefined;
  lines = 0;

  constructor(readonly path: string) {
    mkdirSync(dirname(path), { recursive: true });
    this.fd = openSync(path, 'a');
  }

  append(r: HistoryRecord): string {
    const line = `${JSON.stringify(r)}\n`;
    if (this.fd !== undefined) {
      writeSync(this.fd, line);
      this.lines++;
    }
    return line;
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}

/**
 * What an earlier incarnation left in a history: the height of the last block it reported accepted (0: none) and
 * the time of its last line. Read backwards in 64 KiB steps until a `chk` line turns up (a torn last line is skipped).
 */
export function lastReported(path: string): { height: number; lastT: number } {
  const out = { height: 0, lastT: 0 };
  if (!existsSync(path)) return out;
  const fd = openSync(path, 'r');
  try {
    let end = fstatSync(fd).size;
    let carry = '';
    let sawLine = false;
    while (end > 0) {
      const start = Math.max(0, end - 65_536);
      const buf = Buffer.alloc(end - start);
      readSync(fd, buf, 0, buf.length, start);
      const lines = (buf.toString('utf8') + carry).split('\n');
      carry = start > 0 ? (lines.shift() ?? '') : '';
      for (let i = lines.length - 1; i >= 0; i--) {
        let r: { k?: unknown; t?: unknown; in?: { height?: unknown } };
        try {
          r = JSON.parse(lines[i] ?? '') as typeof r;
        } catch {
          continue;
        }
        if (!sawLine && typeof r.t === 'number') {
          out.lastT = r.t;
          sawLine = true;
        }
        if (r.k === 'chk' && typeof r.in?.height === 'number') {
          out.height = r.in.height;
          return out;
        }
      }
      end = start;
    }
    return out;
  } finally {
    closeSync(fd);
  }
}

/**
 * The transactions clients submitted to earlier incarnations (`sub` lines) that no `acc` line reported accepted yet,
 * in submission order: the client still waits for them, so a restarted node reports them once it accepts their
 * block. Read forward in 1 MiB steps; only `sub` and `acc` lines are parsed (a torn last line is skipped).
 */
export function outstandingSubmissions(path: string): Set<number> {
  const waiting = new Set<number>();
  if (!existsSync(path)) return waiting;
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    const buf = Buffer.alloc(1 << 20);
    let carry = '';
    for (let pos = 0; pos < size; ) {
      const n = readSync(fd, buf, 0, Math.min(buf.length, size - pos), pos);
      if (n <= 0) break;
      pos += n;
      const lines = (carry + buf.toString('utf8', 0, n)).split('\n');
      carry = lines.pop() ?? '';
      for (const line of lines) {
        const sub = line.startsWith('{"k":"sub"');
        if (!sub && !line.startsWith('{"k":"acc"')) continue;
        let r: { tx?: unknown };
        try {
          r = JSON.parse(line) as typeof r;
        } catch {
          continue;
        }
        if (typeof r.tx !== 'number') continue;
        if (sub) waiting.add(r.tx);
        else waiting.delete(r.tx);
      }
    }
    return waiting;
  } finally {
    closeSync(fd);
  }
}
