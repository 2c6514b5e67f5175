import { describe, expect, it } from 'vitest';
import { fixtureSummary } from '../report/fixtures.js';
import { evaluateChecks, parseCheck } from './checks.js';

describe('check expressions', () => {
  const s = { ...fixtureSummary({ nodes: 1000, offeredTps: 200 }), tps: 212.5, latencyMs: { p50: 40, p95: 95.5, p99: 130, mean: 45, max: 300, count: 1000 }, pollSuccessRate: 0.93, recoveryMs: null };

  it('evaluates with units converted, reporting the value in the check\'s unit', () => {
    expect(evaluateChecks(['tps >= 200', 'latency.p95 <= 100ms', 'latency.p95 <= 0.09s', 'pollSuccessRate >= 90%', 'safety.violations == 0', 'liveness.ok == true'], s)).toEqual([
      { expr: 'tps >= 200', ok: true, value: 212.5 },
      { expr: 'latency.p95 <= 100ms', ok: true, value: 95.5 },
      { expr: 'latency.p95 <= 0.09s', ok: false, value: 0.0955 },
      { expr: 'pollSuccessRate >= 90%', ok: true, value: 93 },
      { expr: 'safety.violations == 0', ok: true, value: 0 },
      { expr: 'liveness.ok == true', ok: true, value: 1 },
    ]);
  });

  it('covers every operator at its boundary', () => {
    const r = evaluateChecks(['tps > 212.5', 'tps < 212.5', 'tps != 212.5', 'tps == 212.5', 'tps >= 212.5', 'tps <= 212.5'], s);
    expect(r.map((c) => c.ok)).toEqual([false, false, false, true, true, true]);
  });

  it('fails a check whose metric is missing, with value null', () => {
    expect(evaluateChecks(['recovery <= 5s'], s)).toEqual([{ expr: 'recovery <= 5s', ok: false, value: null }]);
    expect(evaluateChecks(['latency.p95 <= 1s'], { ...s, latencyMs: { ...s.latencyMs, p95: Number.NaN } })[0]?.value).toBeNull();
  });

  it('rejects bad expressions with the reason', () => {
    expect(parseCheck('tps => 3')).toMatchObject({ ok: false });
    expect(parseCheck('throughput >= 3')).toMatchObject({ ok: false, error: expect.stringContaining('unknown metric "throughput"') });
    expect(parseCheck('tps >= 3ms')).toEqual({ ok: false, error: 'unit "ms" does not fit tps (use one of tps, /s)' });
    expect(parseCheck('safety.violations == 0%')).toEqual({ ok: false, error: 'safety.violations takes no unit, got "%"' });
    expect(parseCheck('liveness.ok >= 1')).toMatchObject({ ok: false });
    expect(parseCheck('memoryBytesPerNode <= 2MiB')).toMatchObject({ ok: true, check: { factor: 1_048_576, threshold: 2 } });
  });
});
