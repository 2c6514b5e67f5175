import { describe, expect, it } from 'vitest';
import type { Message } from '../../consensus/engine/messages.js';
import type { Block, BlockId } from '../../consensus/snowman/block.js';
import type { OutboxBatch } from '../../sim/types.js';
import { decodeBatch, encodeBatch } from './codec.js';

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
    tie: messages.map((_, i) => (1 << 28) | (4 << 14) | i),
    seq: messages.map((_, i) => i * 2),
    sizeBytes: messages.map((_, i) => 100 + i),
    msg: messages,
  };
}

describe('shard exchange codec', () => {
  it('round-trips every message kind with its event key, and sends a block body once per destination', () => {
    const shipped = new Set<BlockId>();
    const registry = new Map<BlockId, Block>();
    const got: unknown[] = [];
    const deliver = (time: number, tie: number, seq: number, size: number, msg: Message) => got.push({ time, tie, seq, size, msg });
    const first = encodeBatch(batch(), shipped);
    expect(decodeBatch(first, registry, deliver)).toBe(6);
    expect(got).toEqual(messages.map((msg, i) => ({ time: 1_000_000 + i, tie: (1 << 28) | (4 << 14) | i, seq: i * 2, size: 100 + i, msg })));
    // Second window: the body is not sent again, and the receiver's nodes share one block object.
    const second = encodeBatch(batch(), shipped);
    expect(second.length).toBe(first.length - (7 + block.txs.length));
    decodeBatch(second, registry, deliver);
    const blocks = got.map((g) => (g as { msg: Message }).msg).flatMap((m) => ('block' in m ? [m.block] : []));
    expect(blocks).toHaveLength(4);
    expect(new Set(blocks).size).toBe(1);
  });

  it('rejects a truncated batch and a block referenced before its body', () => {
    const buf = encodeBatch(batch(), new Set());
    expect(() => decodeBatch(buf.subarray(0, buf.length - 1), new Map(), () => {})).toThrow(/batch truncated/);
    const noBody = encodeBatch(batch(), new Set([block.id]));
    expect(() => decodeBatch(noBody, new Map(), () => {})).toThrow(/block 4294967303 referenced before its body was sent/);
  });
});
