/** Request bodies of the control API, checked by shape; every failure is one line naming the field (HTTP 400). */
import { z } from 'zod';
import type { NodeId } from '../../consensus/host.js';
import type { SignedTxJson } from '../crypto/tx-json.js';
import type { PeerAddress } from '../net/transport.js';
import { ApiError } from './control-api.js';
import type { ByzantineSpec } from './switchable-behaviour.js';

const Id = z.number().int().min(0).max(2 ** 53 - 1);
const Us = z.number().int().min(0);
const Nodes = z.array(z.number().int().min(0)).max(100_000);
const Probability = z.number().min(0).lt(1);

const TxBatch = z.strictObject({
  txs: z
    .array(
      z.strictObject({
        id: Id,
        intendedUs: Us.optional(),
        body: z.strictObject({ payload: z.string(), publicKey: z.string(), signature: z.string() }).optional(),
      }),
    )
    .max(100_000),
});

const NetworkRule = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('partition'),
    grudge: z.discriminatedUnion('kind', [
      z.strictObject({ kind: z.literal('split'), groups: z.array(Nodes).min(2).max(32) }),
      z.strictObject({ kind: z.literal('one-way'), from: Nodes, to: Nodes }),
    ]),
  }),
  z.strictObject({ kind: z.literal('heal') }),
  z.strictObject({ kind: z.literal('set-loss'), probability: Probability, nodes: Nodes.optional() }),
  z.strictObject({ kind: z.literal('set-duplication'), probability: Probability }),
  z.strictObject({ kind: z.literal('add-delay'), extraUs: Us, nodes: Nodes.optional() }),
]);

const Byzantine = z.union([
  z.strictObject({ strategy: z.literal('honest') }),
  z.strictObject({
    strategy: z.string().regex(/^[a-z][a-z0-9-]*$/),
    options: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).default({}),
    fromUs: Us.default(0),
    untilUs: Us.optional(),
  }),
]);

const Peers = z.strictObject({
  peers: z.record(z.string().regex(/^[0-9]+$/), z.strictObject({ host: z.string().min(1), port: z.number().int().min(1).max(65_535) })),
});

function parse<T extends z.ZodType>(schema: T, body: unknown, what: string): z.output<T> {
  const r = schema.safeParse(body);
  if (r.success) return r.data;
  const first = r.error.issues[0];
  throw new ApiError(400, `${what}${first === undefined || first.path.length === 0 ? '' : `.${first.path.join('.')}`}: ${first?.message ?? 'invalid'}`);
}

export function parseTxBatch(body: unknown): Array<{ id: number; intendedUs?: number | undefined; body?: SignedTxJson | undefined }> {
  return parse(TxBatch, body, 'txs').txs;
}

/** A network rule in the simulator's own fault vocabulary (validated against the node count by the node). */
export function parseFault(body: unknown): z.output<typeof NetworkRule> {
  return parse(NetworkRule, body, 'network');
}

export function parseByzantineBody(body: unknown): ByzantineSpec | undefined {
  const b = parse(Byzantine, body, 'byzantine');
  if (b.strategy === 'honest' || !('options' in b)) return undefined;
  return { strategy: b.strategy, options: b.options, fromUs: b.fromUs, untilUs: b.untilUs ?? Infinity };
}

export function parsePeers(body: unknown): Map<NodeId, PeerAddress> {
  const p = parse(Peers, body, 'peers').peers;
  return new Map(Object.entries(p).map(([id, a]) => [Number(id), a]));
}
