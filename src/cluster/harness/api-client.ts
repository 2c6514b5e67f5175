/** The harness's side of the control API: JSON over HTTP to 127.0.0.1 with the run's bearer token. */
import { request, Agent } from 'node:http';

export class ApiClient {
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 8 });

  constructor(
    readonly port: number,
    private readonly token: string,
    private readonly host = '127.0.0.1',
  ) {}

  call(method: string, path: string, body?: unknown, timeoutMs = 10_000): Promise<{ status: number; body: unknown }> {
    const data = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    return new Promise((resolve, reject) => {
      const req = request(
        {
          host: this.host,
          port: this.port,
          method,
          path,
          agent: this.agent,
          headers: { authorization: `Bearer ${this.token}`, ...(data === undefined ? {} : { 'content-type': 'application/json', 'content-length': data.length }) },
          timeout: timeoutMs,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let parsed: unknown = text;
            try {
              parsed = JSON.parse(text);
            } catch {
              // not JSON: keep the text
            }
            resolve({ status: res.statusCode ?? 0, body: parsed });
          });
          res.on('error', reject);
        },
      );
      req.on('timeout', () => req.destroy(new Error(`${method} ${path}: no answer within ${timeoutMs} ms`)));
      req.on('error', reject);
      req.end(data);
    });
  }

  /** Like call, but a non-2xx status is an error naming the endpoint and the node's one-line reason. */
  async ok(method: string, path: string, body?: unknown, timeoutMs?: number): Promise<unknown> {
    const r = await this.call(method, path, body, timeoutMs);
    if (r.status < 200 || r.status >= 300) {
      const reason = typeof r.body === 'object' && r.body !== null && 'error' in r.body ? String((r.body as { error: unknown }).error) : String(r.body);
      throw new Error(`${method} ${path} on port ${this.port}: HTTP ${r.status}: ${reason}`);
    }
    return r.body;
  }

  /** Streams GET /events lines to `onLine` until the connection ends; returns a stop function. */
  events(onLine: (line: string) => void, polls = false): () => void {
    const req = request({ host: this.host, port: this.port, path: `/events${polls ? '?polls=1' : ''}`, headers: { authorization: `Bearer ${this.token}` } }, (res) => {
      let rest = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        const parts = (rest + chunk).split('\n');
        rest = parts.pop() ?? '';
        for (const p of parts) if (p !== '') onLine(p);
      });
      res.on('error', () => undefined);
    });
    req.on('error', () => undefined);
    req.end();
    return () => req.destroy();
  }

  close(): void {
    this.agent.destroy();
  }
}
