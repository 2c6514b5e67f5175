import { execFileSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const here = fileURLToPath(new URL('.', import.meta.url));
const root = join(here, '..', '..');

/** Runs oxlint with the project config on one file; returns exit status and output. */
function lint(file: string): { status: number; out: string } {
  try {
    const out = execFileSync(join(root, 'node_modules', '.bin', 'oxlint'), ['-c', '.oxlintrc.json', file], { cwd: root, encoding: 'utf8' });
    return { status: 0, out };
  } catch (e) {
    const err = e as { status: number; stdout: string; stderr: string };
    return { status: err.status, out: err.stdout + err.stderr };
  }
}

describe('determinism lint in src/sim', () => {
  it('rejects Math.random and Date.now, accepts a clean file', () => {
    const bad = join(here, `__lint_probe_${process.pid}.ts`);
    const good = join(here, `__lint_probe_ok_${process.pid}.ts`);
    try {
      writeFileSync(bad, 'export const a = Math.random();\nexport const b = Date.now();\n');
      writeFileSync(good, 'export const a = Math.floor(2.5);\n');
      const r = lint(bad);
      expect(r.status).not.toBe(0);
      expect(r.out).toMatch(/determinism: use a seeded stream/);
      expect(r.out).toMatch(/determinism: use virtual time/);
      expect(lint(good).status).toBe(0);
    } finally {
      rmSync(bad, { force: true });
      rmSync(good, { force: true });
    }
  });
});
