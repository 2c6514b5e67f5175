/**
 * The protocols a scenario can name in `protocol.name`, each one adapter
 * (protocol.ts) in its own folder. Add a protocol here: one line.
 */
import type { AnyProtocol } from './protocol.js';
import { avalanche } from './avalanche/adapter/protocol.js';
import { snowman } from './snowman/protocol.js';

export const PROTOCOLS = [snowman, avalanche] as const;

export const PROTOCOL_NAMES: readonly string[] = PROTOCOLS.map((p) => p.name);

/** The scenario's `protocol:` section, one zod object per protocol (tagged by `name`), for the scenario schema. */
export const PROTOCOL_SECTIONS = PROTOCOLS.map((p) => p.section) as unknown as SectionsOf<typeof PROTOCOLS>;

/** The tuple of section schemas of a tuple of adapters (keeps each section's type for the scenario's type). */
type SectionsOf<T extends readonly unknown[]> = { [K in keyof T]: T[K] extends { readonly section: infer S } ? S : never };

export function findProtocol(name: string): AnyProtocol | undefined {
  return (PROTOCOLS as readonly AnyProtocol[]).find((p) => p.name === name);
}

/** The protocol or a one-line error naming the field and the known names. */
export function protocolOrThrow(name: string, field = 'protocol.name'): AnyProtocol {
  const p = findProtocol(name);
  if (p === undefined) throw new RangeError(`${field}: unknown protocol "${name}"; known: ${PROTOCOL_NAMES.join(', ')}`);
  return p;
}
