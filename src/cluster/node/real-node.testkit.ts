/** Test-only: options of an honest in-process RealNode on 127.0.0.1 (any port, no signatures, no busy work). */
import type { Scenario } from '../../scenario/schema.js';
import type { RunClock } from '../host/clock.js';
import type { RealNodeOptions } from './real-node.js';

export function testNodeOptions(o: { id: number; seed: number; scenario: Scenario; runTag: number; dataDir: string; clock: RunClock; publish?: (line: string) => void }): RealNodeOptions {
  return {
    id: o.id,
    seed: o.seed,
    scenario: o.scenario,
    runTag: o.runTag,
    listenHost: '127.0.0.1',
    port: 0,
    dataDir: o.dataDir,
    realSignatures: false,
    byzantineIds: [],
    byzantine: undefined,
    clock: o.clock,
    publish: o.publish ?? (() => undefined),
    log: () => undefined,
    payCpu: false,
  };
}
