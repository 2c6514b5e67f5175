/**
 * `node status-probe.js TOKEN_FILE PORT`: the container readiness check.
 * Exits 0 when the node's control API on 127.0.0.1:PORT answers GET /status
 * with 200 under the token in TOKEN_FILE, 1 otherwise (one line on stderr).
 * Kubernetes and Compose run it inside the node's container, where the
 * loopback-only API is reachable.
 */
import { readFileSync } from 'node:fs';

const [tokenFile, port] = process.argv.slice(2);
try {
  if (tokenFile === undefined || port === undefined || !/^[0-9]+$/.test(port)) throw new Error('usage: status-probe TOKEN_FILE PORT');
  const token = readFileSync(tokenFile, 'utf8').trim();
  const res = await fetch(`http://127.0.0.1:${port}/status`, { headers: { authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(2_000) });
  if (!res.ok) throw new Error(`GET /status: HTTP ${res.status}`);
  process.exitCode = 0;
} catch (e) {
  process.stderr.write(`status-probe: ${(e as Error).message}\n`);
  process.exitCode = 1;
}
