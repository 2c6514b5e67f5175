/**
 * Real post-quantum signatures around a node engine. The engine deals in
 * transaction and block ids; this layer holds the signed bodies behind them,
 * attaches them to outgoing messages and checks them on incoming ones:
 *  - a transaction is verified once per node (the first time its body is
 *    seen: client submission, gossip, or inside a block), then cached;
 *  - a block header is verified once per node, against its proposer's key;
 *    with `reverifyTxSignaturesInBlocks` the block's transactions are verified
 *    again then, as AvalancheGo VMs do (the scenario's cpu section says which);
 *  - a node signs the header of each block it proposes, once, when it first sends it.
 * A message whose block or transactions fail verification is refused whole.
 * With real signatures the node's CpuCosts carry sigVerify = sigSign = 0, so
 * the modelled cost is not paid twice.
 */
import { createHash } from 'node:crypto';
import type { Message } from '../../consensus/engine/messages.js';
import { SNOWMAN_WIRE_CODEC } from '../../consensus/engine/wire-codec.js';
import type { Block, BlockId, TxId } from '../../consensus/snowman/block.js';
import { NO_ATTACHMENTS, payloadTxId, type Attachments, type BlockSignature, type SignedTx } from './attachments.js';
import { deriveKeyPair, sign, verify, type KeyPair } from './ml-dsa.js';

/** Most transaction bodies held in memory (the oldest go first). */
const MAX_BODIES = 200_000;
/**
 * Most block signatures held in memory (the oldest go first): several times the accepted blocks a real node keeps
 * in memory (AcceptedChain: 512-1,024) plus its processing ones. Older ones are read from the store.
 */
export const MAX_BLOCK_SIGS = 4_096;

/** What the node's store kept of its accepted blocks (a real node's ChainStore; synchronous reads). */
export interface AcceptedSignatures {
  signatureOf(blockId: BlockId): BlockSignature | undefined;
  txBodyOf(tx: TxId): SignedTx | undefined;
}

export type Admission = { ok: true; msg: Message } | { ok: false; reason: 'bad-signature' | 'missing-body' };

export function blockDigest(b: Block): Uint8Array {
  const bytes = SNOWMAN_WIRE_CODEC.encode({ kind: 'put', requestId: 0, block: b });
  return new Uint8Array(createHash('sha256').update(bytes).digest());
}

export class SignatureLayer {
  private readonly keys: KeyPair;
  private readonly proposerKeys = new Map<number, Uint8Array>();
  private readonly bodies = new Map<TxId, SignedTx>();
  private readonly verifiedTxs = new Set<TxId>();
  /** Verified (or own) block signatures, newest last: a block is verified once while its signature is here. */
  private readonly blockSigs = new Map<BlockId, BlockSignature>();
  refused = 0;

  constructor(
    private readonly seed: number,
    private readonly self: number,
    private readonly reverifyInBlocks: boolean,
    /** Where signatures and bodies of accepted blocks no longer in memory are read from (none: kept only in memory). */
    private readonly stored?: AcceptedSignatures,
  ) {
    this.keys = deriveKeyPair(seed, self, 'node');
    this.proposerKeys.set(self, this.keys.publicKey);
  }

  /** The public key a proposer signs with (derived from the run seed, as every node can). */
  private proposerKey(id: number): Uint8Array {
    let k = this.proposerKeys.get(id);
    if (k === undefined) {
      k = deriveKeyPair(this.seed, id, 'node').publicKey;
      this.proposerKeys.set(id, k);
    }
    return k;
  }

  private remember(t: SignedTx): void {
    if (this.bodies.has(t.id)) return;
    if (this.bodies.size >= MAX_BODIES) {
      const oldest = this.bodies.keys().next().value;
      if (oldest !== undefined) {
        this.bodies.delete(oldest);
        this.verifiedTxs.delete(oldest);
      }
    }
    // Keep a private copy: the frame buffer it came in is reused by nothing, but a body may outlive it by hours.
    this.bodies.set(t.id, { id: t.id, payload: Uint8Array.from(t.payload), publicKey: Uint8Array.from(t.publicKey), signature: Uint8Array.from(t.signature) });
  }

  private verifyTx(t: SignedTx, force: boolean): boolean {
    if (!force && this.verifiedTxs.has(t.id)) return true;
    if (payloadTxId(t.payload) !== t.id || !verify(t.signature, t.payload, t.publicKey)) return false;
    this.verifiedTxs.add(t.id);
    this.remember(t);
    return true;
  }

