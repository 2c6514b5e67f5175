/**
 * Every expression of the committed dashboard, run against a real Prometheus
 * scraping a real cluster of processes that serve the metrics module: a
 * query error or an empty (or all-NaN) result over the run fails the test.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { preparePrometheus, startPrometheus, type RunningPrometheus } from '../prometheus/server.js';
import { dashboard, dashboardExpressions, dashboardText, FAULT_ANNOTATION_EXPR, type TemplateVariable } from './dashboard.js';
import { dashboardFile } from './write-dashboard.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const RUN_ID = 'dash-test';
/** What Grafana substitutes: $__rate_interval is 4 x the 1 s scrape interval of the datasource. */
const substitute = (expr: string, runId: string) => expr.replaceAll('$__rate_interval', '4s').replaceAll('$run_id', runId).replaceAll('$node', '.*');

describe('deploy/grafana/dashboards/avsim.json', () => {
  it('is what src/ops/grafana/dashboard.ts generates', () => {
    expect(readFileSync(dashboardFile(), 'utf8')).toBe(dashboardText());
  });
});

describe('dashboard queries against a real Prometheus and a real metrics-serving cluster', () => {
  let dir: string;
  let prom: RunningPrometheus | undefined;
  let cluster: ChildProcess | undefined;
  let start = 0;
  let end = 0;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'avsim-dash-'));
    const layout = preparePrometheus(dir, { runId: RUN_ID, scenario: 'loopback-5' });
    prom = await startPrometheus(layout);
    start = Date.now() / 1000;
    cluster = spawn(
      process.execPath,
      [join(root, 'dist/src/ops/metrics/loopback-cluster-main.js'), join(root, 'src/ops/test-fixtures/loopback-5.yaml'), '--targets', layout.targetsDir, '--run-id', RUN_ID, '--linger', '3'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stderr = '';
    cluster.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((res) => cluster?.once('exit', res));
    expect(stderr).toBe('');
    expect(code).toBe(0);
    end = Date.now() / 1000;
    // One more scrape interval so the last samples are in.
    await new Promise((r) => setTimeout(r, 1500));
  }, 90_000);

  afterAll(async () => {
    if (cluster?.exitCode === null) cluster.kill('SIGKILL');
    await prom?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('Prometheus scraped all five validators and the harness', async () => {
    const up = await prom!.promql.queryRange(`up{run_id="${RUN_ID}"}`, start, end, 1);
    expect(up.resultType).toBe('matrix');
    const jobs = up.resultType === 'matrix' ? up.result.map((s) => `${s.metric.job}/${s.metric.node_id ?? '-'}`).toSorted() : [];
    expect(jobs).toEqual(['avsim-harness/-', 'avsim-nodes/0', 'avsim-nodes/1', 'avsim-nodes/2', 'avsim-nodes/3', 'avsim-nodes/4']);
  });

  it('every panel and annotation expression returns data over the run', async () => {
    const exprs = dashboardExpressions(dashboard());
    expect(exprs.length).toBeGreaterThanOrEqual(25);
    const empty: string[] = [];
    for (const { where, expr } of exprs) {
      const r = await prom!.promql.queryRange(substitute(expr, RUN_ID), start, end, 1);
      const values = r.resultType === 'matrix' ? r.result.flatMap((s) => s.values.map(([, v]) => v)) : [];
      if (!values.some(Number.isFinite)) empty.push(`${where}: ${expr}`);
    }
    expect(empty).toEqual([]);
  });

  it('the template variables list this run and its five nodes', async () => {
    const vars = (dashboard().templating as { list: TemplateVariable[] }).list;
    const values = async (v: TemplateVariable) => {
      const m = /^label_values\((.+), (\w+)\)$/.exec(v.query.query);
      expect(m, v.query.query).not.toBeNull();
      const [, selector = '', label = ''] = m ?? [];
      const url = `${prom!.url}/api/v1/label/${label}/values?${new URLSearchParams({ 'match[]': substitute(selector, RUN_ID), start: String(start), end: String(end) })}`;
      return ((await (await fetch(url)).json()) as { data: string[] }).data;
    };
    expect(await values(vars[0] as TemplateVariable)).toContain(RUN_ID);
    expect((await values(vars[1] as TemplateVariable)).toSorted()).toEqual(['0', '1', '2', '3', '4']);
  });

  it('the partition shows as a fault window, and its dropped frames as rule-partition', async () => {
    const ann = await prom!.promql.queryRange(substitute(FAULT_ANNOTATION_EXPR, RUN_ID), start, end, 1);
    const points = ann.resultType === 'matrix' ? ann.result.flatMap((s) => s.values) : [];
    // A 3 s window scraped every second: 2 to 4 samples.
    expect(points.length).toBeGreaterThanOrEqual(2);
    expect(points.length).toBeLessThanOrEqual(5);
    expect(ann.resultType === 'matrix' ? ann.result[0]?.metric.kind : undefined).toBe('partition');
    const dropped = await prom!.promql.scalar(`sum(max_over_time(avsim_frames_dropped{run_id="${RUN_ID}", reason="rule-partition"}[1h]))`, end);
    expect(dropped).toBeGreaterThan(0);
  });
});
