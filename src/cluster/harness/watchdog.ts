/**
 * The harness's dead-man switch: a tiny process of its own (own process
 * group, so a Ctrl-C or a kill of the harness's group does not reach it)
 * that holds a pipe from the harness. The harness writes `add <pid>` for
 * every node process group it starts and `del <pid>` when one is gone. When
 * the pipe closes (the harness exited, or was killed with SIGKILL and could
 * clean nothing up), the watchdog SIGKILLs every group still listed (SIGKILL
 * also ends a SIGSTOPped process), removes the network namespaces, bridge
 * and nftables table of every `net <run id>` it was told of (--kernel-net),
 * and exits. Run as a script: `node watchdog.js`.
 */
import { createInterface } from 'node:readline';
import { removeRun } from './kernel-net.js';

const groups = new Set<number>();
const nets = new Set<string>();

function killAll(): void {
  for (const pid of groups) {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  groups.clear();
}

const lines = createInterface({ input: process.stdin });
lines.on('line', (line) => {
  const net = /^net ([0-9a-f]{6})$/.exec(line.trim());
  if (net !== null) nets.add(net[1]!);
  const m = /^(add|del) ([0-9]+)$/.exec(line.trim());
  if (m === null) return;
  const pid = Number(m[2]);
  if (m[1] === 'add') groups.add(pid);
  else groups.delete(pid);
});
lines.on('close', () => {
  killAll();
  // After the kill: a namespace is only gone once no process is left in it.
  for (const id of nets) removeRun(id);
  process.exit(0);
});
// Signals meant for the harness must not stop the watchdog before it has cleaned up.
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(sig, () => undefined);
