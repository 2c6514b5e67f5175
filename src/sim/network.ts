/**
 * The simulated network: per-node serialised uplink and downlink, latency,
 * loss, duplication, added delay and partitions ("grudges").
 *
 * The work is split at "arrival", the cut a sharded run will use:
 *  - sender side, at send time (`route`, `duplicate`): uplink serialisation,
 *    partition and loss checks, latency draw; every draw comes from the
 *    SENDER's own 'network' stream, so it depends only on the sender's history;
 *  - receiver side, at arrival time (`downlink`): downlink serialisation.
 *
 * Store-and-forward at both ends: a message of s bytes occupies the sender's
 * uplink for ceil(s·8·1e6 / upload) µs, travels for the sampled latency, then
 * occupies the receiver's downlink for ceil(s·8·1e6 / download) µs. A node
 * sends (and receives) one message at a time, so congestion emerges.
 * Known simplification: partitions and loss are decided when the message is
 * sent; a message already in flight when a partition starts is delivered.
 */
import type { Micros } from './time.js';
import { createStream, RUN_OWNER, type RandomStream } from './rng.js';
import { LatencySampler, minLatencyUs, type LatencyProfile } from './latency.js';

export type NodeId = number;

export type BandwidthProfile =
  /** Every node gets the same bandwidth; Infinity means transmission takes no time. */
  | { kind: 'uniform'; uploadBitsPerSec: number; downloadBitsPerSec: number }
  | { kind: 'per-node'; uploadBitsPerSec: readonly number[]; downloadBitsPerSec: readonly number[] };

export interface NetworkConfig {
  latency: LatencyProfile;
  bandwidth: BandwidthProfile;
  /** Probability in [0, 1) that a sent message is lost. Default 0. */
  lossProbability?: number;
  /** Probability in [0, 1) that a delivered message arrives a second time (own latency draw). Default 0. */
  duplicateProbability?: number;
  /** Added to every message's latency, µs. Default 0. */
  extraDelayUs?: Micros;
}

/**
 * Who drops whose messages. Grudges accumulate until a heal.
 *  - split: nodes listed in different groups cannot exchange messages (both
 *    directions); nodes in no group talk to everyone.
 *  - one-way: messages from any node in `from` to any node in `to` are dropped.
 */
export type Grudge =
  | { kind: 'split'; groups: readonly (readonly NodeId[])[] }
  | { kind: 'one-way'; from: readonly NodeId[]; to: readonly NodeId[] };

/** `route` results below zero mean the message was dropped, and why. */
export const DROP_PARTITION = -1;
export const DROP_LOSS = -2;

/** At most this many grudge rules (split groups + one-way rules) active at once. */
export const MAX_GRUDGE_RULES = 32;

export function transmissionUs(sizeBytes: number, bitsPerSec: number): Micros {
  if (bitsPerSec === Infinity) return 0;
  return Math.ceil((sizeBytes * 8 * 1_000_000) / bitsPerSec);
}

function checkProbability(field: string, p: number): void {
  if (!Number.isFinite(p) || p < 0 || p >= 1) {
    throw new RangeError(`network.${field}: must be a probability in [0, 1), got ${p}`);
  }
}

function checkBandwidth(field: string, bps: number): void {
  if (!(bps > 0) || Number.isNaN(bps)) {
    throw new RangeError(`network.${field}: must be a positive number of bits/s (or Infinity), got ${bps}`);
  }
}

function checkNode(field: string, id: number, nodeCount: number): void {
  if (!Number.isInteger(id) || id < 0 || id >= nodeCount) {
    throw new RangeError(`${field}: node id must be an integer in [0, ${nodeCount}), got ${id}`);
  }
}

export class Network {
  readonly nodeCount: number;
  readonly latency: LatencySampler;
  /** Lookahead bound: no message arrives sooner than this after it is sent. */
  readonly minLatencyUs: Micros;
  readonly uploadBps: Float64Array;
  readonly downloadBps: Float64Array;
  /** When each node's uplink / downlink is next free (µs). */
  readonly uplinkFreeAt: Float64Array;
  readonly downlinkFreeAt: Float64Array;
  private readonly fromMask: Uint32Array;
  private readonly toMask: Uint32Array;
  private rulesUsed = 0;
  /** Counts partition-rule changes (grudges added, heals): `blocked` answers the same while it stays. */
  rulesVersion = 0;
  private lossP: number;
  /** Per-node loss probability (messages from or to the node), set by set-loss faults with a node list. */
  private readonly nodeLossP: Float64Array;
  private anyNodeLoss = false;
  private dupP: number;
  private extraUs: number;
  private readonly nodeExtraUs: Float64Array;

