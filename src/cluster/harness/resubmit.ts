/**
 * What a real client does about a transaction it sent and has not seen
 * accepted: it sends it again, with the same id, to another node. A node's
 * mempool is not persisted (as in AvalancheGo), so a transaction a node took
 * in the last moments before a SIGKILL, before gossiping it, is gone with the
 * node; without a resubmission nobody ever decides it.
 *
 * The load generator tells this book what each node took (`sent`), the
 * harness what any node reported accepted (`accepted`, from the nodes' event
 * streams); `due` names the transactions to send again: those whose node died
 * since (its process generation changed or is gone), at once, and those not
 * seen accepted within `afterUs` of their last sending. Each goes to the next
 * live honest node after the one it last went to (same id: a node that has it
 * already ignores it as a duplicate), at most `maxAttempts` times.
 */
import type { Micros, NodeId } from '../../consensus/host.js';
import type { Scenario } from '../../scenario/schema.js';

/** Accepted transaction ids remembered (the oldest go first). */
const REMEMBER_ACCEPTED = 100_000;

export interface ResubmitPolicy {
  /** Resend a transaction not seen accepted this long after its last sending. */
  readonly afterUs: Micros;
  /** Most resubmissions of one transaction. */
  readonly maxAttempts: number;
}

/**
 * The cluster harness's client: resend after half the scenario's liveness bound (a transaction decided within the
 * bound is never late because of its first node), at most 3 times.
 */
export function resubmitPolicyOf(scenario: Scenario): ResubmitPolicy {
  return { afterUs: Math.floor(scenario.measurement.livenessBound / 2), maxAttempts: 3 };
}

/** A node's process generation (its pid), undefined while it is down. */
export type GenerationOf = (node: NodeId) => number | undefined;

interface Outstanding {
  node: NodeId;
  generation: number | undefined;
  sentUs: Micros;
  attempts: number;
}

export interface Resubmission<T> {
  readonly item: T;
  readonly node: NodeId;
}

export class ResubmitBook<T extends { readonly tx: number }> {
  private readonly open = new Map<number, { item: T; at: Outstanding }>();
  /** Transactions sent again (each resending counts). */
  resubmitted = 0;

  constructor(
    private readonly policy: ResubmitPolicy,
    /** The honest nodes, in order (the candidates to resend to). */
    private readonly nodes: readonly NodeId[],
    private readonly generationOf: GenerationOf,
  ) {}

  /** `node` took `item` (its submit request was answered). */
  sent(item: T, node: NodeId, nowUs: Micros): void {
    if (this.accepted.has(item.tx)) return;
    const prev = this.open.get(item.tx);
    this.open.set(item.tx, { item, at: { node, generation: this.generationOf(node), sentUs: nowUs, attempts: prev?.at.attempts ?? 0 } });
  }

  /** Recently accepted transactions (an acceptance may be seen before the submit request's answer). */
  private readonly accepted = new Set<number>();

  /** Some node reported `tx` accepted: it is decided, never resent. */
  acceptedTx(tx: number): void {
    this.open.delete(tx);
    this.accepted.add(tx);
    if (this.accepted.size > REMEMBER_ACCEPTED) {
      const oldest = this.accepted.values().next().value;
      if (oldest !== undefined) this.accepted.delete(oldest);
    }
  }

  get outstanding(): number {
    return this.open.size;
  }

  /** The transactions to send again now, each with the node to send it to. */
  due(nowUs: Micros): Resubmission<T>[] {
    const out: Resubmission<T>[] = [];
    for (const [tx, o] of this.open) {
      const died = this.generationOf(o.at.node) !== o.at.generation;
      if (!died && nowUs - o.at.sentUs < this.policy.afterUs) continue;
      if (o.at.attempts >= this.policy.maxAttempts) {
        this.open.delete(tx);
        continue;
      }
      const to = this.nextLive(o.at.node);
      if (to === undefined) continue; // nobody up: try again at the next sweep
      o.at.attempts++;
      this.resubmitted++;
      // Counted as sent now; `sent` refreshes it when the node answers.
      o.at = { node: to, generation: this.generationOf(to), sentUs: nowUs, attempts: o.at.attempts };
      out.push({ item: o.item, node: to });
    }
    return out;
  }

  private nextLive(from: NodeId): NodeId | undefined {
    const i = this.nodes.indexOf(from);
    for (let k = 1; k <= this.nodes.length; k++) {
      const n = this.nodes[(i + k) % this.nodes.length]!;
      if (n !== from && this.generationOf(n) !== undefined) return n;
    }
    return undefined;
  }
}
