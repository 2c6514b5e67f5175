/**
 * --kernel-net (root only): each node runs in a network namespace of its own
 * (`ip netns exec`), joined to the root namespace by a veth pair on a bridge;
 * partitions are nftables drop rules between the sides' addresses, added and
 * removed at the fault times, so they cut the nodes' TCP connections in the
 * kernel instead of in the transport; bandwidth, when the scenario sets it,
 * is a tc token bucket per link. The kernel here has no netem: latency, loss
 * and added delay stay in the transport's delay queue. Names, addresses and
 * scripts: kernel-net-plan.ts.
 *
 * Everything a run creates is removed by `tearDown` (end of run, error,
 * Ctrl-C), by the harness's watchdog when the harness itself is SIGKILLed
 * (`removeRun`), and, failing both, by the next run, which finds objects
 * whose owner record names a process that is gone (`sweepLeftovers`).
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { NodeId } from '../../consensus/host.js';
import type { Grudge } from '../../sim/network.js';
import { writeFileAtomic } from '../../report/atomic.js';
import {
  BRIDGE_RE,
  droppedOf,
  freeSubnet,
  KERNEL_NET_MAX_NODES,
  NAMESPACE_RE,
  namesOf,
  nodeAddress,
  rulesScript,
  SUBNET_PREFIX,
  setUpScript,
  shapingCommands,
  TABLE_RE,
  tableScript,
  type KernelNetNames,
} from './kernel-net-plan.js';

/**
 * Owner records of live and past runs (tmpfs: gone at reboot, as the namespaces are). One directory for the
 * machine: a run that looked elsewhere would take every other run's objects for leftovers.
 */
export const KERNEL_NET_STATE_DIR = '/run/avsim-kernel-net';

interface Ran {
  ok: boolean;
  stdout: string;
  /** First line of stderr (or of the spawn error). */
  why: string;
}

function run(cmd: string, args: readonly string[], input?: string): Ran {
  const r = spawnSync(cmd, args, { encoding: 'utf8', input, timeout: 30_000 });
  const why = (r.error?.message ?? r.stderr ?? '').trim().split('\n')[0] ?? '';
  return { ok: r.error === undefined && r.status === 0, stdout: r.stdout ?? '', why };
}

/** Why --kernel-net cannot be used here (one line), or undefined when it can. Probes by creating and removing a namespace and a table. */
export function kernelNetProblem(): string | undefined {
  if (typeof process.getuid === 'function' && process.getuid() !== 0) return 'needs root (it creates network namespaces, veth pairs and nftables rules); run as root or drop --kernel-net';
  for (const [tool, pkg] of [['ip', 'iproute2'], ['nft', 'nftables']] as const) {
    if (spawnSync(tool, ['-V'], { stdio: 'ignore' }).error !== undefined) return `needs the ${tool} command, which is not installed (apt-get install ${pkg})`;
  }
  const probe = `avsim-probe-${process.pid}`;
  const ns = run('ip', ['netns', 'add', probe]);
  run('ip', ['netns', 'del', probe]);
  if (!ns.ok) return `network namespaces are not permitted here (ip netns add: ${ns.why})`;
  const table = `avsim_probe_${process.pid}`;
  const nft = run('nft', ['-f', '-'], `table bridge ${table} {\n chain forward { type filter hook forward priority 0; policy accept; }\n}\n`);
  run('nft', ['delete', 'table', 'bridge', table]);
  if (!nft.ok) return `nftables bridge filtering is not available here (nft: ${nft.why})`;
  return undefined;
}

interface OwnerRecord {
  runId: string;
  pid: number;
  /** /proc/<pid>/stat start time: a reused pid is not the owner. */
  startTicks: string;
  subnet: number;
}

