#!/usr/bin/env node
/**
 * The node daemon's own entry point, which the supervisor starts: exactly
 * `avsim node --config FILE` (the same runNodeDaemon), without loading the
 * rest of the CLI (report rendering, sweeps), so a node process starts fast
 * and stays small. Bad input exits 2 with one line; anything else exits 1.
 */
import { runNodeDaemonOrExit } from './daemon.js';

const args = process.argv.slice(2);
const at = args.indexOf('--config');
const config = at >= 0 ? args[at + 1] : undefined;
if (config === undefined || args.length !== 2) {
  process.stderr.write('avsim node: usage: main.js --config FILE\n');
  process.exit(2);
}
await runNodeDaemonOrExit(config);
