/**
 * --kernel-net, the pure part: the names, addresses and command scripts of
 * one run's kernel network (src/cluster/harness/kernel-net.ts runs them).
 *
 * One run owns, all named after its 6-hex-digit run id R:
 *   network namespaces  avsim-R-<i>     one per node; inside, `eth0` (10.237.S.<i+2>/24) and `lo`
 *   veth pairs          avR-<i>         the root-namespace end, a port of the bridge
 *   a bridge            avbr-R          10.237.S.1/24 in the root namespace: the harness (control API,
 *                                       /metrics, Prometheus) reaches node i at 10.237.S.<i+2>
 *   an nftables table   bridge avsim_R  one forward chain: the partition rules (drop, with counters)
 *   an owner record     <state dir>/R.json  harness pid, so a later run tells a leftover from a live run
 *
 * S (the /24) is chosen free among the root namespace's addresses.
 */
import type { NodeId } from '../../consensus/host.js';
import type { Grudge } from '../../sim/network.js';

/** Nodes of one run with --kernel-net: one /24, .1 for the bridge, .2 .. for the nodes. */
export const KERNEL_NET_MAX_NODES = 250;
export const SUBNET_PREFIX = '10.237';

export interface KernelNetNames {
  readonly runId: string;
  readonly bridge: string;
  readonly table: string;
  namespace(i: NodeId): string;
  hostVeth(i: NodeId): string;
}

export function namesOf(runId: string): KernelNetNames {
  if (!/^[0-9a-f]{6}$/.test(runId)) throw new RangeError(`kernel-net: run id must be 6 hex digits, got "${runId}"`);
  return {
    runId,
    bridge: `avbr-${runId}`,
    table: `avsim_${runId}`,
    namespace: (i) => `avsim-${runId}-${i}`,
    hostVeth: (i) => `av${runId}-${i}`,
  };
}

/** Run ids owning each kind of object, parsed from `ip netns list`, the bridge names and the nft table names. */
export const NAMESPACE_RE = /^avsim-([0-9a-f]{6})-[0-9]+$/;
export const BRIDGE_RE = /^avbr-([0-9a-f]{6})$/;
export const TABLE_RE = /^avsim_([0-9a-f]{6})$/;

export function nodeAddress(subnet: number, i: NodeId): string {
  return `${SUBNET_PREFIX}.${subnet}.${i + 2}`;
}
export function bridgeAddress(subnet: number): string {
  return `${SUBNET_PREFIX}.${subnet}.1`;
}

/** The first /24 10.237.S.0 (from `start`, wrapping) that no address in `used` lies in; undefined when all 256 are taken. */
export function freeSubnet(used: readonly string[], start: number): number | undefined {
  const taken = new Set<number>();
  for (const a of used) {
    const m = /^10\.237\.([0-9]+)\./.exec(a);
    if (m !== null) taken.add(Number(m[1]));
  }
  for (let k = 0; k < 256; k++) {
    const s = (start + k) % 256;
    if (!taken.has(s)) return s;
  }
  return undefined;
}

/**
 * `ip -batch` lines that create the bridge, each node's namespace and veth pair (root namespace), and per
 * namespace the lines run there (`ip -n NS -batch`: batch lines take no -n) that name and address its end.
 */
export function setUpScript(names: KernelNetNames, subnet: number, nodeCount: number): { root: string[]; inside: Array<{ namespace: string; lines: string[] }> } {
  const root = [`link add ${names.bridge} type bridge`, `addr add ${bridgeAddress(subnet)}/24 dev ${names.bridge}`, `link set ${names.bridge} up`];
  const inside: Array<{ namespace: string; lines: string[] }> = [];
  for (let i = 0; i < nodeCount; i++) {
    const ns = names.namespace(i);
    const host = names.hostVeth(i);
    // The namespace end is created under a unique name (interface names are global until moved), then renamed eth0.
    const inner = `avn${names.runId}-${i}`;
    root.push(`netns add ${ns}`, `link add ${host} type veth peer name ${inner}`, `link set ${inner} netns ${ns}`, `link set ${host} master ${names.bridge}`, `link set ${host} up`);
    inside.push({ namespace: ns, lines: [`link set ${inner} name eth0`, `addr add ${nodeAddress(subnet, i)}/24 dev eth0`, 'link set eth0 up', 'link set lo up'] });
  }
  return { root, inside };
}

