/**
 * Commands whose implementation lives elsewhere and is not wired yet.
 * TODO(lead): `sweep` -> src/parallel runSweepCommand with a worker module that
 * calls resolvePoint(input, point) + runScenario (needs the runner);
 * `check` -> src/gate.
 */
import { NotWiredError } from '../errors.js';

export function notWired(command: string, owner: string): never {
  throw new NotWiredError(`avsim ${command}: not wired yet (${owner})`);
}
