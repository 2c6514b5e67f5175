/**
 * Standalone nodes as a Compose/Kubernetes deployment runs them: `avsim cluster export` writes the node configs,
 * this test takes them as they are and changes only what a container supplies (addresses -> 127.0.0.1, the fixed
 * container ports -> free local ones, /data -> a temp dir), then starts one `avsim node --config` per node with no
 * harness, staggered. Each node waits for its peers, boots, draws its own share of the seeded load; the network
 * accepts, every node agrees, a SIGKILLed node restarted on its volume resumes its run clock and chain, and every
 * store verifies. Also the daemon's refusals (exit 2, one line): a non-loopback address without bindMode
 * container, a taken port, a data directory that is not a node store, a store of another run.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { freeLoopbackPort } from '../prometheus/server.js';
import { verifyStore } from '../store/verify-db.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const cli = join(root, 'dist/src/cli/main.js');
const NODES = 4;
const work = mkdtempSync(join(tmpdir(), 'avsim-standalone-'));
const children = new Set<ChildProcess>();
afterAll(() => {
  for (const c of children) c.kill('SIGKILL');
  // AVSIM_KEEP_STANDALONE=1 keeps the nodes' directories and logs to look into a failure.
  if (process.env.AVSIM_KEEP_STANDALONE === undefined) rmSync(work, { recursive: true, force: true });
  else process.stdout.write(`standalone: kept ${work}\n`);
});

// The load outlasts the test (which stops the nodes at ~20 s of run time): a restarted node catches up by polling on
// new blocks, so it must come back while blocks are still being built.
const SCENARIO = `
name: standalone-4
duration: 40s
seeds: [3]
nodes: { count: ${NODES} }
parameters: { k: 4, alphaPreference: 3, alphaConfidence: 3, beta: 4, concurrentRepolls: 2 }
network: { latency: { kind: constant, oneWay: 10ms } }
workload: { phases: [{ kind: constant, rateTps: 12, duration: 40s }] }
`;

type Config = Record<string, unknown> & { nodes: Array<Record<string, unknown>>; peers: Record<string, { host: string; port: number }> };

let exportDir: string | undefined;
/** `avsim cluster export --target compose` of the scenario, once for the file. */
function exported(): string {
  if (exportDir !== undefined) return exportDir;
  const file = join(work, 'standalone-4.yaml');
  writeFileSync(file, SCENARIO);
  const out = join(work, 'compose');
  const r = spawnSync(process.execPath, [cli, 'cluster', 'export', file, '--target', 'compose', '--out', out], { encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  exportDir = out;
  return out;
}

/** The exported configs, with what the container provides replaced by local equivalents. */
async function localConfigs(): Promise<{ configs: string[]; token: string; apiPorts: number[]; dirs: string[] }> {
  const out = exported();
  const ports = await Promise.all(Array.from({ length: NODES * 3 }, () => freeLoopbackPort()));
  const token = 'f'.repeat(48);
  writeFileSync(join(work, 'token'), `${token}\n`, { mode: 0o600 });
  const configs: string[] = [];
  const apiPorts: number[] = [];
  const dirs: string[] = [];
  for (let id = 0; id < NODES; id++) {
    const cfg = JSON.parse(readFileSync(join(out, 'config', `node-${id}.json`), 'utf8')) as Config;
    expect(cfg).toMatchObject({ standalone: true, bindMode: 'container', listenHost: '0.0.0.0', metricsHost: '0.0.0.0', epochNs: null });
    const dir = join(work, `n${id}`);
    dirs.push(dir);
    cfg.listenHost = '127.0.0.1';
    cfg.metricsHost = '127.0.0.1';
    cfg.nodes = cfg.nodes.map((n) => ({ ...n, dataDir: dir, port: ports[id * 3], metricsPort: ports[id * 3 + 1] }));
    const apiPort = ports[id * 3 + 2] as number;
    cfg.apiPort = apiPort;
    apiPorts.push(apiPort);
    cfg.tokenFile = join(work, 'token');
    cfg.readyFile = join(work, `ready-${id}.json`);
    cfg.peers = Object.fromEntries(Array.from({ length: NODES }, (_, i) => [String(i), { host: '127.0.0.1', port: ports[i * 3] as number }]));
    const path = join(work, `node-${id}.json`);
    writeFileSync(path, JSON.stringify(cfg));
    configs.push(path);
  }
  return { configs, token, apiPorts, dirs };
}

function start(config: string, log: string): ChildProcess {
  const c = spawn(process.execPath, [cli, 'node', '--config', config], { stdio: ['pipe', 'ignore', 'pipe'] });
  let err = '';
  c.stderr?.on('data', (d: Buffer) => (err += d.toString('utf8')));
  c.on('exit', () => {
    try {
      writeFileSync(log, err);
    } catch {
      // the work dir is gone (the suite ended)
    }
  });
  children.add(c);
  c.on('exit', () => children.delete(c));
  return c;
}

const exited = (c: ChildProcess): Promise<number | null> => new Promise((r) => (c.exitCode !== null || c.signalCode !== null ? r(c.exitCode) : c.once('exit', (code) => r(code))));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function status(port: number, token: string): Promise<{ height: number; booted: boolean; peers: number[] } | undefined> {
  try {
    const res = await fetch(`http://127.0.0.1:${port}/status`, { headers: { authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(2_000) });
    const body = (await res.json()) as Array<{ height: number; booted: boolean; peers: number[] }>;
    return body[0];
  } catch {
    return undefined;
  }
}

function chks(dir: string): Array<{ id: number; height: number; txs: number[] }> {
  return readFileSync(join(dir, 'history.jsonl'), 'utf8')
    .split('\n')
    .filter((l) => l.startsWith('{"k":"chk"'))
    .map((l) => (JSON.parse(l) as { in: { id: number; height: number; txs: number[] } }).in);
}

describe('standalone nodes from an exported config (no harness)', () => {
  it('boot on their own, draw their own load, agree, survive a SIGKILL + restart on their volume; every store verifies', async () => {
    const { configs, token, apiPorts, dirs } = await localConfigs();
    const procs = configs.map((c, id) => (id === 0 ? start(c, join(work, `err-${id}.txt`)) : undefined));
    // Node 0 comes up alone and waits for its peers; the others follow once it is listening.
    for (let i = 0; i < 100 && (await status(apiPorts[0] as number, token)) === undefined; i++) await sleep(200);
    await sleep(500);
    expect((await status(apiPorts[0] as number, token))?.booted).toBe(false);
    for (let id = 1; id < NODES; id++) procs[id] = start(configs[id] as string, join(work, `err-${id}.txt`));
    let booted = false;
    for (let i = 0; i < 100 && !booted; i++) {
      await sleep(200);
      booted = (await Promise.all(apiPorts.map((p) => status(p, token)))).every((s) => s?.booted === true);
    }
    expect(booted).toBe(true);
    await sleep(4_000);
    // Node 2 is killed (as a container runtime would) and restarted on its volume.
    procs[2]?.kill('SIGKILL');
    await exited(procs[2] as ChildProcess);
    await sleep(1_000);
    procs[2] = start(configs[2] as string, join(work, 'err-2b.txt'));
    await sleep(11_000);
    const heights = (await Promise.all(apiPorts.map((p) => status(p, token)))).map((s) => s?.height ?? -1);
    for (const p of procs) p?.kill('SIGTERM');
    const codes = await Promise.all(procs.map((p) => exited(p as ChildProcess)));
    expect(codes).toEqual([0, 0, 0, 0]);
    expect(Math.min(...heights), `heights ${heights.join(',')}`).toBeGreaterThan(20);

    const byHeight = new Map<number, number>();
    const txBlock = new Map<number, number>();
    const conflicts: string[] = [];
    for (let id = 0; id < NODES; id++) {
      const dir = dirs[id] as string;
      expect(await verifyStore(dir), `node ${id}`).toMatchObject({ ok: true });
      const hist = readFileSync(join(dir, 'history.jsonl'), 'utf8').split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as { k: string; tx?: number; inc?: number; t: number });
      // Each node submitted only its own share of the seeded load, and saw some of it accepted.
      const subs = hist.filter((r) => r.k === 'sub');
      expect(subs.length, `node ${id} submissions`).toBeGreaterThan(15);
      expect(hist.filter((r) => r.k === 'acc').length, `node ${id} acceptances of its own txs`).toBeGreaterThan(10);
      for (const b of chks(dir)) {
        const other = byHeight.get(b.height);
        if (other !== undefined && other !== b.id) conflicts.push(`height ${b.height}: ${other} / ${b.id} (node ${id})`);
        byHeight.set(b.height, b.id);
        for (const tx of b.txs) {
          const was = txBlock.get(tx);
          if (was !== undefined && was !== b.id) conflicts.push(`tx ${tx} in blocks ${was} and ${b.id}`);
          txBlock.set(tx, b.id);
        }
      }
    }
    expect(conflicts).toEqual([]);
    // The restarted node resumed the run clock kept on its volume (its second boot is at run time > 5 s, not 0).
    const boots = readFileSync(join(dirs[2] as string, 'history.jsonl'), 'utf8')
      .split('\n')
      .filter((l) => l.startsWith('{"k":"boot"'))
      .map((l) => JSON.parse(l) as { t: number; inc: number; h: number });
    expect(boots).toHaveLength(2);
    expect(boots[1]?.t).toBeGreaterThan(5_000_000);
    expect(boots[1]?.h).toBeGreaterThan(0);
  }, 90_000);
});

async function baseConfig(name: string): Promise<{ path: string; cfg: Config }> {
  const { configs } = await localConfigs();
  const cfg = JSON.parse(readFileSync(configs[0] as string, 'utf8')) as Config;
  cfg.nodes = cfg.nodes.map((n) => ({ ...n, dataDir: join(work, `bad-${name}`) }));
  cfg.readyFile = join(work, `bad-${name}-ready.json`);
  return { path: join(work, `bad-${name}.json`), cfg };
}
function run(path: string, cfg: Config): { status: number | null; line: string } {
  writeFileSync(path, JSON.stringify(cfg));
  const r = spawnSync(process.execPath, [cli, 'node', '--config', path], { encoding: 'utf8', timeout: 20_000, input: '' });
  const lines = r.stderr.trim().split('\n');
  expect(lines, r.stderr).toHaveLength(1);
  return { status: r.status, line: lines[0] ?? '' };
}

describe('the daemon refuses bad input with one line and exit 2', () => {
  it('a non-loopback address without bindMode container', async () => {
    const { path, cfg } = await baseConfig('bind');
    delete cfg.bindMode;
    cfg.listenHost = '0.0.0.0';
    expect(run(path, cfg)).toEqual({ status: 2, line: expect.stringMatching(/^avsim node: listenHost: must be a loopback address .*bindMode: container/) });
  });

  it('a taken port (transport, metrics or control API): no fallback for a standalone node', async () => {
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
    const taken = (blocker.address() as { port: number }).port;
    try {
      for (const [field, expected] of [
        ['port', /transport: port \d+ on 127\.0\.0\.1 is already taken/],
        ['metricsPort', /metrics: port \d+ on 127\.0\.0\.1 is already taken/],
        ['apiPort', /control API: port \d+ on 127\.0\.0\.1 is already taken/],
      ] as const) {
        const { path, cfg } = await baseConfig(`port-${field}`);
        if (field === 'apiPort') cfg.apiPort = taken;
        else cfg.nodes = cfg.nodes.map((n) => ({ ...n, [field]: taken }));
        const r = run(path, cfg);
        expect(r.status, r.line).toBe(2);
        expect(r.line).toMatch(expected);
      }
    } finally {
      blocker.close();
    }
  });

  it('a data directory that is not a node store', async () => {
    const { path, cfg } = await baseConfig('notstore');
    const dir = cfg.nodes[0]?.dataDir as string;
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'photos.tar'), 'not a store');
    expect(run(path, cfg)).toEqual({ status: 2, line: expect.stringMatching(/dataDir: .* is not a node store and not empty \(holds photos\.tar\)/) });
    mkdirSync(join(dir, '..', 'bad-notstore2', 'db'), { recursive: true });
    cfg.nodes = cfg.nodes.map((n) => ({ ...n, dataDir: join(dir, '..', 'bad-notstore2') }));
    expect(run(path, cfg)).toEqual({ status: 2, line: expect.stringMatching(/is not a node store \(.*db exists but is no RocksDB store/) });
  });

  it("another run's or scenario's store", async () => {
    const { path, cfg } = await baseConfig('identity');
    // Let the node create its store, then stop it.
    writeFileSync(path, JSON.stringify(cfg));
    const first = start(path, join(work, 'err-identity.txt'));
    for (let i = 0; i < 50; i++) {
      await sleep(100);
      try {
        readFileSync(cfg.readyFile as string);
        break;
      } catch {
        // not yet
      }
    }
    first.kill('SIGTERM');
    await exited(first);
    for (const change of [{ runTag: ((cfg.runTag as number) + 1) >>> 0 }, { seed: (cfg.seed as number) + 1 }]) {
      const r = run(path, { ...cfg, ...change });
      expect(r.status, r.line).toBe(2);
      expect(r.line).toMatch(/store .*: belongs to node 0 of scenario standalone-4 seed 3 run [0-9a-f]+, not node 0 of scenario standalone-4/);
    }
  });
});
