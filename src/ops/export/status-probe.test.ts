import { execFile } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { STATUS_PROBE } from './node-spec.js';

const probe = fileURLToPath(new URL('../../../dist/src/ops/export/status-probe.js', import.meta.url));
const run = (tokenFile: string, port: number) =>
  promisify(execFile)(process.execPath, [probe, tokenFile, String(port)]).then(
    () => ({ code: 0, stderr: '' }),
    (e: { code: number; stderr: string }) => ({ code: e.code, stderr: e.stderr }),
  );

describe('status-probe (the containers\' readiness check)', () => {
  it('is the script the manifests run', () => {
    expect(STATUS_PROBE[1]).toBe('/app/dist/src/ops/export/status-probe.js');
  });

  it('exits 0 on 200 with the token, 1 with one line on 401 or when nothing listens', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'avsim-probe-'));
    const server = createServer((req, res) => {
      const ok = req.url === '/status' && req.headers.authorization === 'Bearer s3cret';
      res.writeHead(ok ? 200 : 401).end(ok ? '{"nodes":[]}' : '');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const port = (server.address() as AddressInfo).port;
    try {
      writeFileSync(join(dir, 'good'), 's3cret\n');
      writeFileSync(join(dir, 'bad'), 'guess\n');
      expect(await run(join(dir, 'good'), port)).toEqual({ code: 0, stderr: '' });
      expect(await run(join(dir, 'bad'), port)).toEqual({ code: 1, stderr: 'status-probe: GET /status: HTTP 401\n' });
      expect((await run(join(dir, 'missing'), port)).stderr).toMatch(/^status-probe: ENOENT.*\n$/);
    } finally {
      await new Promise((r) => server.close(r));
      rmSync(dir, { recursive: true, force: true });
    }
    const down = await run(join(dir, 'good'), port);
    expect(down.code).toBe(1);
  });
});
