/**
 * The scenario's fault timeline applied for real, at the same offsets as in
 * the simulator (the same src/runner/fault-timeline.ts plan, so the same
 * nodes for the same seed): crash = SIGKILL of the node's process, restart =
 * respawn on the same data directory, pause = SIGSTOP and, `for` later,
 * SIGCONT; partition, heal, loss, duplication and added delay become
 * transport rules sent to every node. What was planned and when it really
 * happened are both recorded: a real run is not bit-reproducible.
 */
import type { Micros, NodeId } from '../../consensus/host.js';
import type { TimedFault } from '../../runner/fault-timeline.js';
import type { Fault } from '../../sim/types.js';
import type { RunClock } from '../host/clock.js';

export interface RealisedFault {
  kind: Fault['kind'];
  nodes: NodeId[];
  plannedUs: Micros;
  startedUs: Micros;
  doneUs: Micros;
  /** 'ok', 'skipped: ...' (as the simulator ignores it: a restart of a running node) or 'failed: ...'. */
  outcome: string;
}

/** What the driver needs of the cluster. */
export interface ClusterActions {
  kill(node: NodeId): Promise<'ok' | string>;
  restart(node: NodeId): Promise<'ok' | string>;
  pause(node: NodeId): Promise<'ok' | string>;
  resume(node: NodeId): Promise<'ok' | string>;
  /** A network rule to every node that is up (and remembered for nodes that come back). */
  network(rule: Fault): Promise<'ok' | string>;
}

function nodesOf(f: Fault): NodeId[] {
  switch (f.kind) {
    case 'crash':
    case 'restart':
    case 'pause':
    case 'set-bandwidth':
      return [f.node];
    case 'set-loss':
    case 'add-delay':
      return f.nodes === undefined ? [] : [...f.nodes];
    case 'partition':
      return f.grudge.kind === 'split' ? f.grudge.groups[0]?.slice() ?? [] : [...f.grudge.from];
    default:
      return [];
  }
}

export class FaultDriver {
  readonly realised: RealisedFault[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly running = new Set<Promise<void>>();
  /** Per node, the process action (kill, respawn, pause, resume) in progress: the next one waits for it. */
  private readonly nodeBusy = new Map<NodeId, Promise<unknown>>();
  private stopped = false;

  constructor(
    private readonly faults: readonly TimedFault[],
    private readonly clock: RunClock,
    private readonly actions: ClusterActions,
    private readonly onDone?: (f: RealisedFault) => void,
  ) {}

  start(): void {
    // Stable by time: faults at one instant apply in timeline order, as in the simulator.
    const order = this.faults.map((f, i) => ({ f, i })).toSorted((a, b) => a.f.atUs - b.f.atUs || a.i - b.i);
    for (const { f } of order) this.schedule(f.atUs, () => this.apply(f.atUs, f.fault));
  }

  private schedule(atUs: Micros, run: () => Promise<void>): void {
    if (this.stopped) return;
    const t = setTimeout(() => {
      this.timers.delete(t);
      if (this.stopped) return;
      const p = run().finally(() => this.running.delete(p));
      this.running.add(p);
    }, this.clock.msUntil(atUs));
    this.timers.add(t);
  }

  /**
   * Runs a process action on `node` once the previous one has finished, and
   * says when it really started. A respawn takes a second or more here, where
   * the simulator's restart is instantaneous: a kill planned while the node is
   * still coming back kills it once it is up (in the simulator it would kill
   * the restarted node), and a restart planned while its kill is still in
   * progress respawns it right after, so a realised kill window never closes
   * before it opened and no planned restart is lost.
   */
  private async inOrder(node: NodeId, action: () => Promise<string>): Promise<{ startedUs: Micros; doneUs: Micros; outcome: string }> {
    const before = this.nodeBusy.get(node) ?? Promise.resolve();
    const run = before.then(async () => {
      const startedUs = this.clock.nowUs();
      const outcome = await action();
      return { startedUs, doneUs: this.clock.nowUs(), outcome };
    });
    const settled = run.catch(() => undefined);
    this.nodeBusy.set(node, settled);
    void settled.then(() => {
      if (this.nodeBusy.get(node) === settled) this.nodeBusy.delete(node);
    });
    return run;
  }

  private async apply(plannedUs: Micros, f: Fault): Promise<void> {
    let startedUs = this.clock.nowUs();
    let doneUs: Micros | undefined;
    let outcome: string;
    try {
      switch (f.kind) {
        case 'crash':
          ({ startedUs, doneUs, outcome } = await this.inOrder(f.node, () => this.actions.kill(f.node)));
          break;
        case 'restart':
          ({ startedUs, doneUs, outcome } = await this.inOrder(f.node, () => this.actions.restart(f.node)));
          break;
        case 'pause':
          ({ startedUs, doneUs, outcome } = await this.inOrder(f.node, () => this.actions.pause(f.node)));
          if (outcome === 'ok') {
            const node = f.node;
            this.schedule(plannedUs + f.durationUs, async () => {
              const r = await this.inOrder(node, () => this.actions.resume(node));
              this.record({ kind: 'pause', nodes: [node], plannedUs: plannedUs + f.durationUs, startedUs: r.startedUs, doneUs: r.doneUs, outcome: r.outcome === 'ok' ? 'ok (resumed)' : r.outcome });
            });
          }
          break;
        case 'set-bandwidth':
          outcome = 'failed: set-bandwidth is not applied by the real side';
          break;
        default:
          outcome = await this.actions.network(f);
      }
    } catch (e) {
      outcome = `failed: ${e instanceof Error ? e.message : String(e)}`;
    }
    this.record({ kind: f.kind, nodes: nodesOf(f), plannedUs, startedUs, doneUs: doneUs ?? this.clock.nowUs(), outcome });
  }

  private record(r: RealisedFault): void {
    this.realised.push(r);
    this.onDone?.(r);
  }

  /** Cancels what has not started; waits for what has. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    await Promise.allSettled(this.running);
  }
}
