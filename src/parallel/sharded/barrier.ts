/**
 * The barrier between windows, and the status board the shards read after
 * it, over one SharedArrayBuffer.
 *
 * Why Atomics + MessagePorts rather than a round trip through the main
 * thread: a window ends with every shard posting its outgoing batches
 * straight to the other shards' ports and then waiting on this barrier; a
 * MessagePort enqueues at the receiver synchronously inside postMessage, so
 * once every shard has arrived, every batch of the window is already there
 * and `receiveMessageOnPort` drains it without an event-loop turn. A window
 * then costs one Atomics.wait/notify and no trip through the main thread,
 * whose event loop is left to merge the checker logs in the background.
 *
 * The board is double-buffered by window parity: a shard writes its status
 * for window k before arriving, everyone reads all statuses after the
 * barrier, and nobody can write window k+2's status (same slot) before all
 * have passed barrier k+1, i.e. finished reading window k's.
 */

/** Int32 cells: arrived count, generation, abort flag, then per parity and shard: status, sent. */
const COUNT = 0;
const GEN = 1;
const ABORT = 2;
const HEADER = 4;
const PER_SHARD = 2;

/** What a shard reports after a window. */
export const ST_RUNNING = 0;
/** Reached the run's duration. */
export const ST_DONE = 1;
/** Hit a limit (the limit kind is in `limitCode`, an index into LIMIT_KINDS). */
export const ST_LIMIT = 2;

export interface ShardStatus {
  status: number;
  /** Messages sent to other shards in the window. */
  sent: number;
  /** Local queue empty at the end of the window (before this barrier's deliveries). */
  idle: boolean;
  limitCode: number;
  /** Time of the shard's last processed event. */
  lastEventUs: number;
}

/** Bytes of the shared buffer for `shards` shards. */
export function boardBytes(shards: number): number {
  return 4 * (HEADER + 2 * shards * PER_SHARD * 2) + 8 * 2 * shards;
}

export class AbortedError extends Error {
  override name = 'AbortedError';
}

export class Barrier {
  private readonly i32: Int32Array;
  private readonly f64: Float64Array;
  private window = 0;

  constructor(
    sab: SharedArrayBuffer,
    private readonly shards: number,
    /** Longest wait at the barrier before the run is declared stuck, ms. */
    private readonly timeoutMs = 600_000,
  ) {
    const intCells = HEADER + 2 * shards * PER_SHARD * 2;
    this.i32 = new Int32Array(sab, 0, intCells);
    this.f64 = new Float64Array(sab, 8 * Math.ceil((4 * intCells) / 8), 2 * shards);
  }

  /** Ask every shard to stop (a worker failed); waiting shards throw AbortedError. */
  abort(): void {
    Atomics.store(this.i32, ABORT, 1);
    Atomics.notify(this.i32, GEN);
  }

  get aborted(): boolean {
    return Atomics.load(this.i32, ABORT) === 1;
  }

  private cell(parity: number, shard: number, field: number): number {
    return HEADER + (parity * this.shards + shard) * PER_SHARD * 2 + field;
  }

  /** Publishes this shard's status for the current window, waits for all, and returns everyone's. */
  arrive(self: number, st: ShardStatus): ShardStatus[] {
    const parity = this.window & 1;
    const i32 = this.i32;
    i32[this.cell(parity, self, 0)] = st.status | (st.idle ? 0x100 : 0) | (st.limitCode << 16);
    i32[this.cell(parity, self, 1)] = st.sent;
    this.f64[parity * this.shards + self] = st.lastEventUs;
    const gen = Atomics.load(i32, GEN);
    if (Atomics.add(i32, COUNT, 1) === this.shards - 1) {
      Atomics.store(i32, COUNT, 0);
      Atomics.add(i32, GEN, 1);
      Atomics.notify(i32, GEN);
    } else {
      const deadline = Date.now() + this.timeoutMs;
      while (Atomics.load(i32, GEN) === gen) {
        if (this.aborted) throw new AbortedError('sharded run aborted: another shard failed');
        if (Date.now() > deadline) throw new AbortedError(`sharded run: no barrier progress for ${this.timeoutMs} ms`);
        Atomics.wait(i32, GEN, gen, 200);
      }
    }
    if (this.aborted) throw new AbortedError('sharded run aborted: another shard failed');
    this.window++;
    const out: ShardStatus[] = [];
    for (let s = 0; s < this.shards; s++) {
      const w = i32[this.cell(parity, s, 0)]!;
      out.push({ status: w & 0xff, idle: (w & 0x100) !== 0, limitCode: w >>> 16, sent: i32[this.cell(parity, s, 1)]!, lastEventUs: this.f64[parity * this.shards + s]! });
    }
    return out;
  }
}
