/** Scenario warnings on stderr: the run goes ahead, the user sees what it will do. */
import type { LoadedScenario } from '../scenario/load.js';

export function printWarnings(loaded: Pick<LoadedScenario, 'warnings'>, write: (line: string) => void = (line) => process.stderr.write(`${line}\n`)): void {
  for (const w of loaded.warnings) write(w);
}
