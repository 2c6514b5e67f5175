/** The control API and the transport listen on loopback only: anything else is refused up front. */
import { isIP } from 'node:net';

export function isLoopbackHost(host: string): boolean {
  if (host === 'localhost' || host === '::1') return true;
  if (isIP(host) !== 4) return false;
  return host.split('.')[0] === '127';
}

/** Throws a one-line error naming the flag when `host` is not a loopback address. */
export function requireLoopback(host: string, field: string): void {
  if (!isLoopbackHost(host)) {
    throw new RangeError(`${field}: must be a loopback address (127.0.0.0/8, ::1 or localhost), got "${host}": the control API and the transport never listen on other interfaces (only a config with bindMode: container, as avsim cluster export writes, may)`);
  }
}

/**
 * Loopback-only unless the config explicitly says the node runs in its own container (bindMode: container) or
 * alone in a network namespace of the harness's (bindMode: netns, --kernel-net).
 */
export function requireBindable(host: string, field: string, bindMode: 'loopback' | 'container' | 'netns'): void {
  if (bindMode === 'loopback') requireLoopback(host, field);
}
