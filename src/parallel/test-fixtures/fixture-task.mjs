// TEST DOUBLE, used only by src/parallel tests: a tiny deterministic task in
// place of the simulator, so sweep mechanics can be tested in milliseconds.
// It reads its behaviour from the task's overrides:
//   fixture.delayMs  wait this long before answering (so a sweep can be killed mid-way)
//   fixture.mode     'ok' (default) | 'throw' | 'exit' (process.exit inside the worker) | 'hang' (never answers:
//                    blocks until its worker is terminated) | 'oom'
//   fixture.failIfExists  throw while this file exists (a failure that a later resume can fix)

import { existsSync } from 'node:fs';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export async function runFixtureTask(task) {
  const overrides = task.payload.overrides ?? {};
  const delayMs = Number(overrides['fixture.delayMs'] ?? 0);
  const mode = overrides['fixture.mode'] ?? 'ok';
  if (delayMs > 0) await sleep(delayMs);
  const failIfExists = overrides['fixture.failIfExists'];
  if (typeof failIfExists === 'string' && existsSync(failIfExists)) throw new Error(`fixture task ${task.id}: ${failIfExists} exists`);
  if (mode === 'throw') throw new Error(`fixture task ${task.id} throws on purpose`);
  if (mode === 'exit') process.exit(3);
  if (mode === 'hang') await new Promise(() => {}); // settles never: only a terminated worker ends it
  if (mode === 'oom') {
    const hoard = [];
    for (;;) hoard.push(Array.from({ length: 100_000 }, () => ({ n: hoard.length })));
  }
  // FNV-1a over id and seed: a value that only depends on the task.
  let h = 0x811c9dc5;
  for (const ch of `${task.id}/${task.seed}`) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193) >>> 0;
  return { id: task.id, seed: task.seed, point: task.point, value: h };
}

export const notAFunction = 42;
