/**
 * The metrics of real validators, end to end: `avsim cluster run --prometheus`
 * on five real node processes (a kill -9 + restart, a partition + heal), the
 * end-of-run cross-check of PromQL against the acceptance logs, the target
 * files gone once the nodes are, and then every dashboard expression run
 * against the Prometheus data the run kept in its output folder.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { RunSummary } from '../../metrics/summary.js';
import { dashboard, dashboardExpressions } from '../grafana/dashboard.js';
import { prometheusLayout, startPrometheus, type RunningPrometheus } from './server.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));

describe('avsim cluster run --prometheus (real nodes)', () => {
  const out = mkdtempSync(join(tmpdir(), 'avsim-real-prom-'));
  let prom: RunningPrometheus | undefined;
  afterAll(async () => {
    await prom?.stop();
    rmSync(out, { recursive: true, force: true });
  });

  it('cross-checks PromQL against the acceptance logs, removes the targets, and every dashboard query has data', async () => {
    const start = Date.now() / 1000;
    const r = spawnSync(process.execPath, [join(root, 'dist/src/cli/main.js'), 'cluster', 'run', join(root, 'src/ops/test-fixtures/real-5.yaml'), '--signatures', 'modelled', '--prometheus', '--out', out, '--json', '--no-progress'], {
      encoding: 'utf8',
      timeout: 180_000,
    });
    const end = Date.now() / 1000;
    expect(r.status, r.stderr).toBe(0);
    const s = JSON.parse(r.stdout.trim().split('\n').at(-1) ?? '{}') as RunSummary;
    const pc = s.real?.prometheus;
    expect(pc?.agree, JSON.stringify(pc)).toBe(true);
    expect(pc?.blocks.logs).toBeGreaterThan(5 * 10); // every node accepts the chain
    expect(pc?.txs.logs).toBeGreaterThan(5 * 50);
    const layout = prometheusLayout(join(out, 'prometheus-runs', 'base.s1'));
    expect(readdirSync(layout.targetsDir)).toEqual([]);
    expect(readdirSync(layout.dataDir)).toContain('wal');

    // The run's Prometheus has stopped; its data is in the output folder: serve it again and ask the dashboard's questions.
    prom = await startPrometheus(layout);
    const runIds = (await (await fetch(`${prom.url}/api/v1/label/run_id/values`)).json()) as { data: string[] };
    expect(runIds.data).toHaveLength(1);
    const runId = runIds.data[0] as string;
    expect(runId).toMatch(/^real-[0-9a-f]{8}$/);
    const empty: string[] = [];
    for (const { where, expr } of dashboardExpressions(dashboard())) {
      const q = expr.replaceAll('$__rate_interval', '4s').replaceAll('$run_id', runId).replaceAll('$node', '.*');
      const res = await prom.promql.queryRange(q, start, end, 1);
      const values = res.resultType === 'matrix' ? res.result.flatMap((m) => m.values.map(([, v]) => v)) : [];
      if (!values.some(Number.isFinite)) empty.push(`${where}: ${q}`);
    }
    expect(empty).toEqual([]);
    // The killed node dropped out of `up` while it was down, and came back.
    const up = await prom.promql.queryRange(`up{job="avsim-nodes", node_id="1"}`, start, end, 1);
    const series = up.resultType === 'matrix' ? up.result : [];
    expect(series.length).toBeGreaterThanOrEqual(1);
  }, 240_000);

  it('a Prometheus that cannot start: one line, non-zero exit, and no node was started', () => {
    const work = mkdtempSync(join(tmpdir(), 'avsim-real-prom-bad-'));
    try {
      const r = spawnSync(process.execPath, [join(root, 'dist/src/cli/main.js'), 'cluster', 'run', join(root, 'src/ops/test-fixtures/real-5.yaml'), '--signatures', 'modelled', '--prometheus', '--work-dir', work, '--no-progress'], {
        encoding: 'utf8',
        timeout: 60_000,
        env: { ...process.env, AVSIM_PROMETHEUS: '/nonexistent/prometheus' },
      });
      expect(r.status).not.toBe(0);
      expect(r.stderr.trimEnd().split('\n')).toEqual([expect.stringMatching(/^avsim: prometheus: "\/nonexistent\/prometheus" not found/)]);
      // Nothing of the run is left: no run directory, so no node ever had a data dir.
      expect(readdirSync(work)).toEqual([]);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });
});
