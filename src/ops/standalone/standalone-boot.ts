/**
 * How a standalone node (process config `standalone: true`, as `avsim cluster export` writes for Compose and
 * Kubernetes) starts without a harness: it waits until it is connected to every peer of its config (or
 * `standaloneBootWaitMs` has passed, then it boots with whoever is there), fixes time 0 of its run clock, boots and
 * draws its own share of the seeded load (SelfLoad).
 *
 * Time 0 is kept on the data volume (`run-epoch.json`, wall-clock ms, written atomically at the first boot): a
 * restarted container continues the same run clock, so its load resumes where the schedule is (what was due while it
 * was down is lost, as a crashed node's clients' transactions are in the simulator) instead of replaying the
 * schedule from the start with transaction ids already accepted.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../../report/atomic.js';
import type { Scenario } from '../../scenario/schema.js';
import { monotonicNs, type RunClock } from '../../cluster/host/clock.js';
import type { ProcessConfig } from '../../cluster/node/process-config.js';
import type { RealNode } from '../../cluster/node/real-node.js';
import { SelfLoad } from './self-load.js';

export const EPOCH_FILE = 'run-epoch.json';

export interface StandaloneBootOptions {
  node: RealNode;
  scenario: Scenario;
  cfg: ProcessConfig;
  dataDir: string;
  clock: RunClock;
  log: (text: string) => void;
  boot: () => void;
}

/** The run's time 0 as wall-clock ms: the one on the volume, or now (then recorded). */
export function runEpochUnixMs(dataDir: string, nowUnixMs: number): { unixMs: number; resumed: boolean } {
  const file = join(dataDir, EPOCH_FILE);
  if (existsSync(file)) {
    const v = JSON.parse(readFileSync(file, 'utf8')) as { unixMs?: unknown };
    if (typeof v.unixMs !== 'number' || !Number.isFinite(v.unixMs)) throw new RangeError(`${file}: unixMs: must be a number (the run's time 0)`);
    return { unixMs: v.unixMs, resumed: true };
  }
  writeFileAtomic(file, `${JSON.stringify({ unixMs: nowUnixMs })}\n`);
  return { unixMs: nowUnixMs, resumed: false };
}

export class StandaloneBoot {
  private poll: NodeJS.Timeout | undefined;
  private load: SelfLoad | undefined;

  constructor(private readonly o: StandaloneBootOptions) {}

  start(): void {
    const t0 = Date.now();
    const want = Object.keys(this.o.cfg.peers).filter((id) => Number(id) !== this.o.node.id).length;
    const check = (): void => {
      const have = (this.o.node.status().peers as readonly unknown[]).length;
      const waited = Date.now() - t0;
      if (have < want && waited < this.o.cfg.standaloneBootWaitMs) {
        this.poll = setTimeout(check, 100);
        return;
      }
      this.poll = undefined;
      this.bootNow(have, want, waited);
    };
    check();
  }

  private bootNow(have: number, want: number, waitedMs: number): void {
    const nowUnix = Date.now();
    const nowNs = monotonicNs();
    const epoch = runEpochUnixMs(this.o.dataDir, nowUnix);
    this.o.clock.start(nowNs - BigInt(Math.round((nowUnix - epoch.unixMs) * 1e6)));
    this.o.boot();
    const at = this.o.clock.nowUs();
    this.o.log(
      `node ${this.o.node.id}: standalone boot after ${waitedMs} ms with ${have}/${want} peers connected; run time ${(at / 1e6).toFixed(3)} s (${epoch.resumed ? 'run clock resumed from ' : 'time 0 recorded in '}${EPOCH_FILE})`,
    );
    this.load = new SelfLoad(this.o.node.id, this.o.scenario, this.o.cfg.seed, this.o.cfg.realSignatures, this.o.clock, this.o.node, epoch.resumed ? at : 0);
    this.load.start();
  }

  stop(): void {
    if (this.poll !== undefined) clearTimeout(this.poll);
    this.load?.stop();
  }

  get loadStats(): SelfLoad['stats'] | undefined {
    return this.load?.stats;
  }
}
