/**
 * End to end: `avsim check` on a tiny gate file (4 runs of 12 nodes, 12 s
 * simulated). It passes when every expected outcome is the measured one, and
 * fails with exit 1 and the failing seed's repro command when one cell's
 * expectation is changed.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { checkCommand, loadGate } from './check.js';
import { tinyGate as gateFile } from './tiny-gate.testkit.js';


function write(text: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'avsim-check-')), 'gate.yaml');
  writeFileSync(file, text);
  return file;
}

async function check(file: string): Promise<{ code: number; out: string }> {
  const chunks: string[] = [];
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((c: string | Uint8Array) => {
    chunks.push(String(c));
    return true;
  });
  try {
    const code = await checkCommand(file, { workers: '1', quiet: true });
    return { code, out: chunks.join('') };
  } finally {
    spy.mockRestore();
  }
}

afterEach(() => vi.restoreAllMocks());

describe('avsim check', () => {
  it('passes when every cell shows its measured outcome (34% silent of 12 nodes loses liveness)', async () => {
    const r = await check(write(gateFile('safe-not-live')));
    expect(r.out).toContain('gate: PASS, all 4 cells (4 runs) match their expected outcome');
    expect(r.code).toBe(0);
  });

  it('fails with exit 1 and prints the repro of the failing seed when one expectation is changed', async () => {
    const file = write(gateFile('safe-live'));
    const r = await check(file);
    expect(r.code).toBe(1);
    expect(r.out).toContain('gate: FAIL, 1 of 4 cells (4 runs) do not match their expected outcome');
    expect(r.out).toContain('silent @ 34%: expected safe-live, observed safe-not-live');
    expect(r.out).toContain(`avsim run ${file} --seed 1 --set byzantine.strategy=silent --set byzantine.fraction=0.34`);
    expect(r.out).toMatch(/silent\s+34%\s+safe-live\s+safe-not-live.*MISMATCH/);
  });

  it('rejects bad input with one line naming the field', () => {
    expect(() => loadGate(write(gateFile('safe-not-live').replace(/gate:[\s\S]*/, '')), undefined)).toThrow(/gate: missing/);
    const sneaky = gateFile('safe-not-live')
      .replace('[silent, always-accept]', '[silent, always-accept, sneaky]')
      .concat('    sneaky: {0: safe-live, 0.34: safe-live}\n');
    expect(() => loadGate(write(sneaky), undefined)).toThrow(/^gate\.strategies: unknown strategy "sneaky"; known: silent, random-vote/);
    expect(() => loadGate(write(gateFile('safe-not-live').replace('[silent, always-accept]', '[silent, always-accept, sneaky]')), undefined)).toThrow(
      /gate\.expected\.sneaky: missing expected outcome for fraction 0/,
    );
    expect(() => loadGate(write(gateFile('sort-of')), undefined)).toThrow(/gate\.expected\.silent\["0\.34"\]: must be one of "safe-live", "safe-not-live", "unsafe"/);
  });
});
