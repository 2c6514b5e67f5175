/**
 * The /metrics listener of one validator (or of the harness): a plain HTTP
 * server answering GET /metrics with the text exposition format. It binds
 * 127.0.0.1 unless told otherwise (a container binds its pod address so
 * Prometheus can reach it); it has no token, like AvalancheGo's metrics API,
 * because it reveals counters only and accepts no input.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface MetricsSource {
  text(): Promise<string>;
  readonly contentType: string;
}

export interface MetricsServer {
  readonly host: string;
  readonly port: number;
  /** `host:port`, as a Prometheus target. */
  readonly target: string;
  close(): Promise<void>;
}

/** A listen failure the user can fix (port taken, address not available), as one line. */
export class ListenError extends Error {
  override readonly name = 'ListenError';
}

export function listenError(what: string, host: string, port: number, err: NodeJS.ErrnoException): ListenError {
  if (err.code === 'EADDRINUSE') return new ListenError(`${what}: port ${port} on ${host} is already taken`);
  if (err.code === 'EADDRNOTAVAIL') return new ListenError(`${what}: address ${host} is not an address of this machine`);
  if (err.code === 'EACCES') return new ListenError(`${what}: not allowed to listen on ${host}:${port}`);
  return new ListenError(`${what}: cannot listen on ${host}:${port}: ${err.message}`);
}

export async function startMetricsServer(source: MetricsSource, options: { host?: string; port?: number; what?: string } = {}): Promise<MetricsServer> {
  const host = options.host ?? '127.0.0.1';
  const port = options.port ?? 0;
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    if (path !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('only /metrics is served here\n');
      return;
    }
    source.text().then(
      (body) => {
        res.writeHead(200, { 'content-type': source.contentType });
        res.end(req.method === 'HEAD' ? undefined : body);
      },
      (err: unknown) => {
        res.writeHead(500, { 'content-type': 'text/plain' }).end(`${String(err)}\n`);
      },
    );
  });
  // Scrapes are short; a stuck client must not hold the process open at shutdown.
  server.keepAliveTimeout = 5_000;
  server.requestTimeout = 10_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => reject(listenError(options.what ?? 'metrics', host, port, err)));
    server.listen(port, host, () => resolve());
  });
  const bound = (server.address() as AddressInfo).port;
  return {
    host,
    port: bound,
    target: `${host.includes(':') ? `[${host}]` : host}:${bound}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
