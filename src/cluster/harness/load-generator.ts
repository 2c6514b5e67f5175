/**
 * The open-loop load generator: the very arrival schedule the simulator
 * draws for this scenario and seed (src/runner/workload.ts clientSourceFor:
 * honest nodes only, the offered load split evenly, each node's own seeded
 * 'workload' stream, the same transaction ids), submitted to each node's
 * control API at its time. Arrivals never wait for acceptances; a node that
 * is busy answering holds back only its own next batch (at most one request
 * in flight per node), and a node that is down loses the transactions meant
 * for it, as a crashed node does in the simulator. With a resubmit policy the
 * generator is a client that sends again, with the same id, what a node took
 * and did not get accepted (resubmit.ts): at once when that node died, else
 * after the policy's bound.
 */
import type { NodeId } from '../../consensus/host.js';
import type { Scenario } from '../../scenario/schema.js';
import { clientSourceFor } from '../../runner/workload.js';
import type { LoadPhase } from '../../workload/arrivals.js';
import type { Micros } from '../../consensus/host.js';
import { ML_DSA_65_PUBLIC_KEY_BYTES, ML_DSA_65_SIGNATURE_BYTES } from '../../consensus/engine/messages.js';
import { txPayload, type SignedTx } from '../crypto/attachments.js';
import { deriveKeyPair, sign, type KeyPair } from '../crypto/ml-dsa.js';
import { signedTxToJson, type SignedTxJson } from '../crypto/tx-json.js';
import type { RunClock } from '../host/clock.js';
import { ResubmitBook, type GenerationOf, type ResubmitPolicy } from './resubmit.js';

export interface Arrival {
  readonly at: Micros;
  readonly node: NodeId;
  readonly tx: number;
  body?: SignedTxJson;
}

/** Client keys the load generator signs with (transactions carry their public key). */
const CLIENT_KEYS = 4;

/** Every arrival of the run, in time order (ties by node). */
export function arrivalsOf(scenario: Scenario, seed: number, phases: readonly LoadPhase[], byzantine: ReadonlySet<NodeId>): Arrival[] {
  const n = scenario.nodes.count;
  const honest = Array.from({ length: n }, (_, i) => i).filter((i) => !byzantine.has(i));
  const out: Arrival[] = [];
  honest.forEach((node, rank) => {
    const src = clientSourceFor(node, rank, honest.length, phases, seed, scenario.duration, (tx) => tx);
    for (let a = src.next(); a !== undefined; a = src.next()) out.push({ at: a.at, node, tx: a.request });
  });
  return out.toSorted((a, b) => a.at - b.at || a.node - b.node);
}

/** The run's client keys (transactions carry their public key). */
export function clientKeys(seed: number): KeyPair[] {
  return Array.from({ length: CLIENT_KEYS }, (_, k) => deriveKeyPair(seed, k, 'client'));
}

/** One client transaction of the scenario's size, signed with ML-DSA-65 (~10 ms here). */
export function signedTx(tx: number, key: KeyPair, scenario: Scenario): SignedTx {
  const payload = txPayload(tx, scenario.workload.txBytes - ML_DSA_65_SIGNATURE_BYTES - ML_DSA_65_PUBLIC_KEY_BYTES);
  return { id: tx, payload, publicKey: key.publicKey, signature: sign(payload, key.secretKey) };
}

/** Signs every arrival's transaction with ML-DSA-65 (before the run: signing costs ~10 ms each here). */
export function signArrivals(arrivals: Arrival[], scenario: Scenario, seed: number, onProgress?: (done: number) => void): void {
  const keys = clientKeys(seed);
  arrivals.forEach((a, i) => {
    a.body = signedTxToJson(signedTx(a.tx, keys[i % CLIENT_KEYS]!, scenario));
    if (onProgress !== undefined && i % 50 === 49) onProgress(i + 1);
  });
}

export interface LoadStats {
  offered: number;
  /** The node took it into its mempool path (resubmissions included). */
  submitted: number;
  /** The node refused it (bad signature; not running yet). */
  rejected: number;
  /** The node could not be reached (killed, restarting). */
  unreachable: number;
  /** Sent again to another node, same id (its node died, or it was not accepted within the bound). */
  resubmitted: number;
}

export type Submitter = (node: NodeId, batch: ReadonlyArray<{ id: number; intendedUs: Micros; body?: SignedTxJson }>) => Promise<{ submitted: number; rejected: number }>;

