/**
 * The node process's control API: HTTP/1.1 on a loopback address only, every
 * request authenticated by the run's bearer token (a random per-run secret
 * the harness hands each process in a file only its user can read). Without
 * the token, or with another, a request gets 401 and nothing else.
 *
 *   GET  /status                     every node of this process
 *   GET  /nodes/{id}/status          one node: height, last accepted, processing, peers, ...
 *   POST /nodes/{id}/txs             {"txs":[{"id":N,"intendedUs":T,"body":"<base64 signed tx>"?}]}
 *   PUT  /nodes/{id}/network         a network rule: {"kind":"partition","grudge":{...}} | {"kind":"heal"}
 *                                    | {"kind":"set-loss","probability":p,"nodes":[...]?} | {"kind":"add-delay","extraUs":us,"nodes":[...]?}
 *                                    | {"kind":"set-duplication","probability":p}
 *   PUT  /nodes/{id}/byzantine       {"strategy":"silent","options":{},"from":us?,"until":us?} or {"strategy":"honest"}
 *   PUT  /nodes/{id}/peers           {"peers":{"<id>":{"host":"127.0.0.1","port":P},...}}
 *   POST /start                      {"epochNs":"<monotonic ns>"}: boot every node at the run's time 0
 *   GET  /events[?polls=1]           JSON lines: acceptances, submissions, stats (and poll outcomes with polls=1)
 *   POST /stop                       flush and exit 0
 *
 * Errors are one JSON line {"error":"field: rule"} with 400 (bad input), 401,
 * 404 or 409 (a node that is not running yet).
 */
import { timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { requireBindable } from './loopback.js';

/** Largest request body (a batch of signed transactions). */
export const MAX_BODY_BYTES = 32 * 1024 * 1024;

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export interface EventSubscriber {
  write(line: string): void;
  readonly polls: boolean;
}

export interface ControlHandlers {
  status(node: number | undefined): unknown;
  submitTxs(node: number, body: unknown): unknown;
  setNetwork(node: number, body: unknown): unknown;
  setByzantine(node: number, body: unknown): unknown;
  setPeers(node: number, body: unknown): unknown;
  start(body: unknown): unknown;
  stop(): void;
  subscribe(sub: EventSubscriber): () => void;
}

export interface ControlApiOptions {
  host: string;
  port: number;
  token: string;
  handlers: ControlHandlers;
  /** `container` lets the API bind outside loopback (bindMode of the process config); default loopback only. */
  bindMode?: 'loopback' | 'container' | 'netns';
  /** A taken port is an error instead of a fallback to a free one (standalone nodes). */
  strictPort?: boolean;
}

function send(res: ServerResponse, status: number, value: unknown): void {
  const text = `${JSON.stringify(value)}\n`;
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function authorised(req: IncomingMessage, token: Buffer): boolean {
  const h = req.headers.authorization;
  if (typeof h !== 'string' || !h.startsWith('Bearer ')) return false;
  const given = Buffer.from(h.slice(7));
  return given.length === token.length && timingSafeEqual(given, token);
}

function readBody(req: IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY_BYTES) {
        reject(new ApiError(413, `body: must be at most ${MAX_BODY_BYTES} bytes`));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => {
      if (size === 0) return resolve({});
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown);
      } catch (e) {
        reject(new ApiError(400, `body: must be JSON (${(e as Error).message})`));
      }
    });
    req.on('error', reject);
  });
}

export class ControlApi {
  private server: Server | undefined;
  private readonly token: Buffer;

  constructor(private readonly opts: ControlApiOptions) {
    requireBindable(opts.host, '--api-host', opts.bindMode ?? 'loopback');
    if (opts.token.length < 16) throw new RangeError('control API token: must be at least 16 characters');
    this.token = Buffer.from(opts.token);
  }

  /** Listens; a preferred port that is taken falls back to any free one. Resolves with the port. */
  async listen(): Promise<number> {
    try {
      return await this.listenOn(this.opts.port);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EADDRINUSE' && (this.opts.strictPort === true || this.opts.port === 0)) {
        throw new RangeError(`control API: port ${this.opts.port} on ${this.opts.host} is already taken`);
      }
      if (this.opts.port === 0 || (e as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw e;
      return this.listenOn(0);
    }
  }

  private listenOn(port: number): Promise<number> {
    return new Promise((resolve, reject) => {
      const server = createServer((req, res) => {
        this.handle(req, res).catch((e: unknown) => {
          if (res.headersSent) res.destroy();
          else if (e instanceof ApiError) send(res, e.status, { error: e.message });
          else send(res, 400, { error: e instanceof Error ? e.message.split('\n')[0] : String(e) });
        });
      });
      server.keepAliveTimeout = 60_000;
      server.once('error', reject);
      server.listen({ host: this.opts.host, port }, () => {
        const a = server.address();
        if (a === null || typeof a === 'string') return reject(new Error('control API: no TCP address'));
        this.server = server;
        resolve(a.port);
      });
    });
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      if (this.server === undefined) return resolve();
      this.server.closeAllConnections();
      this.server.close(() => resolve());
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!authorised(req, this.token)) {
      send(res, 401, { error: 'authorization: a valid bearer token is required' });
      req.resume();
      return;
    }
    const url = new URL(req.url ?? '/', 'http://control');
    const parts = url.pathname.split('/').filter((p) => p !== '');
    const h = this.opts.handlers;
    const method = req.method ?? 'GET';
    if (parts.length === 1 && parts[0] === 'events' && method === 'GET') {
      res.writeHead(200, { 'content-type': 'application/x-ndjson' });
      const unsubscribe = h.subscribe({ write: (line) => res.write(line), polls: url.searchParams.get('polls') === '1' });
      req.on('close', unsubscribe);
      return;
    }
    const body = method === 'GET' ? {} : await readBody(req);
    if (parts.length === 1 && parts[0] === 'status' && method === 'GET') return send(res, 200, h.status(undefined));
    if (parts.length === 1 && parts[0] === 'start' && method === 'POST') return send(res, 200, h.start(body));
    if (parts.length === 1 && parts[0] === 'stop' && method === 'POST') {
      send(res, 200, { stopping: true });
      setImmediate(() => h.stop());
      return;
    }
    if (parts.length === 3 && parts[0] === 'nodes') {
      const id = Number(parts[1]);
      if (!/^[0-9]+$/.test(parts[1] ?? '')) throw new ApiError(400, `node: must be a node id, got "${parts[1]}"`);
      const route = `${method} ${parts[2]}`;
      switch (route) {
        case 'GET status':
          return send(res, 200, h.status(id));
        case 'POST txs':
          return send(res, 202, h.submitTxs(id, body));
        case 'PUT network':
          return send(res, 200, h.setNetwork(id, body));
        case 'PUT byzantine':
          return send(res, 200, h.setByzantine(id, body));
        case 'PUT peers':
          return send(res, 200, h.setPeers(id, body));
      }
    }
    throw new ApiError(404, `${method} ${url.pathname}: no such endpoint`);
  }
}
