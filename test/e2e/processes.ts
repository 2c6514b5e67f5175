/** Test helper for the end-to-end tests: which processes are still around. */
import { readdirSync, readFileSync } from 'node:fs';

/** Pids of processes whose command line mentions `text`. */
export function processesMentioning(text: string): number[] {
  const out: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^[0-9]+$/.test(name)) continue;
    try {
      if (readFileSync(`/proc/${name}/cmdline`, 'utf8').includes(text)) out.push(Number(name));
    } catch {
      // gone meanwhile
    }
  }
  return out;
}
