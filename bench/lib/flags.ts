/**
 * Flag parsing for the benches: node:util parseArgs in strict mode, every
 * bad value a BenchUsageError naming the flag and the rule (one line, exit 2).
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { BenchUsageError } from './git-ref.js';

export type FlagSpec = NonNullable<ParseArgsConfig['options']>;

export function parseFlags<T extends FlagSpec>(argv: readonly string[], options: T): Record<keyof T, string | boolean | undefined> {
  try {
    const { values } = parseArgs({ args: [...argv], options, strict: true, allowPositionals: false });
    return values as unknown as Record<keyof T, string | boolean | undefined>;
  } catch (e) {
    throw new BenchUsageError((e as Error).message.split('\n')[0]!);
  }
}

/** A string flag's value (undefined when absent). */
export function str(v: string | boolean | undefined): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

/** `10s`, `2500ms`, `1.5s` -> milliseconds. */
export function parseDurationMs(flag: string, text: string): number {
  const m = /^([0-9]+(?:\.[0-9]+)?)(ms|s)$/.exec(text);
  const ms = m === null ? NaN : Math.round(Number(m[1]) * (m[2] === 's' ? 1000 : 1));
  if (!(ms > 0)) throw new BenchUsageError(`${flag}: must be a positive duration like 10s or 2500ms, got "${text}"`);
  return ms;
}

export function parsePositiveInt(flag: string, text: string, max = 1_000_000): number {
  if (!/^[0-9]+$/.test(text) || Number(text) < 1 || Number(text) > max) throw new BenchUsageError(`${flag}: must be an integer from 1 to ${max}, got "${text}"`);
  return Number(text);
}

export function parseIntList(flag: string, text: string, max = 1_000_000): number[] {
  const parts = text.split(',');
  if (parts.some((p) => !/^[0-9]+$/.test(p) || Number(p) < 1 || Number(p) > max)) throw new BenchUsageError(`${flag}: must be comma-separated integers from 1 to ${max}, got "${text}"`);
  return parts.map(Number);
}

/** Simulated seconds, comma-separated: `20,40,60`. */
export function parseSecondsList(flag: string, text: string): number[] {
  const parts = text.split(',');
  if (parts.some((p) => !/^[0-9]+(\.[0-9]+)?$/.test(p) || !(Number(p) > 0))) throw new BenchUsageError(`${flag}: must be comma-separated positive seconds, e.g. 20,40,60, got "${text}"`);
  return parts.map(Number);
}

/** `12GiB`, `800MiB` -> bytes. */
export function parseBytes(flag: string, text: string): number {
  const m = /^([0-9]+(?:\.[0-9]+)?)(MiB|GiB)$/.exec(text);
  const bytes = m === null ? NaN : Number(m[1]) * (m[2] === 'GiB' ? 2 ** 30 : 2 ** 20);
  if (!(bytes >= 64 * 2 ** 20)) throw new BenchUsageError(`${flag}: must be a size of at least 64MiB, like 12GiB or 800MiB, got "${text}"`);
  return bytes;
}

/** A percentage in (0, 100): `10` -> 0.10. */
export function parsePercent(flag: string, text: string): number {
  const x = /^[0-9]+(\.[0-9]+)?$/.test(text) ? Number(text) : NaN;
  if (!(x > 0 && x < 100)) throw new BenchUsageError(`${flag}: must be a percentage between 0 and 100 (exclusive), got "${text}"`);
  return x / 100;
}

/** Runs a bench's main; a BenchUsageError ends as one line and exit 2, any other error as one line and exit 1. */
export async function benchMain(name: string, main: () => Promise<number>): Promise<void> {
  try {
    process.exitCode = await main();
  } catch (e) {
    const err = e as Error;
    process.stderr.write(`${name}: ${err.message}\n`);
    if (process.env.AVSIM_DEBUG === '1') process.stderr.write(`${err.stack ?? ''}\n`);
    process.exitCode = err instanceof BenchUsageError ? 2 : 1;
  }
}
