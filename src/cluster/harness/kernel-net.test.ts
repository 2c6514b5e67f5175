/**
 * --kernel-net against the real kernel (root; .ci/run runs as root with
 * iproute2 and nftables): namespaces that really carry TCP, nftables rules
 * that really block it and heal, and nothing left behind by the teardown,
 * the watchdog, or the next run's sweep of a dead run's leftovers.
 */
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { KernelNet, kernelNetProblem, ownerFile, runIdsPresent, sweepLeftovers } from './kernel-net.js';

const WATCHDOG = fileURLToPath(new URL('../../../dist/src/cluster/harness/watchdog.js', import.meta.url));
const isRoot = process.getuid?.() === 0;
const usable = isRoot && kernelNetProblem() === undefined;

const cleanup: Array<() => void> = [];
afterEach(() => {
  for (const f of cleanup.splice(0)) f();
  vi.restoreAllMocks();
});

function made(nodeCount: number): KernelNet {
  const net = KernelNet.create({ nodeCount });
  cleanup.push(() => net.tearDown());
  return net;
}

/** Opens a TCP connection from inside node `from`'s namespace to `to`'s address: 'ok' when the server's greeting arrives within 1 s. */
function connect(net: KernelNet, from: number, to: number): string {
  const script = `const s=require('net').connect(7000,'${net.address(to)}');s.on('data',()=>{console.log('ok');process.exit(0)});s.on('error',e=>{console.log(e.code);process.exit(0)});setTimeout(()=>{console.log('timeout');process.exit(0)},1000)`;
  return spawnSync(net.execPrefix(from)[0]!, [...net.execPrefix(from).slice(1), process.execPath, '-e', script], { encoding: 'utf8', timeout: 10_000 }).stdout.trim();
}

function serve(net: KernelNet, at: number): void {
  const script = `require('net').createServer(s=>s.end('hi')).listen(7000,'${net.address(at)}',()=>console.log('up'))`;
  const child = spawn(net.execPrefix(at)[0]!, [...net.execPrefix(at).slice(1), process.execPath, '-e', script], { stdio: ['ignore', 'pipe', 'ignore'] });
  cleanup.unshift(() => child.kill('SIGKILL'));
  return void child;
}

async function until(what: string, f: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!f()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const namespacesOf = (runId: string): string[] =>
  spawnSync('ip', ['netns', 'list'], { encoding: 'utf8' })
    .stdout.split('\n')
    .map((l) => l.split(' ')[0] ?? '')
    .filter((n) => n.startsWith(`avsim-${runId}-`));

describe('--kernel-net refusals', () => {
  it('not root: one line saying so', () => {
    vi.spyOn(process, 'getuid').mockReturnValue(1000);
    expect(kernelNetProblem()).toBe('needs root (it creates network namespaces, veth pairs and nftables rules); run as root or drop --kernel-net');
  });

  it.skipIf(!isRoot)('ip or nft missing: names the command and its package', () => {
    const path = process.env.PATH;
    process.env.PATH = '/nonexistent';
    try {
      expect(kernelNetProblem()).toBe('needs the ip command, which is not installed (apt-get install iproute2)');
    } finally {
      process.env.PATH = path;
    }
  });
});

describe.skipIf(!usable)('--kernel-net on the real kernel', () => {
  it('namespaces carry TCP; a partition rule really blocks it (counted) and the heal restores it; teardown leaves nothing', async () => {
    const net = made(3);
    const id = net.names.runId;
    expect(namespacesOf(id)).toHaveLength(3);
    serve(net, 0);
    await until('the server', () => connect(net, 1, 0) === 'ok');
    net.partition({ kind: 'split', groups: [[0], [1, 2]] });
    expect(connect(net, 1, 0)).toBe('timeout');
    expect(connect(net, 2, 0)).toBe('timeout');
    net.heal();
    expect(connect(net, 2, 0)).toBe('ok');
    net.tearDown();
    expect(net.stats.droppedPackets).toBeGreaterThan(0);
    expect(net.stats.ruleChanges).toBe(2);
    expect(namespacesOf(id)).toEqual([]);
    expect(runIdsPresent().has(id)).toBe(false);
  });

  it('the next run removes a leftover whose harness is gone, and leaves a live run alone', () => {
    const a = made(2);
    const b = made(1);
    // a's harness "died": its owner record now names a process that has exited.
    const dead = spawnSync(process.execPath, ['-e', '0']).pid!;
    const file = ownerFile(a.names.runId);
    writeFileSync(file, JSON.stringify({ ...JSON.parse(readFileSync(file, 'utf8')), pid: dead }));
    const removed = sweepLeftovers().filter((l) => l.includes(a.names.runId) || l.includes(b.names.runId));
    expect(removed).toEqual([`removed the leftover of kernel-net run ${a.names.runId} (its harness is gone): namespace avsim-${a.names.runId}-0, namespace avsim-${a.names.runId}-1, interface avbr-${a.names.runId}, interface av${a.names.runId}-0, interface av${a.names.runId}-1, nftables table bridge avsim_${a.names.runId}`]);
    expect(namespacesOf(a.names.runId)).toEqual([]);
    expect(existsSync(file)).toBe(false);
    expect(namespacesOf(b.names.runId)).toHaveLength(1);
    // A dead run's record without objects goes too; a live run's record stays.
    let stale: string;
    do stale = randomBytes(3).toString('hex');
    while (runIdsPresent().has(stale) || existsSync(ownerFile(stale)));
    writeFileSync(ownerFile(stale), JSON.stringify({ runId: stale, pid: dead, startTicks: '1', subnet: 0 }));
    sweepLeftovers();
    expect(existsSync(ownerFile(stale))).toBe(false);
    expect(existsSync(ownerFile(b.names.runId))).toBe(true);
  });

  it('the watchdog kills what runs in the namespaces and removes them when the harness dies', async () => {
    const net = KernelNet.create({ nodeCount: 2 });
    const id = net.names.runId;
    const sleeper = spawn(net.execPrefix(1)[0]!, [...net.execPrefix(1).slice(1), 'sleep', '60'], { detached: true, stdio: 'ignore' });
    const w = spawn(process.execPath, [WATCHDOG], { detached: true, stdio: ['pipe', 'ignore', 'ignore'] });
    cleanup.push(() => {
      sleeper.kill('SIGKILL');
      w.kill('SIGKILL');
    });
    w.stdin.write(`net ${id}\nadd ${sleeper.pid}\n`);
    await new Promise((r) => setTimeout(r, 200));
    w.stdin.end(); // what the kernel does to the pipe when the harness is SIGKILLed
    await until('the namespaces gone', () => namespacesOf(id).length === 0 && !runIdsPresent().has(id));
    await until('the process in the namespace gone', () => sleeper.exitCode !== null || sleeper.signalCode !== null);
  });
});
