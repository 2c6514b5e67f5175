/**
 * `avsim node --config FILE`: one node process. It validates its config and
 * the scenario (the same code as `avsim run`), opens each node's store,
 * listens (transport per node, one control API per process), writes its
 * ready file atomically, then waits: for POST /start (the run's epoch), or,
 * when respawned into a running run, boots at once on the run's clock.
 *
 * It exits when asked (SIGTERM, POST /stop: history and store flushed), and
 * on its own when its stdin pipe closes: the harness that started it is gone
 * (even by SIGKILL), so nothing is left behind.
 */
import { readFileSync } from 'node:fs';
import type { NodeId } from '../../consensus/host.js';
import { writeFileAtomic } from '../../report/atomic.js';
import { ScenarioError } from '../../scenario/problems.js';
import { ListenError } from '../../ops/metrics/server.js';
import { StoreIdentityError } from '../store/chain-store.js';
import { validateScenarioInput } from '../../scenario/validate.js';
import type { Scenario } from '../../scenario/schema.js';
import type { Fault } from '../../sim/types.js';
import { signedTxFromJson } from '../crypto/tx-json.js';
import { RunClock, monotonicNs } from '../host/clock.js';
import type { PeerAddress } from '../net/transport.js';
import { ApiError, ControlApi, type EventSubscriber } from './control-api.js';
import { requireBindable } from './loopback.js';
import { StandaloneBoot } from '../../ops/standalone/standalone-boot.js';
import { parseProcessConfig, type ProcessConfig } from './process-config.js';
import { RealNode } from './real-node.js';
import { parseByzantineBody, parseFault, parsePeers, parseTxBatch } from './api-bodies.js';

function log(text: string): void {
  process.stdout.write(`${new Date().toISOString()} ${text}\n`);
}

export function loadScenarioInput(input: unknown): Scenario {
  const r = validateScenarioInput(input);
  if (!r.ok) throw new ScenarioError(r.problems);
  return r.scenario;
}

export class NodeProcess {
  private readonly nodes = new Map<NodeId, RealNode>();
  private readonly subscribers = new Set<EventSubscriber>();
  private api: ControlApi | undefined;
  private readonly clock = new RunClock();
  private bootTimer: NodeJS.Timeout | undefined;
  private stopping: Promise<void> | undefined;
  private standalone: StandaloneBoot | undefined;

  constructor(
    private readonly cfg: ProcessConfig,
    private readonly scenario: Scenario,
    private readonly token: string,
  ) {
    requireBindable(cfg.listenHost, 'listenHost', cfg.bindMode);
    requireBindable(cfg.apiHost, 'apiHost', cfg.bindMode);
    if (cfg.metricsHost !== undefined) requireBindable(cfg.metricsHost, 'metricsHost', cfg.bindMode);
    const byz = new Set(cfg.byzantineIds);
    for (const n of cfg.nodes) {
      if (n.id >= scenario.nodes.count) throw new RangeError(`config: nodes: node ${n.id} is not a node of the scenario (nodes.count ${scenario.nodes.count})`);
      this.nodes.set(
        n.id,
        new RealNode({
          id: n.id,
          seed: cfg.seed,
          scenario,
          runTag: cfg.runTag,
          listenHost: cfg.listenHost,
          port: n.port,
          dataDir: n.dataDir,
          realSignatures: cfg.realSignatures,
          byzantineIds: cfg.byzantineIds,
          byzantine: byz.has(n.id) && cfg.byzantine !== null ? cfg.byzantine : undefined,
          clock: this.clock,
          publish: (line, poll) => this.publish(line, poll),
          log,
          payCpu: cfg.payCpu,
          metricsHost: cfg.metricsHost ?? cfg.listenHost,
          metricsPort: n.metricsPort,
          strictPort: cfg.standalone,
        }),
      );
    }
  }

  async start(): Promise<void> {
    const ports: Record<string, number> = {};
    const metricsPorts: Record<string, number> = {};
    for (const node of this.nodes.values()) {
      ports[String(node.id)] = await node.open();
      metricsPorts[String(node.id)] = node.metricsPort;
    }
    this.setPeers(parsePeers({ peers: this.cfg.peers }));
    for (const rule of this.cfg.rules) for (const n of this.nodes.values()) n.setNetwork(parseFault(rule) as Fault);
    this.api = new ControlApi({
      host: this.cfg.apiHost,
      port: this.cfg.apiPort,
      token: this.token,
      bindMode: this.cfg.bindMode,
      strictPort: this.cfg.standalone,
      handlers: {
        status: (id) => (id === undefined ? [...this.nodes.values()].map((n) => n.status()) : this.node(id).status()),
        submitTxs: (id, body) => this.submitTxs(id, body),
        setNetwork: (id, body) => {
          this.node(id).setNetwork(parseFault(body) as Fault);
          return { ok: true };
        },
        setByzantine: (id, body) => ({ behaviour: this.node(id).setByzantine(parseByzantineBody(body)) }),
        setPeers: (id, body) => {
          this.node(id);
          this.setPeers(parsePeers(body));
          return { ok: true };
        },
        start: (body) => this.startRun(body),
        stop: () => void this.stop(0),
        subscribe: (sub) => {
          this.subscribers.add(sub);
          return () => this.subscribers.delete(sub);
        },
      },
    });
    const apiPort = await this.api.listen();
    writeFileAtomic(this.cfg.readyFile, `${JSON.stringify({ pid: process.pid, apiPort, ports, metricsPorts })}\n`);
    log(`process ${process.pid}: nodes ${[...this.nodes.keys()].join(',')} ready; control API on ${this.cfg.apiHost}:${apiPort}`);
    if (this.cfg.epochNs !== null) this.scheduleBoot(BigInt(this.cfg.epochNs));
    if (this.cfg.standalone) {
      const node = [...this.nodes.values()][0] as RealNode;
      const dataDir = this.cfg.nodes[0]?.dataDir as string;
      this.standalone = new StandaloneBoot({ node, scenario: this.scenario, cfg: this.cfg, dataDir, clock: this.clock, log, boot: () => this.bootAll() });
      this.standalone.start();
    }
  }

