/**
 * Deferred work keyed by the blocks it waits for (AvalancheGo
 * snow/engine/snowman/job/scheduler.go): a job runs once every block it
 * depends on has been either issued to consensus (fulfilled) or given up
 * (abandoned); it learns whether any dependency was abandoned.
 */
import type { BlockId } from '../snowman/block.js';

export interface Job {
  /** Called once, when the last dependency resolves. */
  run(abandonedAny: boolean): void;
}

interface Waiting {
  readonly job: Job;
  remaining: number;
  abandoned: boolean;
}

export class JobScheduler {
  private readonly waiters = new Map<BlockId, Waiting[]>();

  /** Run `job` now if `deps` is empty, else when all of them resolve. */
  schedule(job: Job, deps: readonly BlockId[]): void {
    if (deps.length === 0) {
      job.run(false);
      return;
    }
    const w: Waiting = { job, remaining: deps.length, abandoned: false };
    for (const d of deps) {
      const list = this.waiters.get(d);
      if (list === undefined) this.waiters.set(d, [w]);
      else list.push(w);
    }
  }

  fulfill(id: BlockId): void {
    this.resolve(id, false);
  }

  abandon(id: BlockId): void {
    this.resolve(id, true);
  }

  /** Blocks that jobs are waiting for. */
  get numDependencies(): number {
    return this.waiters.size;
  }

  clear(): void {
    this.waiters.clear();
  }

  private resolve(id: BlockId, abandoned: boolean): void {
    const list = this.waiters.get(id);
    if (list === undefined) return;
    this.waiters.delete(id);
    for (const w of list) {
      if (abandoned) w.abandoned = true;
      w.remaining--;
      if (w.remaining === 0) w.job.run(w.abandoned);
    }
  }
}