/** The table with an empty forward chain (bridged frames between namespaces pass through it). */
export function tableScript(names: KernelNetNames): string {
  return `table bridge ${names.table} {\n  chain forward {\n    type filter hook forward priority 0; policy accept;\n  }\n}\n`;
}

/** Ordered (from, to) address-set pairs whose packets a grudge drops: a split cuts every pair of groups both ways; one-way cuts from -> to. */
export function dropPairs(grudges: readonly Grudge[]): Array<{ from: readonly NodeId[]; to: readonly NodeId[] }> {
  const out: Array<{ from: readonly NodeId[]; to: readonly NodeId[] }> = [];
  for (const g of grudges) {
    if (g.kind === 'one-way') {
      if (g.from.length > 0 && g.to.length > 0) out.push({ from: g.from, to: g.to });
      continue;
    }
    for (let a = 0; a < g.groups.length; a++) {
      for (let b = 0; b < g.groups.length; b++) {
        const from = g.groups[a]!;
        const to = g.groups[b]!;
        if (a !== b && from.length > 0 && to.length > 0) out.push({ from, to });
      }
    }
  }
  return out;
}

/**
 * An `nft -f` script that replaces the forward chain's rules with the drops
 * for `grudges` (atomically: nft applies a script as one transaction). No
 * grudges: the chain is emptied (heal).
 */
export function rulesScript(names: KernelNetNames, subnet: number, grudges: readonly Grudge[]): string {
  const set = (ids: readonly NodeId[]): string => `{ ${ids.map((i) => nodeAddress(subnet, i)).join(', ')} }`;
  const lines = [`flush chain bridge ${names.table} forward`];
  for (const p of dropPairs(grudges)) lines.push(`add rule bridge ${names.table} forward ip saddr ${set(p.from)} ip daddr ${set(p.to)} counter drop`);
  return `${lines.join('\n')}\n`;
}

/** Packets and bytes the chain's rules dropped, from `nft -j list chain` output. */
export function droppedOf(nftJson: string): { packets: number; bytes: number } {
  const doc = JSON.parse(nftJson) as { nftables?: Array<{ rule?: { expr?: Array<{ counter?: { packets: number; bytes: number } }> } }> };
  let packets = 0;
  let bytes = 0;
  for (const item of doc.nftables ?? []) {
    for (const e of item.rule?.expr ?? []) {
      if (e.counter !== undefined) {
        packets += e.counter.packets;
        bytes += e.counter.bytes;
      }
    }
  }
  return { packets, bytes };
}

/**
 * `tc` argument lists shaping node i's links as the scenario's bandwidth says: a token bucket on the namespace's
 * eth0 (the node's uplink) and on the bridge port (its downlink). The burst is at least 64 KiB, so that a
 * segment the veth hands over in one piece (GSO) is never larger than the bucket (tbf would drop it).
 */
/** tc arguments of a token bucket at `mbps`: latency is how long a packet may wait in its queue before it is dropped; long, as the simulator's uplink queue is unbounded. */
function tbf(mbps: number): string[] {
  const bytesPerSec = (mbps * 1e6) / 8;
  const burst = Math.max(65_536, Math.ceil(bytesPerSec / 500));
  return ['root', 'tbf', 'rate', `${mbps}mbit`, 'burst', String(burst), 'latency', '5s'];
}

export function shapingCommands(names: KernelNetNames, i: NodeId, upMbps: number, downMbps: number): string[][] {
  return [
    ['-n', names.namespace(i), 'qdisc', 'replace', 'dev', 'eth0', ...tbf(upMbps)],
    ['qdisc', 'replace', 'dev', names.hostVeth(i), ...tbf(downMbps)],
  ];
}
