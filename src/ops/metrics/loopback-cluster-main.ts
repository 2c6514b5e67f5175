/**
 * `node dist/src/ops/metrics/loopback-cluster-main.js SCENARIO --targets DIR --run-id ID [--seed N] [--linger S]`:
 * runs the loopback cluster (loopback-cluster.ts) as its own process,
 * registers its /metrics endpoints in DIR (file_sd), prints one JSON line
 * when it listens, runs for the scenario's duration plus --linger seconds
 * (so a scraper sees the end), and stops on SIGTERM/SIGINT too.
 */
import { parseArgs } from 'node:util';
import { loadScenarioFile } from '../../scenario/load.js';
import { startLoopbackCluster } from './loopback-cluster.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { targets: { type: 'string' }, 'run-id': { type: 'string' }, seed: { type: 'string', default: '1' }, linger: { type: 'string', default: '0' } },
});
const file = positionals[0];
if (file === undefined || values.targets === undefined || values['run-id'] === undefined) {
  process.stderr.write('usage: loopback-cluster-main SCENARIO --targets DIR --run-id ID [--seed N] [--linger S]\n');
  process.exit(2);
}
try {
  const { scenario } = loadScenarioFile(file);
  const cluster = await startLoopbackCluster(scenario, { seed: Number(values.seed), runId: values['run-id'], targetsDir: values.targets });
  const stop = () => void cluster.stop().then(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  process.stdout.write(`${JSON.stringify({ ready: true, nodes: cluster.servers.map((s) => s.target), harness: cluster.harness.target })}\n`);
  await cluster.done;
  await new Promise((r) => setTimeout(r, Number(values.linger) * 1000));
  await cluster.stop();
} catch (e) {
  process.stderr.write(`loopback-cluster: ${(e as Error).message.split('\n')[0]}\n`);
  process.exit(2);
}