function startTicksOf(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

export const ownerFile = (runId: string): string => join(KERNEL_NET_STATE_DIR, `${runId}.json`);

function ownerAlive(runId: string): boolean {
  try {
    const o = JSON.parse(readFileSync(ownerFile(runId), 'utf8')) as OwnerRecord;
    return startTicksOf(o.pid) === o.startTicks;
  } catch {
    return false;
  }
}

/** Every run id that owns a namespace, an interface or a table here. */
export function runIdsPresent(): Set<string> {
  const ids = new Set<string>();
  for (const line of run('ip', ['netns', 'list']).stdout.split('\n')) {
    const m = NAMESPACE_RE.exec(line.split(' ')[0] ?? '');
    if (m !== null) ids.add(m[1]!);
  }
  for (const name of linkNames()) {
    const m = BRIDGE_RE.exec(name) ?? /^avn?([0-9a-f]{6})-[0-9]+$/.exec(name);
    if (m !== null) ids.add(m[1]!);
  }
  for (const t of tableNames()) {
    const m = TABLE_RE.exec(t);
    if (m !== null) ids.add(m[1]!);
  }
  return ids;
}

/** Run `runId`'s namespaces, in node order. */
const nodeIndexOf = (ns: string): number => Number(ns.slice(ns.lastIndexOf('-') + 1));
function namespacesOfRun(runId: string): string[] {
  return run('ip', ['netns', 'list'])
    .stdout.split('\n')
    .map((l) => l.split(' ')[0] ?? '')
    .filter((ns) => NAMESPACE_RE.exec(ns)?.[1] === runId)
    .toSorted((x, y) => nodeIndexOf(x) - nodeIndexOf(y));
}

function linkNames(): string[] {
  const r = run('ip', ['-j', 'link', 'show']);
  if (!r.ok) return [];
  return (JSON.parse(r.stdout) as Array<{ ifname: string }>).map((l) => l.ifname);
}

function tableNames(): string[] {
  const r = run('nft', ['-j', 'list', 'tables', 'bridge']);
  if (!r.ok) return [];
  const doc = JSON.parse(r.stdout) as { nftables?: Array<{ table?: { name: string } }> };
  return (doc.nftables ?? []).flatMap((x) => (x.table === undefined ? [] : [x.table.name]));
}

/**
 * Removes everything run `runId` created: kills what still runs in its namespaces, deletes them (their veth
 * ends go with them), its bridge and stray veths, its table and its owner record. Returns what it could not
 * remove (empty when all is gone).
 */
export function removeRun(runId: string): string[] {
  const names = namesOf(runId);
  const namespaces = namespacesOfRun(runId);
  for (const ns of namespaces) {
    for (const pid of run('ip', ['netns', 'pids', ns]).stdout.split('\n').filter((p) => /^[0-9]+$/.test(p))) {
      try {
        process.kill(Number(pid), 'SIGKILL');
      } catch {
        // gone
      }
    }
  }
  if (namespaces.length > 0) run('ip', ['-force', '-batch', '-'], namespaces.map((ns) => `netns del ${ns}\n`).join(''));
  const links = linkNames().filter((l) => l === names.bridge || new RegExp(`^avn?${runId}-[0-9]+$`).test(l));
  if (links.length > 0) run('ip', ['-force', '-batch', '-'], links.map((l) => `link del ${l}\n`).join(''));
  if (tableNames().includes(names.table)) run('nft', ['delete', 'table', 'bridge', names.table]);
  rmSync(ownerFile(runId), { force: true });
  return runIdsPresent().has(runId) ? [`run ${runId}: ${leftoverList(runId).join(', ')}`] : [];
}

function leftoverList(runId: string): string[] {
  const names = namesOf(runId);
  const out: string[] = [];
  for (const ns of namespacesOfRun(runId)) out.push(`namespace ${ns} (ip netns del ${ns})`);
  for (const l of linkNames()) if (l === names.bridge || new RegExp(`^avn?${runId}-[0-9]+$`).test(l)) out.push(`interface ${l} (ip link del ${l})`);
  if (tableNames().includes(names.table)) out.push(`nftables table bridge ${names.table} (nft delete table bridge ${names.table})`);
  return out;
}

/**
 * Removes the kernel objects of earlier runs whose harness is gone (a SIGKILLed harness whose watchdog died
 * too, a reboot-less power cut of the harness); leaves those of runs still running alone. Returns one line per
 * run removed; throws one line naming what could not be removed and how to remove it.
 */
export function sweepLeftovers(): string[] {
  const removed: string[] = [];
  for (const id of [...runIdsPresent()].toSorted()) {
    if (ownerAlive(id)) continue;
    const what = leftoverList(id);
    const left = removeRun(id);
    if (left.length > 0) throw new Error(`--kernel-net: a previous run's network objects could not be removed: ${left.join('; ')}`);
    removed.push(`removed the leftover of kernel-net run ${id} (its harness is gone): ${what.map((w) => w.split(' (')[0]).join(', ')}`);
  }
  // Owner records of dead runs that left no object (their watchdog removed the objects, not the record).
  let records: string[] = [];
  try {
    records = readdirSync(KERNEL_NET_STATE_DIR);
  } catch {
    // no state directory yet
  }
  const present = runIdsPresent();
  for (const f of records) {
    const id = /^([0-9a-f]{6})\.json$/.exec(f)?.[1];
    if (id !== undefined && !present.has(id) && !ownerAlive(id)) rmSync(ownerFile(id), { force: true });
  }
  return removed;
}

export interface KernelNetStats {
  runId: string;
  subnet: string;
  namespaces: number;
  /** Partition rule sets applied (each partition or heal rewrites the chain). */
  ruleChanges: number;
  /** Packets and bytes the partition rules dropped, summed over the run. */
  droppedPackets: number;
  droppedBytes: number;
  /** The bandwidth the tc token buckets enforce, or null when the scenario sets none (no shaping). */
  shapedMbps: { up: number; down: number } | null;
  /** Leftovers of earlier runs this run removed before it started. */
  removedLeftovers: string[];
}

export interface KernelNetOptions {
  nodeCount: number;
  /** Shape every node's links (the scenario's network.bandwidth, when it sets one). */
  bandwidth?: { upMbps: number; downMbps: number };
  /** Tells the watchdog the run id before anything is created, so a SIGKILL mid-set-up is cleaned too. */
  onRunId?: (runId: string) => void;
}

export class KernelNet {
  private grudges: Grudge[] = [];
  private torn = false;
  readonly stats: KernelNetStats;

  private constructor(
    readonly names: KernelNetNames,
    readonly subnet: number,
    nodeCount: number,
    removedLeftovers: string[],
    shaped: KernelNetStats['shapedMbps'],
  ) {
    this.stats = { runId: names.runId, subnet: `${SUBNET_PREFIX}.${subnet}.0/24`, namespaces: nodeCount, ruleChanges: 0, droppedPackets: 0, droppedBytes: 0, shapedMbps: shaped, removedLeftovers };
  }

  /** Sweeps leftovers, then creates the run's namespaces, bridge, veths, table (and shaping). On failure removes what it made and throws one line. */
  static create(opts: KernelNetOptions): KernelNet {
    if (opts.nodeCount > KERNEL_NET_MAX_NODES) throw new RangeError(`--kernel-net: at most ${KERNEL_NET_MAX_NODES} nodes (one /24), got ${opts.nodeCount}`);
    mkdirSync(KERNEL_NET_STATE_DIR, { recursive: true, mode: 0o700 });
    const removed = sweepLeftovers();
    const present = runIdsPresent();
    let runId: string;
    do runId = randomBytes(3).toString('hex');
    while (present.has(runId) || readdirSync(KERNEL_NET_STATE_DIR).includes(`${runId}.json`));
    const used = run('ip', ['-j', '-4', 'addr', 'show']);
    const addrs = used.ok ? (JSON.parse(used.stdout) as Array<{ addr_info?: Array<{ local: string }> }>).flatMap((l) => (l.addr_info ?? []).map((a) => a.local)) : [];
    const subnet = freeSubnet(addrs, parseInt(runId, 16) % 256);
    if (subnet === undefined) throw new Error('--kernel-net: every /24 of 10.237.0.0/16 is in use on this machine');
    const names = namesOf(runId);
    const owner: OwnerRecord = { runId, pid: process.pid, startTicks: startTicksOf(process.pid) ?? '', subnet };
    writeFileAtomic(ownerFile(runId), `${JSON.stringify(owner)}\n`);
    opts.onRunId?.(runId);
    const shaped = opts.bandwidth === undefined ? null : { up: opts.bandwidth.upMbps, down: opts.bandwidth.downMbps };
    const net = new KernelNet(names, subnet, opts.nodeCount, removed, shaped);
    try {
      const script = setUpScript(names, subnet, opts.nodeCount);
      net.must(run('ip', ['-batch', '-'], script.root.join('\n') + '\n'), 'ip (namespaces, veth pairs, bridge)');
      for (const ns of script.inside) net.must(run('ip', ['-n', ns.namespace, '-batch', '-'], ns.lines.join('\n') + '\n'), `ip -n ${ns.namespace}`);
      net.must(run('nft', ['-f', '-'], tableScript(names)), 'nft (table)');
      if (opts.bandwidth !== undefined) {
        for (let i = 0; i < opts.nodeCount; i++) {
          for (const args of shapingCommands(names, i, opts.bandwidth.upMbps, opts.bandwidth.downMbps)) net.must(run('tc', args), `tc ${args.join(' ')}`);
        }
      }
    } catch (e) {
      net.tearDown();
      throw e;
    }
    return net;
  }

  private must(r: Ran, what: string): void {
    if (!r.ok) throw new Error(`--kernel-net: ${what} failed: ${r.why}`);
  }

  address(i: NodeId): string {
    return nodeAddress(this.subnet, i);
  }

  /** The command prefix that runs a process inside node i's namespace. */
  execPrefix(i: NodeId): string[] {
    return ['ip', 'netns', 'exec', this.names.namespace(i)];
  }

  /** Adds a grudge (a partition fault): the chain is rewritten with every grudge in force. */
  partition(g: Grudge): void {
    this.apply([...this.grudges, g]);
  }

  /** Removes every grudge (a heal fault). */
  heal(): void {
    this.apply([]);
  }

  private apply(grudges: Grudge[]): void {
    this.countDropped();
    this.must(run('nft', ['-f', '-'], rulesScript(this.names, this.subnet, grudges)), 'nft (partition rules)');
    this.grudges = grudges;
    this.stats.ruleChanges++;
  }

  /** Adds what the rules about to be flushed dropped. */
  private countDropped(): void {
    const r = run('nft', ['-j', 'list', 'chain', 'bridge', this.names.table, 'forward']);
    if (!r.ok) return;
    const d = droppedOf(r.stdout);
    this.stats.droppedPackets += d.packets;
    this.stats.droppedBytes += d.bytes;
  }

  /** Removes everything this run created (idempotent); throws one line naming what is left, if anything. */
  tearDown(): void {
    if (this.torn) return;
    this.torn = true;
    this.countDropped();
    const left = removeRun(this.names.runId);
    if (left.length > 0) throw new Error(`--kernel-net: could not remove ${left.join('; ')}`);
  }
}