/** Transactions due within this much of now go in the same batch. */
const BATCH_SLACK_US = 1_000;
/** How often the generator looks for transactions to send again. */
const RESUBMIT_SWEEP_MS = 500;

export interface Resubmitting {
  readonly policy: ResubmitPolicy;
  /** A node's process generation (pid), undefined while it is down. */
  readonly generationOf: GenerationOf;
}

export class LoadGenerator {
  readonly stats: LoadStats = { offered: 0, submitted: 0, rejected: 0, unreachable: 0, resubmitted: 0 };
  private next = 0;
  private timer: NodeJS.Timeout | undefined;
  private sweeper: NodeJS.Timeout | undefined;
  private readonly book: ResubmitBook<Arrival> | undefined;
  private stopped = false;
  private readonly waiting = new Map<NodeId, Arrival[]>();
  private readonly inFlight = new Set<NodeId>();
  private readonly pending = new Set<Promise<void>>();

  constructor(
    private readonly arrivals: readonly Arrival[],
    private readonly clock: RunClock,
    private readonly submit: Submitter,
    resubmit?: Resubmitting,
  ) {
    if (resubmit !== undefined) {
      const nodes = [...new Set(arrivals.map((a) => a.node))].toSorted((a, b) => a - b);
      this.book = new ResubmitBook<Arrival>(resubmit.policy, nodes, resubmit.generationOf);
    }
  }

  start(): void {
    this.arm();
    if (this.book !== undefined) this.sweeper = setInterval(() => this.sweep(), RESUBMIT_SWEEP_MS);
  }

  /** Stops submitting; resolves when requests in flight have answered. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    if (this.sweeper !== undefined) clearInterval(this.sweeper);
    await Promise.allSettled(this.pending);
  }

  /** A node reported `tx` accepted (client-observed): it is not sent again. */
  accepted(tx: number): void {
    this.book?.acceptedTx(tx);
  }

  /** Transactions taken by a node and not yet seen accepted (0 without a resubmit policy). */
  get outstanding(): number {
    return this.book?.outstanding ?? 0;
  }

  /** Queues what is due to be sent again (every RESUBMIT_SWEEP_MS; public for tests). */
  sweep(): void {
    if (this.book === undefined || this.stopped) return;
    const touched = new Set<NodeId>();
    for (const r of this.book.due(this.clock.nowUs())) {
      this.stats.resubmitted++;
      this.queue(r.node).push(r.item);
      touched.add(r.node);
    }
    for (const node of touched) this.flush(node);
  }

  private queue(node: NodeId): Arrival[] {
    let q = this.waiting.get(node);
    if (q === undefined) {
      q = [];
      this.waiting.set(node, q);
    }
    return q;
  }

  private arm(): void {
    if (this.stopped) return;
    const a = this.arrivals[this.next];
    if (a === undefined) return;
    this.timer = setTimeout(() => this.tick(), this.clock.msUntil(a.at));
  }

  private tick(): void {
    this.timer = undefined;
    const limit = this.clock.nowUs() + BATCH_SLACK_US;
    const touched = new Set<NodeId>();
    while (this.next < this.arrivals.length && this.arrivals[this.next]!.at <= limit) {
      const a = this.arrivals[this.next++]!;
      this.stats.offered++;
      this.queue(a.node).push(a);
      touched.add(a.node);
    }
    for (const node of touched) this.flush(node);
    this.arm();
  }

  private flush(node: NodeId): void {
    if (this.stopped || this.inFlight.has(node)) return;
    const q = this.waiting.get(node);
    if (q === undefined || q.length === 0) return;
    this.waiting.set(node, []);
    this.inFlight.add(node);
    const batch = q.map((a) => (a.body === undefined ? { id: a.tx, intendedUs: a.at } : { id: a.tx, intendedUs: a.at, body: a.body }));
    const p = this.submit(node, batch)
      .then(
        (r) => {
          this.stats.submitted += r.submitted;
          this.stats.rejected += r.rejected;
          const now = this.clock.nowUs();
          if (this.book !== undefined) for (const a of q) this.book.sent(a, node, now);
        },
        () => {
          this.stats.unreachable += batch.length;
        },
      )
      .finally(() => {
        this.inFlight.delete(node);
        this.pending.delete(p);
        this.flush(node);
      });
    this.pending.add(p);
  }
}
