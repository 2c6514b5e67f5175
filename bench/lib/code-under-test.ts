/**
 * The API a benchmark child calls in the tree it measures, loaded from that
 * tree's dist/ by absolute URL. This is the one place that names modules of
 * the code under test: the driver itself imports nothing from this checkout's
 * src/, so a base run loads base code only. The types come from this
 * checkout (type-only imports are erased); when a later refactor moves or
 * changes one of these entry points, teach `load` both layouts so that old
 * baselines stay measurable.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { FinishedRun, RunScenarioOptions } from '../../src/runner/run-scenario.js';
import type { ShardedFinishedRun } from '../../src/parallel/sharded/run-sharded.js';
import type { LoadedScenario } from '../../src/scenario/load.js';
import type { Scenario } from '../../src/scenario/schema.js';
import type { RunSummary } from '../../src/metrics/summary.js';

/** The event queue's surface used by the hold model. */
export interface QueueLike {
  push(time: number, tie: number, seq: number, payload: number): void;
  pop(): number;
  readonly lastTime: number;
}

export interface CodeUnderTest {
  parseScenarioText: (text: string) => LoadedScenario;
  simulate: (scenario: Scenario, options: RunScenarioOptions) => FinishedRun;
  simulateSharded: (scenario: Scenario, options: RunScenarioOptions, workers: number) => Promise<ShardedFinishedRun>;
  summarise: (run: FinishedRun) => RunSummary;
  newQueue: (capacity: number) => QueueLike;
  packTie: (kind: number, dst: number, src: number) => number;
}

async function mod(root: string, path: string): Promise<Record<string, unknown>> {
  const file = join(root, 'dist', path);
  if (!existsSync(file)) throw new Error(`code under test at ${root}: ${path} is missing (not built, or moved: teach bench/lib/code-under-test.ts the new layout)`);
  return (await import(pathToFileURL(file).href)) as Record<string, unknown>;
}

function fn<T>(m: Record<string, unknown>, name: string, path: string): T {
  const f = m[name];
  if (typeof f !== 'function') throw new Error(`code under test: ${path} exports no ${name}`);
  return f as T;
}

export async function load(root: string): Promise<CodeUnderTest> {
  const scenarioLoad = await mod(root, 'src/scenario/load.js');
  const run = await mod(root, 'src/runner/run-scenario.js');
  const sharded = await mod(root, 'src/parallel/sharded/run-sharded.js');
  const summary = await mod(root, 'src/runner/summarise.js');
  const queue = await mod(root, 'src/sim/event-queue.js');
  const EventQueue = fn<new (o: { maxPending: number; initialCapacity: number }) => QueueLike>(queue, 'EventQueue', 'src/sim/event-queue.js');
  return {
    parseScenarioText: fn(scenarioLoad, 'parseScenarioText', 'src/scenario/load.js'),
    simulate: fn(run, 'simulate', 'src/runner/run-scenario.js'),
    simulateSharded: fn(sharded, 'simulateSharded', 'src/parallel/sharded/run-sharded.js'),
    summarise: fn(summary, 'summarise', 'src/runner/summarise.js'),
    newQueue: (capacity) => new EventQueue({ maxPending: capacity, initialCapacity: capacity }),
    packTie: fn(queue, 'packTie', 'src/sim/event-queue.js'),
  };
}
