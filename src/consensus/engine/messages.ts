/**
 * Snowman wire messages (the equivalent of AvalancheGo's p2p consensus
 * messages PushQuery, PullQuery, Chits, Get, Put, plus AppGossip of
 * transactions) as one tagged union, and the model that gives each message
 * its size in bytes and its CPU cost in microseconds.
 *
 * In the simulator blocks travel by reference (a Block is immutable); their
 * wire size comes from `Block.sizeBytes`, computed by `MessageModel.blockSizeBytes`
 * when the block is built.
 */
import type { Micros } from '../host.js';
import type { Block, BlockId, TxId } from '../snowman/block.js';

/** Request ids are per-sender counters; 0 marks an unsolicited message (gossip). */
export type RequestId = number;

/**
 * A request's deadline (AvalancheGo's `deadline` field of every request
 * message): how long the sender waits for the answer, a duration, so the
 * receiver drops the request once it has waited that long since it arrived
 * (snow/networking/handler: expiration = arrival + deadline). Absent (old
 * senders, scripted tests): never expires.
 */
export interface Deadline {
  readonly deadlineUs?: Micros;
}

export type Message =
  /** "Here is a block; tell me your preferences" (AvalancheGo PushQuery). */
  | ({ readonly kind: 'push-query'; readonly requestId: RequestId; readonly block: Block; readonly requestedHeight: number } & Deadline)
  /** "Tell me your preferences; fetch this block if you lack it" (PullQuery). */
  | ({ readonly kind: 'pull-query'; readonly requestId: RequestId; readonly blockId: BlockId; readonly requestedHeight: number } & Deadline)
  /** Answer to a query (Chits). */
  | {
      readonly kind: 'chits';
      readonly requestId: RequestId;
      readonly preferredId: BlockId;
      readonly preferredIdAtHeight: BlockId;
      readonly acceptedId: BlockId;
      readonly acceptedHeight: number;
    }
  /** Ask a peer for one block by id (Get). */
  | ({ readonly kind: 'get'; readonly requestId: RequestId; readonly blockId: BlockId } & Deadline)
  /** A block: the answer to a get, or unsolicited block gossip when requestId is 0 (Put). */
  | { readonly kind: 'put'; readonly requestId: RequestId; readonly block: Block }
  /** A batch of transactions pushed to a peer (AppGossip of txs). */
  | { readonly kind: 'tx-gossip'; readonly txs: readonly TxId[] }
  /** Bootstrapping: "what is your last accepted block?" (GetAcceptedFrontier). */
  | ({ readonly kind: 'get-accepted-frontier'; readonly requestId: RequestId } & Deadline)
  /** Its answer (AcceptedFrontier). */
  | { readonly kind: 'accepted-frontier'; readonly requestId: RequestId; readonly blockId: BlockId }
  /** Bootstrapping: "which of these blocks have you accepted?" (GetAccepted). */
  | ({ readonly kind: 'get-accepted'; readonly requestId: RequestId; readonly blockIds: readonly BlockId[] } & Deadline)
  /** Its answer (Accepted). */
  | { readonly kind: 'accepted'; readonly requestId: RequestId; readonly blockIds: readonly BlockId[] }
  /** Bootstrapping: "send me this block and its ancestors" (GetAncestors). */
  | ({ readonly kind: 'get-ancestors'; readonly requestId: RequestId; readonly blockId: BlockId } & Deadline)
  /** Its answer: the block and its ancestors, newest first, bounded (bootstrap/ancestors.ts) (Ancestors). */
  | { readonly kind: 'ancestors'; readonly requestId: RequestId; readonly blocks: readonly Block[] };

export type MessageKind = Message['kind'];

/** Small integer type tag per kind (stable: used in event ordering and trace hashing). */
export const MESSAGE_TYPE_TAG: Readonly<Record<MessageKind, number>> = {
  'push-query': 1,
  'pull-query': 2,
  chits: 3,
  get: 4,
  put: 5,
  'tx-gossip': 6,
  'get-accepted-frontier': 7,
  'accepted-frontier': 8,
  'get-accepted': 9,
  accepted: 10,
  'get-ancestors': 11,
  ancestors: 12,
};

/** ML-DSA-65 (FIPS 204, parameter set 3) sizes in bytes. */
export const ML_DSA_65_SIGNATURE_BYTES = 3_309;
export const ML_DSA_65_PUBLIC_KEY_BYTES = 1_952;

export interface SizeModel {
  /** Application payload of one transaction, excluding signature and public key. */
  readonly txPayloadBytes: number;
  /**
   * Block header without its proposer signature: parent id (32), height (8),
   * timestamp (8), tx-root (32), proposer id (20), codec and length fields.
   */
  readonly blockHeaderBytes: number;
  /** Whether the proposer signs the header with ML-DSA-65 (Snowman++ signs blocks). */
  readonly signedBlockHeader: boolean;
  /**
   * Per-message framing: p2p op code, chain id (32), request id (4),
   * deadline (8), length prefixes, TLS record overhead.
   */
  readonly envelopeBytes: number;
  /** Size of one block or tx id on the wire. */
  readonly idBytes: number;
}

export const DEFAULT_SIZE_MODEL: SizeModel = {
  // A transfer-like payload (inputs, outputs, nonce, fee): ~250 bytes.
  txPayloadBytes: 250,
  blockHeaderBytes: 128,
  signedBlockHeader: true,
  envelopeBytes: 64,
  idBytes: 32,
};

/**
 * CPU costs in microseconds. Defaults describe one core of a recent x86
 * server; they are coarse and meant to be swept, not trusted.
 */