  private node(id: number): RealNode {
    const n = this.nodes.get(id);
    if (n === undefined) throw new ApiError(404, `node: ${id} does not run in this process (it runs ${[...this.nodes.keys()].join(', ')})`);
    return n;
  }

  private setPeers(peers: ReadonlyMap<NodeId, PeerAddress>): void {
    for (const n of this.nodes.values()) n.setPeers(peers);
  }

  private submitTxs(id: number, body: unknown): unknown {
    const node = this.node(id);
    // The run's time 0 may have come a moment before the boot timer fires: boot now rather than refuse.
    if (!node.isBooted() && this.clock.started && this.clock.nowUs() >= 0) this.bootAll();
    if (!node.isBooted()) throw new ApiError(409, `node ${id}: not running yet (POST /start first)`);
    const out = { submitted: 0, rejected: 0 };
    for (const t of parseTxBatch(body)) {
      const r = node.submit(t.id, t.intendedUs, t.body === undefined ? undefined : signedTxFromJson(t.id, t.body));
      if (r === 'submitted') out.submitted++;
      else out.rejected++;
    }
    return out;
  }

  private startRun(body: unknown): unknown {
    const b = body as { epochNs?: unknown };
    if (typeof b.epochNs !== 'string' || !/^[0-9]+$/.test(b.epochNs)) throw new ApiError(400, 'epochNs: must be a decimal string of monotonic nanoseconds');
    this.scheduleBoot(BigInt(b.epochNs));
    return { epochNs: b.epochNs, inMs: Number(BigInt(b.epochNs) - monotonicNs()) / 1e6 };
  }

  private scheduleBoot(epochNs: bigint): void {
    this.clock.start(epochNs);
    if (this.bootTimer !== undefined) return;
    const waitMs = Math.max(0, Number(epochNs - monotonicNs()) / 1e6);
    this.bootTimer = setTimeout(() => this.bootAll(), waitMs);
  }

  private bootAll(): void {
    for (const n of this.nodes.values()) n.boot();
  }

  private publish(line: string, poll: boolean): void {
    for (const s of this.subscribers) if (!poll || s.polls) s.write(line);
  }

  /** Flushes and exits with `code`. */
  stop(code: number): Promise<void> {
    if (this.stopping === undefined) {
      this.stopping = (async () => {
        if (this.bootTimer !== undefined) clearTimeout(this.bootTimer);
        this.standalone?.stop();
        await this.api?.close();
        for (const n of this.nodes.values()) await n.close();
        log(`process ${process.pid}: stopped`);
        process.exit(code);
      })();
    }
    return this.stopping;
  }
}

/** Exit code of a daemon that could not start: 2 for input the user can fix (config, scenario, port, data dir, store identity). */
export function daemonExitCode(e: unknown): number {
  return e instanceof RangeError || e instanceof ScenarioError || e instanceof StoreIdentityError || e instanceof ListenError ? 2 : 1;
}

/** Runs the daemon; on a startup failure prints one line and exits (open listeners and stores must not keep it alive). */
export async function runNodeDaemonOrExit(configPath: string): Promise<never> {
  try {
    await runNodeDaemon(configPath);
  } catch (e) {
    process.stderr.write(`avsim node: ${(e instanceof Error ? e.message : String(e)).split('\n')[0]}\n`);
    process.exit(daemonExitCode(e));
  }
  return process.exit(0);
}

/** The daemon's main; resolves only on a configuration error (which it throws). */
export async function runNodeDaemon(configPath: string): Promise<void> {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(configPath, 'utf8'));
  } catch (e) {
    throw new RangeError(`--config: ${configPath} is not a readable JSON file (${(e as Error).message.split('\n')[0]})`);
  }
  const cfg = parseProcessConfig(data);
  const scenario = loadScenarioInput(cfg.scenario);
  const token = readFileSync(cfg.tokenFile, 'utf8').trim();
  const proc = new NodeProcess(cfg, scenario, token);
  for (const sig of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) process.on(sig, () => void proc.stop(0));
  // The harness holds our stdin: when it goes away, so do we. A standalone node has no harness (a container's stdin
  // is /dev/null): it runs until it is stopped.
  if (!cfg.standalone && !process.stdin.isTTY) {
    process.stdin.on('end', () => void proc.stop(0));
    process.stdin.on('close', () => void proc.stop(0));
    process.stdin.resume();
  }
  await proc.start();
  await new Promise<never>(() => undefined);
}
