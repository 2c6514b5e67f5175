/**
 * A standalone node's own share of the scenario's load: with no harness to send it transactions, the node draws
 * exactly the arrivals the harness would have sent it (src/runner/workload.ts clientSourceFor: its own seeded
 * 'workload' stream, its rank among the honest nodes, the same transaction ids), on its own run clock, signs each
 * one when it is due (real signatures) and submits it to itself. Open loop: arrivals never wait for acceptances.
 */
import type { Micros, NodeId } from '../../consensus/host.js';
import { planRun } from '../../runner/run-scenario.js';
import { clientSourceFor } from '../../runner/workload.js';
import type { Scenario } from '../../scenario/schema.js';
import type { SignedTx } from '../../cluster/crypto/attachments.js';
import { clientKeys, signedTx } from '../../cluster/harness/load-generator.js';
import type { RunClock } from '../../cluster/host/clock.js';

export interface SelfLoadTarget {
  submit(tx: number, intendedUs: Micros, body: SignedTx | undefined): 'submitted' | 'rejected' | 'not-running';
}

export interface SelfLoadStats {
  offered: number;
  submitted: number;
  rejected: number;
  /** Largest lateness of a submission behind its schedule, ms. */
  maxLagMs: number;
}

export class SelfLoad {
  readonly stats: SelfLoadStats = { offered: 0, submitted: 0, rejected: 0, maxLagMs: 0 };
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly node: NodeId,
    private readonly scenario: Scenario,
    private readonly seed: number,
    private readonly realSignatures: boolean,
    private readonly clock: RunClock,
    private readonly target: SelfLoadTarget,
    /** Arrivals before this run time are skipped (a restarted node: they were due while it was down). */
    private readonly fromUs: Micros = 0,
  ) {}

  /** Starts drawing (the clock must be started). Byzantine nodes draw nothing, as in the simulator. */
  start(): void {
    const plan = planRun(this.scenario, this.seed);
    const honest = Array.from({ length: this.scenario.nodes.count }, (_, i) => i).filter((i) => !plan.byzantineSet.has(i));
    const rank = honest.indexOf(this.node);
    if (rank < 0) return;
    const src = clientSourceFor(this.node, rank, honest.length, plan.phases, this.seed, this.scenario.duration, (tx) => tx);
    const keys = this.realSignatures ? clientKeys(this.seed) : [];
    let next = src.next();
    while (next !== undefined && next.at < this.fromUs) next = src.next();
    const tick = (): void => {
      if (this.stopped) return;
      const now = this.clock.nowUs();
      while (next !== undefined && next.at <= now) {
        const key = keys[this.stats.offered % Math.max(1, keys.length)];
        const r = this.target.submit(next.request, next.at, key === undefined ? undefined : signedTx(next.request, key, this.scenario));
        this.stats.offered++;
        if (r === 'submitted') this.stats.submitted++;
        else this.stats.rejected++;
        this.stats.maxLagMs = Math.max(this.stats.maxLagMs, (this.clock.nowUs() - next.at) / 1000);
        next = src.next();
      }
      if (next !== undefined) this.timer = setTimeout(tick, Math.max(0, Math.min(1_000, (next.at - this.clock.nowUs()) / 1000)));
    };
    tick();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
  }
}
