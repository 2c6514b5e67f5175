/**
 * The avsim package's root directory (where package.json and deploy/ are),
 * found by walking up from this file, so it is the same whether the code runs
 * from src/ (tests) or dist/src/ (the built CLI, or an image).
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: string | undefined;

export function packageRoot(): string {
  if (cached !== undefined) return cached;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'deploy'))) return (cached = dir);
    const up = dirname(dir);
    if (up === dir) throw new Error('avsim: cannot find the package root (package.json beside deploy/) above the code');
    dir = up;
  }
}

/** A file under the package's deploy/ folder. */
export function deployFile(...parts: string[]): string {
  return join(packageRoot(), 'deploy', ...parts);
}
