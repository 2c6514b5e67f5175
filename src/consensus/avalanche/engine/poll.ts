/**
 * Polls of the DAG engine (AvalancheGo snow/consensus/avalanche/poll:
 * early_term_no_traversal.go and set.go).
 *
 * A poll samples K slots; a validator that filled several slots answers once
 * and its answer fills each of its slots. Each slot's answer is the list of
 * vertices it votes for. A poll finishes when
 *   - every slot has answered (or was dropped), or
 *   - no vertex can still reach Alpha: with `pending` slots unanswered, the
 *     slots that voted only for vertices below Alpha plus `pending` are fewer
 *     than Alpha (AvalancheGo assumes, to avoid a DAG traversal, that every
 *     such vote lands on one shared ancestor).
 * Results are released strictly oldest first.
 */
import type { Micros, NodeId } from '../../host.js';
import type { PollResponses } from '../consensus.js';
import type { VertexId } from '../vertex.js';
import type { RequestId } from './messages.js';

const NO_VOTES: readonly VertexId[] = Object.freeze([]);

interface Answer {
  readonly slots: number;
  /** The distinct vertices it names, as indexes into the poll's counts. */
  readonly idx: number[];
  /** Every vertex before this position has reached alpha (counts only grow, so it only moves forward). */
  pos: number;
}

export class DagPoll {
  /** Validator -> slots still waiting for its answer. */
  private readonly waiting = new Map<NodeId, number>();
  private readonly slots: (readonly VertexId[])[] = [];
  /** Distinct answers with the slots each fills (a validator's answer fills all its slots). */
  private readonly answers: Answer[] = [];
  /** Vertex -> index into counts/marks (flat arrays: no object per vertex and poll). */
  private readonly index = new Map<VertexId, number>();
  /** Slots that voted for each vertex. */
  private readonly counts: number[] = [];
  /** Last answer naming each vertex (an answer naming it twice counts once). */
  private readonly marks: number[] = [];
  private pendingSlots: number;
  private answeredSlots = 0;

  constructor(
    private readonly alpha: number,
    sample: readonly NodeId[],
  ) {
    for (const v of sample) this.waiting.set(v, (this.waiting.get(v) ?? 0) + 1);
    this.pendingSlots = sample.length;
  }

  get sampleSize(): number {
    return this.slots.length + this.pendingSlots;
  }

  isOutstanding(vdr: NodeId): boolean {
    return this.waiting.has(vdr);
  }

  /** Validators that have not answered, ascending. */
  outstanding(): NodeId[] {
    return [...this.waiting.keys()].toSorted((a, b) => a - b);
  }

  /** Records vdr's answer in each of its slots (ignored if vdr was not asked or already answered). */
  vote(vdr: NodeId, votes: readonly VertexId[]): void {
    const n = this.waiting.get(vdr);
    if (n === undefined) return;
    this.waiting.delete(vdr);
    this.pendingSlots -= n;
    for (let i = 0; i < n; i++) this.slots.push(votes);
    if (votes.length === 0) return;
    this.answeredSlots += n;
    const { index, counts, marks } = this;
    const ai = this.answers.length;
    const idx: number[] = [];
    for (const id of votes) {
      let i = index.get(id);
      if (i === undefined) {
        i = counts.length;
        index.set(id, i);
        counts.push(0);
        marks.push(-1);
      } else if (marks[i] === ai) {
        continue;
      }
      marks[i] = ai;
      counts[i]! += n;
      idx.push(i);
    }
    this.answers.push({ slots: n, idx, pos: 0 });
  }

  drop(vdr: NodeId): void {
    this.vote(vdr, NO_VOTES);
  }

  /** Slots whose answer named at least one vertex. */
  receivedSlots(): number {
    return this.answeredSlots;
  }

  /**
   * AvalancheGo's Finished(): done when nothing is pending, or when (more
   * pending than alpha aside) the slots that voted for some vertex below
   * alpha (partialVotes) and the pending ones could not bring one shared
   * ancestor to alpha. Each answer keeps a cursor past its vertices that
   * reached alpha, so the scan costs O(answers) per call plus O(votes) per
   * poll, not O(votes) per call.
   */
  finished(): boolean {
    const pending = this.pendingSlots;
    if (pending === 0) return true;
    const alpha = this.alpha;
    if (pending > alpha) return false;
    const counts = this.counts;
    let partial = 0;
    for (const a of this.answers) {
      const idx = a.idx;
      let pos = a.pos;
      while (pos < idx.length && counts[idx[pos]!]! >= alpha) pos++;
      a.pos = pos;
      if (pos < idx.length) {
        partial += a.slots;
        if (partial + pending >= alpha) return false;
      }
    }
    return partial + pending < alpha;
  }

  /** One entry per answered slot (dropped slots answer nothing). */
  result(): PollResponses {
    return this.slots;
  }
}

export interface FinishedDagPoll {
  readonly requestId: RequestId;
  readonly responses: PollResponses;
  readonly sampleSize: number;
  readonly receivedSlots: number;
  readonly startedAt: Micros;
}

const NONE: readonly FinishedDagPoll[] = Object.freeze([]);

/** Hard cap on polls one node keeps open; beyond it `add` refuses. */
export const MAX_OPEN_DAG_POLLS = 4_096;

interface Entry {
  readonly poll: DagPoll;
  readonly startedAt: Micros;
}

export class DagPollSet {
  /** Insertion order = creation order; request ids only grow. */
  private readonly polls = new Map<RequestId, Entry>();

  constructor(private readonly alpha: number) {}

  get size(): number {
    return this.polls.size;
  }

  /** Registers a poll; false on a duplicate request id or when full. */
  add(requestId: RequestId, sample: readonly NodeId[], now: Micros): boolean {
    if (this.polls.has(requestId) || this.polls.size >= MAX_OPEN_DAG_POLLS) return false;
    this.polls.set(requestId, { poll: new DagPoll(this.alpha, sample), startedAt: now });
    return true;
  }

  isOutstanding(requestId: RequestId, vdr: NodeId): boolean {
    return this.polls.get(requestId)?.poll.isOutstanding(vdr) ?? false;
  }

  outstanding(requestId: RequestId): NodeId[] {
    return this.polls.get(requestId)?.poll.outstanding() ?? [];
  }

  /** Records vdr's votes; returns the polls (oldest first) released by it. */
  vote(requestId: RequestId, vdr: NodeId, votes: readonly VertexId[]): readonly FinishedDagPoll[] {
    const e = this.polls.get(requestId);
    if (e === undefined) return NONE;
    e.poll.vote(vdr, votes);
    return e.poll.finished() ? this.releaseFinished() : NONE;
  }

  drop(requestId: RequestId, vdr: NodeId): readonly FinishedDagPoll[] {
    return this.vote(requestId, vdr, NO_VOTES);
  }

  clear(): void {
    this.polls.clear();
  }

  private releaseFinished(): FinishedDagPoll[] {
    const out: FinishedDagPoll[] = [];
    for (const [requestId, e] of this.polls) {
      if (!e.poll.finished()) break;
      out.push({
        requestId,
        responses: e.poll.result(),
        sampleSize: e.poll.sampleSize,
        receivedSlots: e.poll.receivedSlots(),
        startedAt: e.startedAt,
      });
      this.polls.delete(requestId);
    }
    return out;
  }
}
