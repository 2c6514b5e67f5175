/**
 * Process-wide cleanup for the benchmarks: temporary git worktrees and child
 * processes are registered here and released on normal exit, on an uncaught
 * error, and on Ctrl-C / SIGTERM / SIGHUP. Actions must be synchronous (the
 * 'exit' event allows nothing else); each runs at most once, newest first.
 */

type Action = () => void;

const actions = new Map<number, Action>();
let nextId = 0;
let installed = false;

const SIGNALS: Record<string, number> = { SIGINT: 2, SIGTERM: 15, SIGHUP: 1 };

/** Runs every registered action now (newest first); errors are reported, not thrown. */
export function runCleanup(): void {
  const ids = [...actions.keys()].toReversed();
  for (const id of ids) {
    const fn = actions.get(id);
    actions.delete(id);
    try {
      fn?.();
    } catch (e) {
      process.stderr.write(`bench: cleanup step failed: ${(e as Error).message}\n`);
    }
  }
}

function install(): void {
  if (installed) return;
  installed = true;
  process.on('exit', runCleanup);
  for (const [sig, num] of Object.entries(SIGNALS)) {
    process.on(sig, () => {
      process.stderr.write(`\nbench: ${sig}, cleaning up\n`);
      runCleanup();
      process.exit(128 + num);
    });
  }
}

/**
 * Registers a cleanup action. `release` runs it now and unregisters it;
 * `forget` unregisters it without running it (the resource is already gone).
 */
export function registerCleanup(fn: Action): { release: () => void; forget: () => void } {
  install();
  const id = nextId++;
  actions.set(id, fn);
  return {
    release: () => {
      if (!actions.has(id)) return;
      actions.delete(id);
      fn();
    },
    forget: () => {
      actions.delete(id);
    },
  };
}
