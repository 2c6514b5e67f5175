/**
 * Seeded random streams. Every stream is derived from (run seed, owner id,
 * purpose), so a node's draws depend only on its own history, never on the
 * order in which other nodes are processed or on how nodes are sharded.
 */
import seedrandom from 'seedrandom';

/** Owner id used for streams that belong to the run rather than to one node. */
export const RUN_OWNER = -1;

/** Names of the purposes a stream can serve; one stream per (owner, purpose). */
export type StreamPurpose =
  | 'network'    // latency, loss, duplication draws of a sender
  | 'consensus'  // K-sampling and protocol choices of a node
  | 'workload'   // transaction arrivals submitted to a node
  | 'byzantine'  // choices of a Byzantine strategy running on a node
  | 'faults'     // fault-timeline node selection (run-owned)
  | 'placement'  // region assignment (run-owned); also Byzantine selection in runs without regions (src/runner/byzantine-assignment.ts)
  | 'byzantine-selection'; // which nodes are Byzantine, in runs that also place nodes in regions (run-owned)

export interface RandomStream {
  /** Uniform double in [0, 1). */
  next(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
}

class AleaStream implements RandomStream {
  private readonly prng: seedrandom.PRNG;
  constructor(key: string) {
    // alea: fast, good statistical quality, fully determined by its key.
    this.prng = seedrandom.alea(key);
  }
  next(): number {
    return this.prng();
  }
  int(n: number): number {
    return Math.floor(this.prng() * n);
  }
}

export function streamKey(runSeed: number, owner: number, purpose: StreamPurpose): string {
  return `avsim/${runSeed}/${owner}/${purpose}`;
}

export function createStream(runSeed: number, owner: number, purpose: StreamPurpose): RandomStream {
  return new AleaStream(streamKey(runSeed, owner, purpose));
}

/**
 * The stream of one directed link src -> dst (the real transport samples each
 * link's latency and loss from its own stream, so a link's draws do not
 * depend on the traffic on other links).
 */
export function createLinkStream(runSeed: number, src: number, dst: number): RandomStream {
  return new AleaStream(`avsim/${runSeed}/${src}->${dst}/link`);
}
