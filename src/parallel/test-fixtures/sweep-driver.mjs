// TEST DRIVER, used only by src/parallel tests: runs a fixture sweep in a child
// process (through the compiled dist/ build) so tests can SIGKILL or SIGINT it.
// Usage: node sweep-driver.mjs OUT_DIR POINTS DELAY_MS WORKERS [--resume]
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const here = dirname(fileURLToPath(import.meta.url));
const { buildScenarioTasks, runSweepCommand } = await import(join(here, '../../../dist/src/parallel/index.js'));

const [outDir, points, delayMs, workers] = process.argv.slice(2);
const tasks = buildScenarioTasks({
  scenarioFile: 'experiments/fixture.yaml',
  points: Array.from({ length: Number(points) }, (_, i) => ({
    id: `p${i}`,
    overrides: { 'consensus.k': 10 + i, 'fixture.delayMs': Number(delayMs) },
    values: { 'consensus.k': 10 + i },
  })),
  seeds: [1, 2],
});
const { exitCode } = await runSweepCommand(
  {
    tasks,
    workerModule: join(here, 'fixture-task.mjs'),
    workerExport: 'runFixtureTask',
    outDir,
    workers: Number(workers),
    resume: process.argv.includes('--resume'),
    progress: false,
  },
  (line) => process.stdout.write(`${line}\n`),
);
process.exitCode = exitCode;
