/**
 * What the harness tells one node process (its config.json): the scenario as
 * the harness loaded it (validated again here by the same code), which nodes
 * this process runs and where their data lives, where to listen, the token
 * file, and the run's epoch once it is known (a respawned process boots at
 * once on the run's clock).
 */
import { z } from 'zod';

const Int = z.number().int();
const Port = Int.min(0).max(65_535);

export const ProcessConfigSchema = z.strictObject({
  version: z.literal(1),
  runTag: Int.min(0).max(2 ** 32 - 1),
  seed: Int.min(0).max(2 ** 32 - 1),
  /** The scenario input (after --set), as `avsim run` reads it. */
  scenario: z.unknown(),
  nodes: z
    // metricsPort: where the validator serves /metrics (0 = any free port; src/ops/metrics).
    .array(z.strictObject({ id: Int.min(0), dataDir: z.string().min(1), port: Port, metricsPort: Port.default(0) }))
    .min(1)
    .max(64),
  listenHost: z.string().min(1),
  apiHost: z.string().min(1),
  /** Address of the validators' /metrics listeners (default: listenHost). */
  metricsHost: z.string().min(1).optional(),
  apiPort: Port,
  tokenFile: z.string().min(1),
  readyFile: z.string().min(1),
  realSignatures: z.boolean(),
  byzantineIds: z.array(Int.min(0)),
  byzantine: z
    .strictObject({
      strategy: z.string().min(1),
      options: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
      fromUs: Int.min(0),
      untilUs: z.number().min(0),
    })
    .nullable(),
  /** Monotonic ns of time 0 (a decimal string: it exceeds 2^53); null until the harness starts the run. */
  epochNs: z.string().regex(/^[0-9]+$/).nullable(),
  /** Where every node of the run listens (id -> address), as far as the harness knows. */
  peers: z.record(z.string().regex(/^[0-9]+$/), z.strictObject({ host: z.string(), port: Port.min(1) })),
  /** Network rules already in force (a respawned process applies them before it boots). */
  rules: z.array(z.unknown()).max(100_000).default([]),
  /** Pay modelled CPU as busy work (false only in tests). */
  payCpu: z.boolean().default(true),
  /**
   * Where listeners may bind. `loopback` (the default, and what `avsim cluster run` writes): every listener on
   * 127.0.0.0/8 or ::1, anything else refused. `container`: written only by `avsim cluster export` for a node in its
   * own network namespace (a container or a pod), where the transport and /metrics must be reachable from other
   * containers (listenHost / metricsHost 0.0.0.0); the control API may then bind outside loopback too, still behind
   * its bearer token (the export keeps it on 127.0.0.1; docs/cluster.md, "Security"). `netns`: written by
   * `avsim cluster run --kernel-net` for a node alone in a network namespace the harness created, whose only
   * interface besides lo is a veth to a host-only bridge: every listener binds to that veth address.
   */
  bindMode: z.enum(['loopback', 'container', 'netns']).default('loopback'),
  /**
   * No harness: the node boots on its own once it is connected to every peer of `peers` (or after
   * `standaloneBootWaitMs` with whoever is there), starts its run clock then, and draws its own share of the
   * scenario's seeded load (the same arrivals the harness would send it). Ports are taken exactly as given (a
   * taken port is an error, not a fallback: peers find the node at its configured address). Faults are not applied.
   */
  standalone: z.boolean().default(false),
  standaloneBootWaitMs: Int.min(0).max(3_600_000).default(60_000),
});

export type ProcessConfig = z.output<typeof ProcessConfigSchema>;
export type ProcessConfigInput = z.input<typeof ProcessConfigSchema>;

/** Parses a config; throws one line naming the first bad field. */
export function parseProcessConfig(data: unknown): ProcessConfig {
  const r = ProcessConfigSchema.safeParse(data);
  if (r.success) {
    if (r.data.standalone && r.data.epochNs !== null) throw new RangeError('config: epochNs: must be null when standalone is true (a standalone node starts its own run clock)');
    if (r.data.standalone && r.data.nodes.length !== 1) throw new RangeError(`config: nodes: a standalone process runs exactly one node, got ${r.data.nodes.length}`);
    return r.data;
  }
  const first = r.error.issues[0];
  throw new RangeError(`config: ${first === undefined ? 'invalid' : `${first.path.join('.') || '(top level)'}: ${first.message}`}`);
}
