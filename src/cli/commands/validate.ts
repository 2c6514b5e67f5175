/** `avsim validate FILE`: load and validate only; prints what the file asks for. */
import { loadScenarioFile } from '../../scenario/load.js';
import { expandSweep } from '../../scenario/sweep.js';
import { formatDuration } from '../../scenario/duration.js';
import { printWarnings } from '../warnings.js';

export function validateCommand(file: string, opts: { set?: string[] }): number {
  const loaded = loadScenarioFile(file, { sets: opts.set ?? [] });
  const { scenario } = loaded;
  printWarnings(loaded);
  const points = expandSweep(scenario).length;
  process.stdout.write(
    `${file}: ok — ${scenario.name}: ${scenario.nodes.count} nodes, ${formatDuration(scenario.duration)}, ${scenario.seeds.length} seed(s), ${points} sweep point(s), ${scenario.faults.length} fault(s), ${scenario.checks.length} check(s)\n`,
  );
  return 0;
}
