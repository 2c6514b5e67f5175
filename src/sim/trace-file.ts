/**
 * A TraceSink that writes JSON lines to a file, optionally only for some
 * nodes and a time window, so a developer can see what one node did around a
 * failure. Run-level events (faults such as partitions) are kept whenever
 * they fall in the window. Output is buffered and bounded by maxRecords.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import type { Micros } from './time.js';
import type { TraceRecord, TraceSink } from './trace.js';

export interface TraceFileOptions {
  /** Only events whose destination is one of these nodes (default: all). */
  nodes?: readonly number[];
  /** Inclusive window in µs (default: the whole run). */
  fromUs?: Micros;
  toUs?: Micros;
  /** Stop writing after this many records (default 10 million). */
  maxRecords?: number;
}

const FLUSH_LINES = 4096;

export class JsonLinesTraceFile implements TraceSink {
  private readonly fd: number;
  private readonly nodes: Set<number> | undefined;
  private readonly fromUs: Micros;
  private readonly toUs: Micros;
  private readonly maxRecords: number;
  private buf: string[] = [];
  private written = 0;
  private closed = false;

  constructor(path: string, opts: TraceFileOptions = {}) {
    this.fromUs = opts.fromUs ?? 0;
    this.toUs = opts.toUs ?? Infinity;
    if (this.toUs < this.fromUs) throw new RangeError(`trace.toUs: must be >= fromUs (${this.fromUs}), got ${this.toUs}`);
    this.maxRecords = opts.maxRecords ?? 10_000_000;
    this.nodes = opts.nodes === undefined ? undefined : new Set(opts.nodes);
    this.fd = openSync(path, 'w');
  }

  /** Records written so far. */
  get count(): number {
    return this.written;
  }

  wants(node: number, timeUs: Micros): boolean {
    if (this.closed || this.written >= this.maxRecords) return false;
    if (timeUs < this.fromUs || timeUs > this.toUs) return false;
    return this.nodes === undefined || node < 0 || this.nodes.has(node);
  }

  record(r: TraceRecord): void {
    if (!this.wants(r.node, r.timeUs)) return;
    this.buf.push(JSON.stringify(r));
    this.written++;
    if (this.buf.length >= FLUSH_LINES) this.flush();
  }

  flush(): void {
    if (this.buf.length === 0) return;
    writeSync(this.fd, this.buf.join('\n') + '\n');
    this.buf = [];
  }

  close(): void {
    if (this.closed) return;
    this.flush();
    closeSync(this.fd);
    this.closed = true;
  }
}
