import { describe, expect, it } from 'vitest';
import type { Message } from '../../consensus/engine/messages.js';
import { SNOWMAN_WIRE_CODEC } from '../../consensus/engine/wire-codec.js';
import type { Block } from '../../consensus/snowman/block.js';
import type { OutboxBatch } from '../../sim/types.js';
import { BatchEncoder, decodeBatch } from './codec.js';

const block: Block = { id: 2 ** 32 + 7, parent: 0, height: 1, proposer: 0, txs: [3 * 2 ** 32 + 1, 5], sizeBytes: 11_000, builtAt: 123_456 };

const messages: Message[] = [
  { kind: 'push-query', requestId: 9, block, requestedHeight: 1 },
  { kind: 'pull-query', requestId: 10, blockId: block.id, requestedHeight: 2 },
  { kind: 'chits', requestId: 9, preferredId: block.id, preferredIdAtHeight: 0, acceptedId: 0, acceptedHeight: 0 },
  { kind: 'get', requestId: 11, blockId: block.id },
  { kind: 'put', requestId: 0, block },
  { kind: 'tx-gossip', txs: [1, 2 ** 40 + 3] },
];

function batch(): OutboxBatch<Message> {
  return {
    time: messages.map((_, i) => 1_000_000 + i),
    tie: messages.map((_, i) => ((1 << 28) | (4 << 14) | i) >>> 0),
    seq: messages.map((_, i) => i * 2),
    sizeBytes: messages.map((_, i) => 100 + i),
    msg: messages,
  };
}

describe('shard exchange batches', () => {
  it('round-trip every message kind with its event key, the codec sending a block body once per destination', () => {
    const enc = new BatchEncoder(SNOWMAN_WIRE_CODEC.encoder());
    const dec = SNOWMAN_WIRE_CODEC.decoder();
    const got: unknown[] = [];
    const deliver = (time: number, tie: number, seq: number, size: number, msg: Message) => got.push({ time, tie, seq, size, msg });
    const first = enc.encode(batch());
    expect(decodeBatch(first, dec, deliver)).toBe(6);
    expect(got).toEqual(messages.map((msg, i) => ({ time: 1_000_000 + i, tie: ((1 << 28) | (4 << 14) | i) >>> 0, seq: i * 2, size: 100 + i, msg })));
    // Second window: the body is not sent again, and the receiver's nodes share one block object.
    const second = enc.encode(batch());
    const bodyBytes = 8 + 8 + 4 + 4 + 8 + 4 + 4 + 8 * block.txs.length;
    expect(second.length).toBe(first.length - (bodyBytes - 8));
    decodeBatch(second, dec, deliver);
    const blocks = got.map((g) => (g as { msg: Message }).msg).flatMap((m) => ('block' in m ? [m.block] : []));
    expect(blocks).toHaveLength(4);
    expect(new Set(blocks).size).toBe(1);
  });

  it('rejects a truncated batch, trailing bytes and a block referenced before its body', () => {
    const buf = new BatchEncoder(SNOWMAN_WIRE_CODEC.encoder()).encode(batch());
    expect(() => decodeBatch(buf.subarray(0, buf.length - 1), SNOWMAN_WIRE_CODEC.decoder(), () => {})).toThrow(/^shard exchange: .*truncated/);
    expect(() => decodeBatch(Uint8Array.from([...buf, 0]), SNOWMAN_WIRE_CODEC.decoder(), () => {})).toThrow(/1 bytes left after the batch/);
    const enc = new BatchEncoder(SNOWMAN_WIRE_CODEC.encoder());
    enc.encode(batch()); // this window's bodies never reach the decoder below
    const noBody = enc.encode(batch());
    expect(() => decodeBatch(noBody, SNOWMAN_WIRE_CODEC.decoder(), () => {})).toThrow(/invalid-field: block 4294967303 referenced before its body was sent/);
  });
});
