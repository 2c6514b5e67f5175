/**
 * The set of outstanding polls of one node (AvalancheGo
 * snow/consensus/snowman/poll/set.go): polls keyed by request id, kept in
 * creation order; results are released strictly oldest first, so a finished
 * younger poll waits until every older poll has finished.
 */
import type { Micros, NodeId } from '../host.js';
import type { BlockId } from '../snowman/block.js';
import type { RequestId } from './messages.js';
import { Poll, type EarlyTermConfig, type TerminationReason } from './poll.js';

export interface FinishedPoll {
  readonly requestId: RequestId;
  readonly votes: ReadonlyMap<BlockId, number>;
  readonly reason: TerminationReason;
  /** Slots of the sample (K). */
  readonly sampleSize: number;
  /** Slots that answered with a votable block. */
  readonly receivedSlots: number;
  readonly startedAt: Micros;
}

/** Returned when nothing was released (shared: callers only read it). */
const NONE: readonly FinishedPoll[] = Object.freeze([]);

/** Hard cap on polls one node keeps open; beyond it `add` refuses. */
export const MAX_OPEN_POLLS = 4_096;

interface Entry {
  readonly poll: Poll;
  readonly startedAt: Micros;
}

export class PollSet {
  /** Insertion order = creation order; request ids only grow. */
  private readonly polls = new Map<RequestId, Entry>();

  constructor(private readonly cfg: EarlyTermConfig) {}

  get size(): number {
    return this.polls.size;
  }

  has(requestId: RequestId): boolean {
    return this.polls.has(requestId);
  }

  /** Register a poll; false on a duplicate request id or when full. */
  add(requestId: RequestId, slots: readonly NodeId[], now: Micros): boolean {
    if (this.polls.has(requestId) || this.polls.size >= MAX_OPEN_POLLS) return false;
    this.polls.set(requestId, { poll: new Poll(this.cfg, slots), startedAt: now });
    return true;
  }

  /** Validators of a poll still expected to answer. */
  outstanding(requestId: RequestId): NodeId[] {
    return this.polls.get(requestId)?.poll.outstanding() ?? [];
  }

  isOutstanding(requestId: RequestId, vdr: NodeId): boolean {
    return this.polls.get(requestId)?.poll.isOutstanding(vdr) ?? false;
  }

  /** Record a vote; returns the polls (oldest first) whose results are now released. */
  vote(requestId: RequestId, vdr: NodeId, block: BlockId): readonly FinishedPoll[] {
    const e = this.polls.get(requestId);
    if (e === undefined) return NONE;
    e.poll.vote(vdr, block);
    return e.poll.finished() ? this.releaseFinished() : NONE;
  }

  /** Record that vdr will not answer; returns released polls as `vote` does. */
  drop(requestId: RequestId, vdr: NodeId): readonly FinishedPoll[] {
    const e = this.polls.get(requestId);
    if (e === undefined) return NONE;
    e.poll.drop(vdr);
    return e.poll.finished() ? this.releaseFinished() : NONE;
  }

  /** Forget every poll (crash). */
  clear(): void {
    this.polls.clear();
  }

  private releaseFinished(): FinishedPoll[] {
    const out: FinishedPoll[] = [];
    for (const [requestId, e] of this.polls) {
      // Polls re-check finished() here: a vote graph change may settle them.
      if (!e.poll.finished()) break;
      out.push({
        requestId,
        votes: e.poll.result(),
        reason: e.poll.terminationReason()!,
        sampleSize: e.poll.size,
        receivedSlots: e.poll.receivedSlots(),
        startedAt: e.startedAt,
      });
      this.polls.delete(requestId);
    }
    return out;
  }
}
