/**
 * One window's messages from one shard to another as one byte buffer
 * (transferred, not copied): per message its event key and modelled size,
 * then the protocol's own wire encoding of the message (WireBatchCodec, the
 * codec the real node's transport uses, with bodies such as blocks sent once
 * per destination and shared by reference on arrival).
 *
 * Layout: u32 count, then per message: f64 time, u32 tie, u32 seq, u32 sizeBytes, message.
 * Both ends are this process's own code, so a batch that does not decode is a
 * bug, reported by throwing with the codec's typed reason.
 */
import { ByteReader, ByteWriter } from '../../consensus/wire-bytes.js';
import type { WireBatchDecoder, WireBatchEncoder } from '../../consensus/wire.js';
import type { OutboxBatch } from '../../sim/types.js';

/** Largest batch of one window to one shard (1 GiB); more is a labelled failure. */
export const MAX_BATCH_BYTES = 2 ** 30;

/** The batch side of one (sender, destination) pair: the writer is reused across windows. */
export class BatchEncoder<M> {
  private readonly w = new ByteWriter(64 * 1024, MAX_BATCH_BYTES);

  constructor(private readonly codec: WireBatchEncoder<M>) {}

  encode(batch: OutboxBatch<M>): Uint8Array {
    const w = this.w;
    w.reset();
    const count = batch.msg.length;
    try {
      w.u32(count);
      for (let i = 0; i < count; i++) {
        w.f64(batch.time[i]!);
        w.u32(batch.tie[i]!);
        w.u32(batch.seq[i]!);
        w.u32(batch.sizeBytes[i]!);
        this.codec.write(w, batch.msg[i]!);
      }
    } catch (e) {
      throw new RangeError(`shard exchange: ${(e as Error).message} (one window's batch to one shard; lower the load or the window)`, { cause: e });
    }
    return w.bytes();
  }
}

export type Deliver<M> = (time: number, tie: number, seq: number, sizeBytes: number, msg: M) => void;

/** Decodes a batch and hands each message to `deliver` in order; returns the number of messages. */
export function decodeBatch<M>(bytes: Uint8Array, codec: WireBatchDecoder<M>, deliver: Deliver<M>): number {
  const r = new ByteReader(bytes);
  const count = r.u32('count');
  for (let i = 0; i < count && r.error === undefined; i++) {
    const time = r.f64('time');
    const tie = r.u32('tie');
    const seq = r.u32('seq');
    const sizeBytes = r.u32('sizeBytes');
    if (r.error !== undefined) break;
    const m = codec.read(r);
    if (!m.ok) throw new RangeError(`shard exchange: message ${i} of ${count}: ${m.error.reason}: ${m.error.detail}`);
    deliver(time, tie, seq, sizeBytes, m.msg);
  }
  if (r.error !== undefined) throw new RangeError(`shard exchange: ${r.error.reason}: ${r.error.detail}`);
  if (r.pos !== bytes.length) throw new RangeError(`shard exchange: ${bytes.length - r.pos} bytes left after the batch`);
  return count;
}