  constructor(cfg: NetworkConfig, nodeCount: number, placement: RandomStream) {
    this.nodeCount = nodeCount;
    this.latency = new LatencySampler(cfg.latency, nodeCount, placement);
    this.minLatencyUs = minLatencyUs(cfg.latency);
    this.uploadBps = new Float64Array(nodeCount);
    this.downloadBps = new Float64Array(nodeCount);
    const bw = cfg.bandwidth;
    for (let i = 0; i < nodeCount; i++) {
      const up = bw.kind === 'uniform' ? bw.uploadBitsPerSec : bw.uploadBitsPerSec[i];
      const down = bw.kind === 'uniform' ? bw.downloadBitsPerSec : bw.downloadBitsPerSec[i];
      if (up === undefined || down === undefined) {
        throw new RangeError(`network.bandwidth: per-node arrays must have ${nodeCount} entries`);
      }
      checkBandwidth(`bandwidth.uploadBitsPerSec[${i}]`, up);
      checkBandwidth(`bandwidth.downloadBitsPerSec[${i}]`, down);
      this.uploadBps[i] = up;
      this.downloadBps[i] = down;
    }
    this.uplinkFreeAt = new Float64Array(nodeCount);
    this.downlinkFreeAt = new Float64Array(nodeCount);
    this.fromMask = new Uint32Array(nodeCount);
    this.toMask = new Uint32Array(nodeCount);
    this.nodeExtraUs = new Float64Array(nodeCount);
    this.nodeLossP = new Float64Array(nodeCount);
    this.lossP = 0;
    this.dupP = 0;
    this.extraUs = 0;
    this.setLoss(cfg.lossProbability ?? 0);
    this.setDuplication(cfg.duplicateProbability ?? 0);
    this.setExtraDelay(cfg.extraDelayUs ?? 0, undefined);
  }

  /**
   * Sets loss: with no node list, for every message; with a list, for messages
   * sent by or to those nodes (the largest applicable probability wins).
   */
  setLoss(p: number, nodes?: readonly NodeId[]): void {
    checkProbability('lossProbability', p);
    if (nodes === undefined) {
      this.lossP = p;
    } else {
      for (const n of nodes) {
        checkNode('set-loss.nodes', n, this.nodeCount);
        this.nodeLossP[n] = p;
      }
      this.anyNodeLoss = this.nodeLossP.some((x) => x > 0);
    }
  }

  private lossOf(src: NodeId, dst: NodeId): number {
    if (!this.anyNodeLoss) return this.lossP;
    const a = this.nodeLossP[src]!;
    const b = this.nodeLossP[dst]!;
    const m = a > b ? a : b;
    return m > this.lossP ? m : this.lossP;
  }

  setDuplication(p: number): void {
    checkProbability('duplicateProbability', p);
    this.dupP = p;
  }

  /**
   * Sets added delay: with no node list, for every message; with a list, for
   * messages sent by or to those nodes (the larger of the two nodes' values
   * applies, on top of the global value). 0 removes it.
   */
  setExtraDelay(extraUs: Micros, nodes: readonly NodeId[] | undefined): void {
    if (!Number.isSafeInteger(extraUs) || extraUs < 0) {
      throw new RangeError(`network.extraDelayUs: must be an integer number of µs >= 0, got ${extraUs}`);
    }
    if (nodes === undefined) {
      this.extraUs = extraUs;
      return;
    }
    for (const n of nodes) {
      checkNode('add-delay.nodes', n, this.nodeCount);
      this.nodeExtraUs[n] = extraUs;
    }
  }

  setBandwidth(node: NodeId, uploadBitsPerSec: number, downloadBitsPerSec: number): void {
    checkNode('set-bandwidth.node', node, this.nodeCount);
    checkBandwidth('set-bandwidth.uploadBitsPerSec', uploadBitsPerSec);
    checkBandwidth('set-bandwidth.downloadBitsPerSec', downloadBitsPerSec);
    this.uploadBps[node] = uploadBitsPerSec;
    this.downloadBps[node] = downloadBitsPerSec;
  }