  /** A client's transaction: verified (once) and kept. */
  admitClientTx(t: SignedTx): boolean {
    return this.verifyTx(t, false);
  }

  body(id: TxId): SignedTx | undefined {
    return this.bodies.get(id);
  }

  /** A block's signature: in memory, else from the store (an accepted block's). */
  signatureOf(blockId: BlockId): BlockSignature | undefined {
    return this.blockSigs.get(blockId) ?? this.stored?.signatureOf(blockId);
  }

  /** Block signatures held in memory (at most MAX_BLOCK_SIGS). */
  get blockSignaturesHeld(): number {
    return this.blockSigs.size;
  }

  private rememberSig(s: BlockSignature): void {
    if (!this.blockSigs.has(s.blockId) && this.blockSigs.size >= MAX_BLOCK_SIGS) {
      const oldest = this.blockSigs.keys().next().value;
      if (oldest !== undefined) this.blockSigs.delete(oldest);
    }
    this.blockSigs.set(s.blockId, s);
  }

  /** Restores what the store kept of an accepted block (after a restart). */
  restoreBlock(sig: BlockSignature | undefined, txs: readonly SignedTx[]): void {
    if (sig !== undefined) this.rememberSig(sig);
    for (const t of txs) {
      this.remember(t);
      this.verifiedTxs.add(t.id);
    }
  }

  /** Bodies and signatures an outgoing message carries; signs this node's own blocks on first send. */
  attachmentsFor(msg: Message): Attachments {
    switch (msg.kind) {
      case 'tx-gossip':
        return { txs: this.bodiesOf(msg.txs), blocks: [] };
      case 'push-query':
      case 'put': {
        const b = msg.block;
        let s = this.signatureOf(b.id);
        if (s === undefined && b.proposer === this.self) {
          s = { blockId: b.id, publicKey: this.keys.publicKey, signature: sign(blockDigest(b), this.keys.secretKey) };
          this.rememberSig(s);
        }
        return { txs: this.bodiesOf(b.txs), blocks: s === undefined ? [] : [s] };
      }
      default:
        return NO_ATTACHMENTS;
    }
  }

  private bodiesOf(ids: readonly TxId[]): SignedTx[] {
    const out: SignedTx[] = [];
    for (const id of ids) {
      const t = this.bodies.get(id) ?? this.stored?.txBodyOf(id);
      if (t !== undefined) out.push(t);
    }
    return out;
  }

  /** Checks an incoming message against its attachments; tx gossip keeps only the transactions that verify. */
  admit(msg: Message, att: Attachments): Admission {
    const given = new Map<TxId, SignedTx>();
    for (const t of att.txs) given.set(t.id, t);
    switch (msg.kind) {
      case 'tx-gossip': {
        const good: TxId[] = [];
        for (const id of msg.txs) {
          const t = given.get(id);
          if (t !== undefined ? this.verifyTx(t, false) : this.verifiedTxs.has(id)) good.push(id);
          else this.refused++;
        }
        return { ok: true, msg: good.length === msg.txs.length ? msg : { kind: 'tx-gossip', txs: good } };
      }
      case 'push-query':
      case 'put': {
        const b = msg.block;
        if (this.blockSigs.has(b.id)) return { ok: true, msg };
        const s = att.blocks.find((x) => x.blockId === b.id);
        if (s === undefined) return this.refuse('missing-body');
        const key = this.proposerKey(b.proposer);
        if (!Buffer.from(s.publicKey).equals(Buffer.from(key)) || !verify(s.signature, blockDigest(b), key)) return this.refuse('bad-signature');
        for (const id of b.txs) {
          const t = given.get(id) ?? this.bodies.get(id);
          if (t === undefined) return this.refuse('missing-body');
          if (!this.verifyTx(t, this.reverifyInBlocks)) return this.refuse('bad-signature');
        }
        this.rememberSig({ blockId: s.blockId, publicKey: key, signature: Uint8Array.from(s.signature) });
        return { ok: true, msg };
      }
      default:
        return { ok: true, msg };
    }
  }

  private refuse(reason: 'bad-signature' | 'missing-body'): Admission {
    this.refused++;
    return { ok: false, reason };
  }
}
