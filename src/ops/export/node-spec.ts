/**
 * How a node runs inside a container: its ports, its data and config paths,
 * the config file `avsim node --config` reads (the same ProcessConfig the
 * local harness writes, src/cluster/node/process-config.ts), and the shell
 * entry line that prepares the per-run API token and the node's config
 * before exec'ing the node. One place, so Compose and Kubernetes agree with
 * each other and with the node daemon.
 */
import type { NodeId } from '../../consensus/host.js';
import { planRun } from '../../runner/run-scenario.js';
import type { Scenario } from '../../scenario/schema.js';

export const PORTS = { p2p: 9651, metrics: 9650, api: 9652 } as const;
export const DATA_DIR = '/data';
export const CONFIG_DIR = '/etc/avsim';
export const TOKEN_FILE = `${DATA_DIR}/api-token`;
export const IMAGE_DEFAULT = 'avsim-node:0.1.0';
/** In a config template, the node id's place: the JSON string "__AVSIM_NODE_ID__" becomes the integer when the container starts. */
export const NODE_ID_PLACEHOLDER = '__AVSIM_NODE_ID__';

export interface DeploymentInput {
  scenario: Scenario;
  /** The scenario as loaded (after --set), what the node validates again. */
  input: unknown;
  seed: number;
  realSignatures: boolean;
}

/** A stable 32-bit tag of (scenario name, seed): the run's identity on the wire and in metrics. */
export function runTagOf(name: string, seed: number): number {
  let h = 0x811c9dc5;
  for (const c of `${name}/${seed}`) h = Math.imul(h ^ c.charCodeAt(0), 0x01000193) >>> 0;
  return h;
}

export function runIdOf(name: string, seed: number): string {
  return `${name}-s${seed}-${runTagOf(name, seed).toString(16).padStart(8, '0')}`;
}

/**
 * The node's config. `peerHost(i)` names node i on the deployment's network
 * (a Compose service name, or a StatefulSet pod's stable DNS name).
 */
export function nodeConfig(d: DeploymentInput, id: NodeId | typeof NODE_ID_PLACEHOLDER, peerHost: (i: NodeId) => string): Record<string, unknown> {
  const { scenario, seed } = d;
  const { byzantine } = planRun(scenario, seed);
  const b = scenario.byzantine;
  const peers: Record<string, { host: string; port: number }> = {};
  for (let i = 0; i < scenario.nodes.count; i++) peers[String(i)] = { host: peerHost(i), port: PORTS.p2p };
  return {
    version: 1,
    runTag: runTagOf(scenario.name, seed),
    seed,
    scenario: d.input,
    nodes: [{ id, dataDir: DATA_DIR, port: PORTS.p2p, metricsPort: PORTS.metrics }],
    // The node has a network namespace of its own (a container, a pod): its transport and /metrics must be reachable
    // from the other containers. Without this the daemon refuses any non-loopback address.
    bindMode: 'container',
    // Peers reach each other across containers: the transport listens on every address of the pod.
    listenHost: '0.0.0.0',
    // The control API stays on loopback (token-protected); the probe runs inside the container.
    apiHost: '127.0.0.1',
    apiPort: PORTS.api,
    tokenFile: TOKEN_FILE,
    readyFile: `${DATA_DIR}/ready.json`,
    metricsHost: '0.0.0.0',
    realSignatures: d.realSignatures,
    byzantineIds: [...byzantine],
    byzantine: b === undefined ? null : { strategy: b.strategy, options: b.options, fromUs: b.from, untilUs: b.until ?? scenario.duration },
    // No harness hands out a shared epoch: each node starts its run clock when it boots (connected to its peers, or
    // after standaloneBootWaitMs), keeps that time 0 on its volume, and draws its own share of the load.
    epochNs: null,
    standalone: true,
    standaloneBootWaitMs: 120_000,
    peers,
    payCpu: true,
  };
}

/** JSON of a config; with the placeholder id, the `"__AVSIM_NODE_ID__"` string stands where the integer goes. */
export function configText(config: Record<string, unknown>): string {
  return `${JSON.stringify(config, null, 2)}\n`;
}

/**
 * The container's shell entry: make the API token once (kept on the data
 * volume, readable by the node's user only), write the node's config, exec
 * the node. `$NODE_ID` must be set by the caller (Compose: environment;
 * Kubernetes: from the pod's ordinal).
 */
export function entryScript(configSource: string, substituteId: boolean): string {
  const write = substituteId ? `sed 's/"${NODE_ID_PLACEHOLDER}"/'"$NODE_ID"'/' ${configSource} > /tmp/node.json` : `cp ${configSource} /tmp/node.json`;
  return [
    'set -eu',
    `umask 077`,
    `[ -s ${TOKEN_FILE} ] || od -An -tx1 -N32 /dev/urandom | tr -d ' \\n' > ${TOKEN_FILE}`,
    write,
    'exec avsim node --config /tmp/node.json',
  ].join('\n');
}

/** The readiness check: GET /status on the loopback control API with the token (exit 0 when the node answers 200). */
export const STATUS_PROBE = ['node', '/app/dist/src/ops/export/status-probe.js', TOKEN_FILE, String(PORTS.api)] as const;
