/**
 * The harness's dead-man switch: a tiny process of its own (own process
 * group, so a Ctrl-C or a kill of the harness's group does not reach it)
 * that holds a pipe from the harness. The harness writes `add <pid>` for
 * every node process group it starts and `del <pid>` when one is gone. When
 * the pipe closes (the harness exited, or was killed with SIGKILL and could
 * clean nothing up), the watchdog SIGKILLs every group still listed (SIGKILL
 * also ends a SIGSTOPped process) and exits. Run as a script: `node watchdog.js`.
 */
import { createInterface } from 'node:readline';

const groups = new Set<number>();

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
  const m = /^(add|del) ([0-9]+)$/.exec(line.trim());
  if (m === null) return;
  const pid = Number(m[2]);
  if (m[1] === 'add') groups.add(pid);
  else groups.delete(pid);
});
lines.on('close', () => {
  killAll();
  process.exit(0);
});
// Signals meant for the harness must not stop the watchdog before it has cleaned up.
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(sig, () => undefined);
