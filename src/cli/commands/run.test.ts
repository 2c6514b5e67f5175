import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fixtureSummary } from '../../report/fixtures.js';
import { RunSummarySchema } from '../../metrics/summary.js';

// The real runner is someone else's; this test holds the CLI's side of the contract.
vi.mock('../../runner/run-scenario.js', () => ({
  runScenario: vi.fn(async (scenario: { name: string; nodes: { count: number } }, opts: { seed: number; repro?: string }) => ({
    ...fixtureSummary({ scenario: scenario.name, nodes: scenario.nodes.count, seed: opts.seed, offeredTps: 100 }),
    repro: opts.repro ?? '',
  })),
}));

const { runCommand } = await import('./run.js');

function scenarioFile(checks: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'avsim-run-'));
  const file = join(dir, 's.yaml');
  writeFileSync(file, `name: demo\nseeds: 2\nduration: 1m\nnodes: {count: 150}\nworkload: {phases: [{kind: constant, rateTps: 100, duration: 1m}]}\nchecks: ${JSON.stringify(checks)}\n`);
  return file;
}

function captureStdout(): { lines: () => string[]; restore: () => void } {
  const out: string[] = [];
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out.push(String(chunk));
    return true;
  });
  const errSpy = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  return { lines: () => out.join('').trimEnd().split('\n'), restore: () => { spy.mockRestore(); errSpy.mockRestore(); } };
}

describe('avsim run', () => {
  afterEach(() => vi.restoreAllMocks());

  it('--json prints one contract-valid summary per seed, with checks evaluated, and exits 0', async () => {
    const file = scenarioFile(['tps >= 90', 'safety.violations == 0']);
    const out = mkdtempSync(join(tmpdir(), 'avsim-out-'));
    const cap = captureStdout();
    const code = await runCommand(file, { json: true, out, progress: false });
    cap.restore();
    expect(code).toBe(0);
    const summaries = cap.lines().map((l) => JSON.parse(l) as unknown);
    expect(summaries).toHaveLength(2);
    for (const s of summaries) expect(RunSummarySchema.safeParse(s).success).toBe(true);
    expect(summaries.map((s) => (s as { seed: number }).seed)).toEqual([1, 2]);
    expect((summaries[0] as { checks: unknown }).checks).toEqual([
      { expr: 'tps >= 90', ok: true, value: Number(fixtureSummary({ seed: 1, nodes: 150, offeredTps: 100 }).tps.toPrecision(12)) },
      { expr: 'safety.violations == 0', ok: true, value: 0 },
    ]);
    expect((summaries[1] as { repro: string }).repro).toBe(`avsim run ${file} --seed 2`);
    expect(readdirSync(join(out, 'runs'))).toEqual(['base.s1.json', 'base.s2.json']);
    expect(readdirSync(out).sort()).toEqual(['points.csv', 'runs', 'runs.csv', 'runs.json', 'throughput.csv']);
  });

  it('exits 1 when a check fails', async () => {
    const file = scenarioFile(['tps >= 500']);
    const cap = captureStdout();
    const code = await runCommand(file, { json: true, seed: '7', set: ['nodes.count=200'], progress: false });
    cap.restore();
    expect(code).toBe(1);
    const s = JSON.parse(cap.lines()[0] ?? '{}') as { checks: unknown; nodes: number; point: unknown; repro: string };
    expect(s.checks).toEqual([{ expr: 'tps >= 500', ok: false, value: Number(fixtureSummary({ seed: 7, nodes: 200, offeredTps: 100 }).tps.toPrecision(12)) }]);
    expect(s.nodes).toBe(200);
    expect(s.repro).toBe(`avsim run ${file} --seed 7 --set nodes.count=200`);
  });
});

describe('the JSON summary contract', () => {
  it('accepts a fixture and rejects a summary missing a required field or with a wrong type', () => {
    const s = fixtureSummary();
    expect(RunSummarySchema.safeParse(s).success).toBe(true);
    const { traceHash: _omit, ...missing } = s;
    expect(RunSummarySchema.safeParse(missing).success).toBe(false);
    expect(RunSummarySchema.safeParse({ ...s, latencyMs: { ...s.latencyMs, p95: 'fast' } }).success).toBe(false);
    expect(RunSummarySchema.safeParse({ ...s, cpuUtilisation: 1.5 }).success).toBe(false);
  });
});
