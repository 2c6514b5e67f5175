// TEST HELPERS, used only by src/parallel tests: fixture sweeps and directory snapshots.
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildScenarioTasks, type ScenarioTaskPayload } from '../scenario-tasks.js';
import type { JsonValue, SweepTask } from '../task.js';

export const FIXTURE_DIR = fileURLToPath(new URL('.', import.meta.url));
/** The test-double task module and its exported function. */
export const FIXTURE_WORKER = join(FIXTURE_DIR, 'fixture-task.mjs');
export const FIXTURE_EXPORT = 'runFixtureTask';
export const DRIVER = join(FIXTURE_DIR, 'sweep-driver.mjs');

/** Points p0..p(n-1) with two seeds each; `extra(i)` adds fixture overrides to point i. */
export function fixtureTasks(points: number, extra: (i: number) => Record<string, JsonValue> = () => ({})): SweepTask<ScenarioTaskPayload>[] {
  return buildScenarioTasks({
    scenarioFile: 'experiments/fixture.yaml',
    points: Array.from({ length: points }, (_, i) => ({
      id: `p${i}`,
      overrides: { 'consensus.k': 10 + i, ...extra(i) },
      values: { 'consensus.k': 10 + i },
    })),
    seeds: [1, 2],
  });
}

/** The value the fixture task returns for a task: FNV-1a of `id/seed`. */
export function fixtureValue(id: string, seed: number): number {
  let h = 0x811c9dc5;
  for (const ch of `${id}/${seed}`) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193) >>> 0;
  return h;
}

/** A sorted copy. */
export function sorted(items: readonly string[]): string[] {
  return items.toSorted();
}

export const tempDir = (label: string): string => mkdtempSync(join(tmpdir(), `avsim-${label}-`));

/** Every file under dir (relative path -> contents), for byte comparisons of whole sweep outputs. */
export function readTree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (rel: string) => {
    for (const name of sorted(readdirSync(join(dir, rel)))) {
      const path = rel === '' ? name : `${rel}/${name}`;
      if (statSync(join(dir, path)).isDirectory()) walk(path);
      else out[path] = readFileSync(join(dir, path), 'utf8');
    }
  };
  walk('');
  return out;
}