export interface CpuCosts {
  /** Fixed cost of receiving and dispatching any message (parse, lookup, bookkeeping). */
  readonly handlePerMessageUs: Micros;
  /** Parsing cost per kilobyte of payload (copy, decode, hash). */
  readonly handlePerKibUs: Micros;
  /** Verifying a block's header and state transition, excluding transactions. */
  readonly blockVerifyBaseUs: Micros;
  /** Executing one transaction of a block (state transition only). */
  readonly blockVerifyPerTxUs: Micros;
  /** One ML-DSA-65 signature verification. */
  readonly sigVerifyUs: Micros;
  /** One ML-DSA-65 signature (the proposer signs each block header). */
  readonly sigSignUs: Micros;
  /** Assembling a block, per transaction (selection, serialisation). */
  readonly buildPerTxUs: Micros;
  /** Whether block verification re-verifies tx signatures already verified on gossip. */
  readonly reverifyTxSignaturesInBlocks: boolean;
}

export const DEFAULT_CPU_COSTS: CpuCosts = {
  // Go p2p handler: decode a small protobuf and route it, tens of µs.
  handlePerMessageUs: 20,
  // ~1 GB/s of decode+hash: about 1 µs per KiB.
  handlePerKibUs: 1,
  blockVerifyBaseUs: 200,
  // A simple transfer's state transition (UTXO/account lookups in memory).
  blockVerifyPerTxUs: 10,
  // pq-crystals reference C of Dilithium3 verifies in ~330k cycles (~110 µs at
  // 3 GHz); the AVX2 build is ~3x faster. We take the portable figure.
  sigVerifyUs: 110,
  // Reference Dilithium3 signing: ~1.3M cycles median (~430 µs at 3 GHz).
  sigSignUs: 430,
  buildPerTxUs: 2,
  // AvalancheGo VMs verify tx signatures again when verifying a block (no
  // cross-component signature cache is guaranteed), so the default is true.
  reverifyTxSignaturesInBlocks: true,
};

/** One-line error naming the field and the rule. */
function requireNonNegativeInteger(value: number, field: string): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`${field} must be a non-negative integer, got ${value}`);
  }
}

export class MessageModel {
  readonly size: SizeModel;
  readonly cpu: CpuCosts;
  /** Wire size of one transaction with its signature and public key. */
  readonly txBytes: number;

  constructor(size: SizeModel = DEFAULT_SIZE_MODEL, cpu: CpuCosts = DEFAULT_CPU_COSTS) {
    for (const [k, v] of Object.entries(size)) {
      if (typeof v === 'number') requireNonNegativeInteger(v, `size.${k}`);
    }
    for (const [k, v] of Object.entries(cpu)) {
      if (typeof v === 'number') requireNonNegativeInteger(v, `cpu.${k}`);
    }
    this.size = size;
    this.cpu = cpu;
    this.txBytes = size.txPayloadBytes + ML_DSA_65_SIGNATURE_BYTES + ML_DSA_65_PUBLIC_KEY_BYTES;
  }

  /** Serialized block size: header (+ proposer signature) + transactions. */
  blockSizeBytes(txCount: number): number {
    const sig = this.size.signedBlockHeader ? ML_DSA_65_SIGNATURE_BYTES + ML_DSA_65_PUBLIC_KEY_BYTES : 0;
    return this.size.blockHeaderBytes + sig + txCount * this.txBytes;
  }

  /** Bytes on the wire for one message, framing included. */
  sizeBytes(msg: Message): number {
    const env = this.size.envelopeBytes;
    const id = this.size.idBytes;
    switch (msg.kind) {
      case 'push-query':
        return env + 8 + msg.block.sizeBytes;
      case 'pull-query':
        return env + 8 + id;
      case 'chits':
        return env + 3 * id + 8;
      case 'get':
        return env + id;
      case 'put':
        return env + msg.block.sizeBytes;
      case 'tx-gossip':
        return env + msg.txs.length * this.txBytes;
      case 'get-accepted-frontier':
        return env;
      case 'accepted-frontier':
      case 'get-ancestors':
        return env + id;
      case 'get-accepted':
      case 'accepted':
        return env + 4 + msg.blockIds.length * id;
      case 'ancestors': {
        let bytes = env + 4;
        for (const b of msg.blocks) bytes += 4 + b.sizeBytes;
        return bytes;
      }
    }
  }

  typeTag(msg: Message): number {
    return MESSAGE_TYPE_TAG[msg.kind];
  }

  /**
   * CPU to receive and parse a message, excluding work that depends on the
   * receiver's state (block verification, tx signature checks), which the
   * node charges when it actually does it.
   */
  cpuCostUs(msg: Message): Micros {
    const kib = Math.floor(this.sizeBytes(msg) / 1024);
    return this.cpu.handlePerMessageUs + kib * this.cpu.handlePerKibUs;
  }

  /** Verifying a block the first time it is issued to consensus. */
  blockVerifyCostUs(block: Block): Micros {
    const perTx = this.cpu.blockVerifyPerTxUs + (this.cpu.reverifyTxSignaturesInBlocks ? this.cpu.sigVerifyUs : 0);
    const header = this.size.signedBlockHeader ? this.cpu.sigVerifyUs : 0;
    return this.cpu.blockVerifyBaseUs + header + block.txs.length * perTx;
  }

  /** Verifying the signatures of newly seen gossiped transactions. */
  txVerifyCostUs(newTxCount: number): Micros {
    return newTxCount * this.cpu.sigVerifyUs;
  }

  /** Building and signing a block of `txCount` transactions. */
  buildCostUs(txCount: number): Micros {
    return txCount * this.cpu.buildPerTxUs + (this.size.signedBlockHeader ? this.cpu.sigSignUs : 0);
  }
}