  /** Adds a grudge (rules are bits in per-node masks: drop iff fromMask[src] & toMask[dst]). */
  addGrudge(g: Grudge): void {
    this.rulesVersion++;
    if (g.kind === 'one-way') {
      const bit = this.takeRuleBit(1);
      for (const n of g.from) {
        checkNode('partition.from', n, this.nodeCount);
        this.fromMask[n] = (this.fromMask[n]! | bit) >>> 0;
      }
      for (const n of g.to) {
        checkNode('partition.to', n, this.nodeCount);
        this.toMask[n] = (this.toMask[n]! | bit) >>> 0;
      }
      return;
    }
    if (g.groups.length < 2) throw new RangeError(`partition.groups: a split needs at least 2 groups, got ${g.groups.length}`);
    const seen = new Set<number>();
    for (const group of g.groups) {
      for (const n of group) {
        checkNode('partition.groups', n, this.nodeCount);
        if (seen.has(n)) throw new RangeError(`partition.groups: node ${n} is in more than one group`);
        seen.add(n);
      }
    }
    // Group i owns bit i: its members may not send to members of any other group.
    const bits = g.groups.map(() => this.takeRuleBit(1));
    g.groups.forEach((group, i) => {
      const bit = bits[i]!;
      for (const n of group) this.fromMask[n] = (this.fromMask[n]! | bit) >>> 0;
      g.groups.forEach((other, j) => {
        if (j === i) return;
        for (const n of other) this.toMask[n] = (this.toMask[n]! | bit) >>> 0;
      });
    });
  }

  /** Removes every grudge. */
  heal(): void {
    this.rulesVersion++;
    this.fromMask.fill(0);
    this.toMask.fill(0);
    this.rulesUsed = 0;
  }

  private takeRuleBit(count: number): number {
    if (this.rulesUsed + count > MAX_GRUDGE_RULES) {
      throw new RangeError(`partition: at most ${MAX_GRUDGE_RULES} grudge rules (split groups + one-way rules) may be active at once`);
    }
    return (1 << this.rulesUsed++) >>> 0;
  }

  blocked(src: NodeId, dst: NodeId): boolean {
    return (this.fromMask[src]! & this.toMask[dst]!) !== 0;
  }

  /**
   * Sender side of one message, at send time. Occupies the sender's uplink
   * from max(readyAt, uplink free); then returns the arrival time at the
   * receiver, or DROP_PARTITION / DROP_LOSS.
   */
  route(src: NodeId, dst: NodeId, sizeBytes: number, readyAt: Micros, rng: RandomStream): number {
    const free = this.uplinkFreeAt[src]!;
    const start = readyAt > free ? readyAt : free;
    const txEnd = start + transmissionUs(sizeBytes, this.uploadBps[src]!);
    this.uplinkFreeAt[src] = txEnd;
    if ((this.fromMask[src]! & this.toMask[dst]!) !== 0) return DROP_PARTITION;
    const loss = this.lossOf(src, dst);
    if (loss > 0 && rng.next() < loss) return DROP_LOSS;
    return txEnd + this.latency.sample(src, dst, rng) + this.extraDelay(src, dst);
  }

  /**
   * After a successful `route`: the arrival time of a network duplicate, or -1.
   * The duplicate left the uplink at the same time (txEnd) and has its own latency draw.
   */
  duplicate(src: NodeId, dst: NodeId, rng: RandomStream): number {
    if (this.dupP === 0 || rng.next() >= this.dupP) return -1;
    return this.uplinkFreeAt[src]! + this.latency.sample(src, dst, rng) + this.extraDelay(src, dst);
  }

  private extraDelay(src: NodeId, dst: NodeId): number {
    const a = this.nodeExtraUs[src]!;
    const b = this.nodeExtraUs[dst]!;
    return this.extraUs + (a > b ? a : b);
  }

  /** Receiver side, at arrival: the time the last byte has come through the downlink. */
  downlink(dst: NodeId, sizeBytes: number, arrivedAt: Micros): Micros {
    const free = this.downlinkFreeAt[dst]!;
    const start = arrivedAt > free ? arrivedAt : free;
    const end = start + transmissionUs(sizeBytes, this.downloadBps[dst]!);
    this.downlinkFreeAt[dst] = end;
    return end;
  }
}

/**
 * The network of a run as every engine builds it: region placement drawn
 * from the run's own placement stream. The simulator and the real node both
 * build it here, so a node sits in the same region on both sides.
 */
export function networkForRun(cfg: NetworkConfig, nodeCount: number, seed: number): Network {
  return new Network(cfg, nodeCount, createStream(seed, RUN_OWNER, 'placement'));
}
