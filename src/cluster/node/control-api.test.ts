/** The control API: loopback only, and nothing without the run's bearer token. */
import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { ControlApi, type ControlHandlers } from './control-api.js';

const TOKEN = 'b3f1c2d4e5f60718293a4b5c6d7e8f90';
const calls: string[] = [];
const handlers: ControlHandlers = {
  status: (id) => {
    calls.push(`status ${String(id)}`);
    return { id: id ?? 'all', height: 3 };
  },
  submitTxs: (id) => ({ submitted: id }),
  setNetwork: () => ({ ok: true }),
  setByzantine: () => ({ behaviour: 'silent' }),
  setPeers: () => ({ ok: true }),
  start: () => ({ ok: true }),
  stop: () => calls.push('stop'),
  subscribe: () => () => undefined,
};

const servers: ControlApi[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
  calls.length = 0;
});

function call(port: number, method: string, path: string, auth: string | undefined, body?: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path, headers: auth === undefined ? {} : { authorization: auth } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function api(): Promise<number> {
  const s = new ControlApi({ host: '127.0.0.1', port: 0, token: TOKEN, handlers });
  servers.push(s);
  return s.listen();
}

describe('ControlApi', () => {
  it('answers 401 without the token, with a wrong one, or with the right one not as a bearer, and runs no handler', async () => {
    const port = await api();
    for (const auth of [undefined, 'Bearer wrong-token-of-the-wrong-length', `Bearer ${TOKEN.slice(0, -1)}x`, TOKEN, `Basic ${TOKEN}`]) {
      for (const [method, path] of [['GET', '/status'], ['POST', '/nodes/0/txs'], ['POST', '/stop'], ['GET', '/events']] as const) {
        const r = await call(port, method, path, auth, method === 'GET' ? undefined : '{"txs":[]}');
        expect(r.status, `${method} ${path} with ${String(auth)}`).toBe(401);
        expect(JSON.parse(r.body)).toEqual({ error: 'authorization: a valid bearer token is required' });
      }
    }
    expect(calls).toEqual([]);
  });

  it('serves the endpoints with the token; bad input is one line with 400, unknown paths 404', async () => {
    const port = await api();
    const auth = `Bearer ${TOKEN}`;
    expect(await call(port, 'GET', '/status', auth)).toEqual({ status: 200, body: '{"id":"all","height":3}\n' });
    expect(await call(port, 'GET', '/nodes/4/status', auth)).toEqual({ status: 200, body: '{"id":4,"height":3}\n' });
    expect((await call(port, 'POST', '/nodes/2/txs', auth, '{"txs":[]}')).status).toBe(202);
    const bad = await call(port, 'POST', '/nodes/2/txs', auth, '{not json');
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.body).error).toMatch(/^body: must be JSON/);
    expect((await call(port, 'GET', '/nodes/x/status', auth)).status).toBe(400);
    expect((await call(port, 'DELETE', '/nodes/1/status', auth)).status).toBe(404);
  });

  it('refuses to listen on anything but loopback, and refuses short tokens', () => {
    for (const host of ['0.0.0.0', '::', '192.168.1.10', '10.0.0.1', 'example.com']) {
      expect(() => new ControlApi({ host, port: 0, token: TOKEN, handlers })).toThrow(/--api-host: must be a loopback address/);
    }
    for (const host of ['127.0.0.1', '127.3.4.5', '::1', 'localhost']) expect(() => new ControlApi({ host, port: 0, token: TOKEN, handlers })).not.toThrow();
    expect(() => new ControlApi({ host: '127.0.0.1', port: 0, token: 'short', handlers })).toThrow(/at least 16 characters/);
  });
});
