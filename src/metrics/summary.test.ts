import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseRunSummary } from './summary.js';

/** Every runs/*.json under results/ (committed canonical results, simulated and real). */
function committedRunFiles(dir = 'results'): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true }).toSorted((a, b) => a.name.localeCompare(b.name))) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...committedRunFiles(p));
    else if (e.name.endsWith('.json') && dir.endsWith('/runs')) out.push(p);
  }
  return out;
}

describe('RunSummary contract (one zod schema, types inferred from it)', () => {
  const files = committedRunFiles();

  it('accepts every committed results file, simulated and real', () => {
    expect(files.length).toBeGreaterThan(100);
    const bad = files.flatMap((f) => {
      const r = parseRunSummary(JSON.parse(readFileSync(f, 'utf8')));
      return r.ok ? [] : [`${f}: ${r.error}`];
    });
    expect(bad).toEqual([]);
  });

  const realFile = files.find((f) => f.includes('/real/runs/'));
  it('validates the real-run details too, naming the bad field', () => {
    expect(realFile).toBeDefined();
    const real = JSON.parse(readFileSync(realFile ?? '', 'utf8')) as { mode: string; real: { hostCpu: Record<string, unknown> } };
    expect(real.mode).toBe('real');
    real.real.hostCpu.cores = 'two';
    expect(parseRunSummary(real)).toEqual({ ok: false, error: 'real.hostCpu.cores: Invalid input: expected number, received string' });
  });

  it('rejects an optional field that is present but wrong, and keeps extra fields', () => {
    const s = JSON.parse(readFileSync(files[0] ?? '', 'utf8')) as Record<string, unknown>;
    expect(parseRunSummary({ ...s, mode: 'emulated' })).toMatchObject({ ok: false, error: expect.stringMatching(/^mode: /) });
    expect(parseRunSummary({ ...s, rejectedTransactions: -1 })).toMatchObject({ ok: false, error: expect.stringMatching(/^rejectedTransactions: /) });
    const extra = parseRunSummary({ ...s, futureField: 1 });
    expect(extra.ok && (extra.summary as unknown as Record<string, unknown>).futureField).toBe(1);
  });
});
