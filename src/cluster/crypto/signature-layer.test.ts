/** Real ML-DSA-65 around the engine: a node signs its blocks, peers verify each block and each transaction once, and refuse forgeries. */
import { describe, expect, it } from 'vitest';
import type { Message } from '../../consensus/engine/messages.js';
import type { Block } from '../../consensus/snowman/block.js';
import { decodeAttachments, encodeAttachments, txPayload, type BlockSignature, type SignedTx } from './attachments.js';
import { deriveKeyPair, sign, signatureCosts } from './ml-dsa.js';
import { MAX_BLOCK_SIGS, SignatureLayer } from './signature-layer.js';

const client = deriveKeyPair(1, 0, 'client');
function signedTx(id: number): SignedTx {
  const payload = txPayload(id, 250);
  return { id, payload, publicKey: client.publicKey, signature: sign(payload, client.secretKey) };
}
const roundTrip = (l: SignatureLayer, m: Message) => {
  const r = decodeAttachments(encodeAttachments(l.attachmentsFor(m)));
  if (!r.ok) throw new Error(r.detail);
  return r.attachments;
};

const sigOf = (id: number): BlockSignature => ({ blockId: id, publicKey: new Uint8Array([1, id % 256]), signature: new Uint8Array([2, id % 256]) });

describe('SignatureLayer', () => {
  it('carries signed transactions and the proposer signature; verifies each once per node; refuses forgeries', () => {
    const proposer = new SignatureLayer(1, 0, false);
    const peer = new SignatureLayer(1, 1, false);
    const txs = [signedTx(10), signedTx(11)];
    for (const t of txs) expect(proposer.admitClientTx(t)).toBe(true);
    const block: Block = { id: 2, parent: 0, height: 1, proposer: 0, txs: [10, 11], sizeBytes: 11_200, builtAt: 5 };
    const push: Message = { kind: 'push-query', requestId: 1, block, requestedHeight: 1 };
    const att = roundTrip(proposer, push);
    expect(att.txs.map((t) => t.id)).toEqual([10, 11]);
    expect(att.blocks.map((b) => b.blockId)).toEqual([2]);

    const before = signatureCosts.verifies;
    expect(peer.admit(push, att)).toMatchObject({ ok: true });
    // Header + two transactions.
    expect(signatureCosts.verifies - before).toBe(3);
    // The same block again (a put answering a get): nothing re-verified.
    expect(peer.admit({ kind: 'put', requestId: 4, block }, att)).toMatchObject({ ok: true });
    expect(signatureCosts.verifies - before).toBe(3);

    // A forged header signature (another node's key) is refused.
    const forger = new SignatureLayer(1, 2, false);
    const forged: Block = { ...block, id: 131_074, proposer: 0 };
    const forgedAtt = { txs: att.txs, blocks: [{ blockId: forged.id, publicKey: att.blocks[0]!.publicKey, signature: sign(new Uint8Array(32), deriveKeyPair(1, 2, 'node').secretKey) }] };
    expect(forger.admit({ kind: 'put', requestId: 0, block: forged }, forgedAtt)).toEqual({ ok: false, reason: 'bad-signature' });
    // A block without its signature, or naming a transaction whose body nobody sent, is refused.
    expect(new SignatureLayer(1, 3, false).admit(push, { txs: att.txs, blocks: [] })).toEqual({ ok: false, reason: 'missing-body' });
    expect(new SignatureLayer(1, 3, false).admit(push, { txs: att.txs.slice(0, 1), blocks: att.blocks })).toEqual({ ok: false, reason: 'missing-body' });
  });

  it('tx gossip keeps only the transactions whose signature verifies; reverify re-checks block transactions', () => {
    const a = new SignatureLayer(2, 0, true);
    const b = new SignatureLayer(2, 1, true);
    const good = signedTx(20);
    const bad: SignedTx = { ...signedTx(21), signature: Uint8Array.from(good.signature) };
    a.admitClientTx(good);
    const r = b.admit({ kind: 'tx-gossip', txs: [20, 21] }, { txs: [good, bad], blocks: [] });
    expect(r).toEqual({ ok: true, msg: { kind: 'tx-gossip', txs: [20] } });
    expect(b.refused).toBe(1);
    // With reverifyTxSignaturesInBlocks, a block's transactions are verified again even if seen in gossip.
    const block: Block = { id: 2, parent: 0, height: 1, proposer: 0, txs: [20], sizeBytes: 6_000, builtAt: 5 };
    const att = roundTrip(a, { kind: 'put', requestId: 0, block });
    const before = signatureCosts.verifies;
    expect(b.admit({ kind: 'put', requestId: 0, block }, att)).toMatchObject({ ok: true });
    expect(signatureCosts.verifies - before).toBe(2);
  });

  it('holds at most MAX_BLOCK_SIGS block signatures; older accepted blocks get theirs and their bodies from the store', () => {
    const stored = new Map<number, BlockSignature>();
    const body = signedTx(500);
    const reads: number[] = [];
    const layer = new SignatureLayer(1, 0, false, {
      signatureOf: (id) => {
        reads.push(id);
        return stored.get(id);
      },
      txBodyOf: (tx) => (tx === body.id ? body : undefined),
    });
    const n = 3 * MAX_BLOCK_SIGS;
    for (let i = 1; i <= n; i++) {
      const s = sigOf(i * 131_072 + 1);
      stored.set(s.blockId, s);
      layer.restoreBlock(s, []);
    }
    expect(layer.blockSignaturesHeld).toBe(MAX_BLOCK_SIGS);
    // The newest ones come from memory; the first block's from the store.
    const newest = n * 131_072 + 1;
    expect(layer.signatureOf(newest)).toEqual(sigOf(newest));
    expect(reads).toEqual([]);
    const oldest = 131_073;
    expect(layer.signatureOf(oldest)).toEqual(sigOf(oldest));
    expect(reads).toEqual([oldest]);
    // A put of that old block (proposed by node 1) answering a get carries the stored signature and body.
    const old: Block = { id: oldest, parent: 0, height: 1, proposer: 1, txs: [body.id], sizeBytes: 1_000, builtAt: 1 };
    const att = layer.attachmentsFor({ kind: 'put', requestId: 9, block: old });
    expect(att.blocks).toEqual([sigOf(oldest)]);
    expect(att.txs.map((t) => t.id)).toEqual([body.id]);
  });
});
