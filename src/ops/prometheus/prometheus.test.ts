import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ValidatorMetrics } from '../metrics/validator-metrics.js';
import { startMetricsServer } from '../metrics/server.js';
import { nodeTargetFile, removeNodeTarget, writeHarnessTarget, writeNodeTarget } from './file-sd.js';
import { PromQLError } from './promql.js';
import { freeLoopbackPort, preparePrometheus, PrometheusError, startPrometheus } from './server.js';

const dirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'avsim-prom-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const run = { runId: 'r1', scenario: 's1' };

describe('generated prometheus.yml', () => {
  it('passes promtool check config, scrapes every second and keeps its data in the run folder', () => {
    const out = tmp();
    const layout = preparePrometheus(out, run);
    const r = spawnSync('promtool', ['check', 'config', layout.configFile], { encoding: 'utf8' });
    expect(r.stderr + r.stdout).toContain('SUCCESS');
    expect(r.status).toBe(0);
    const cfg = parse(readFileSync(layout.configFile, 'utf8')) as { global: Record<string, string>; scrape_configs: Array<{ job_name: string; file_sd_configs: Array<{ files: string[] }> }> };
    expect(cfg.global.scrape_interval).toBe('1s');
    expect(cfg.scrape_configs.map((s) => s.job_name)).toEqual(['avsim-nodes', 'avsim-harness']);
    expect(cfg.scrape_configs[0]?.file_sd_configs[0]?.files[0]).toBe(join(out, 'prometheus', 'targets', 'node-*.json'));
    expect(layout.dataDir.startsWith(out)).toBe(true);
  });

  it('promtool rejects a config this module would never write (the check can fail)', () => {
    const f = join(tmp(), 'bad.yml');
    writeFileSync(f, 'global:\n  scrape_interval: 1s\n  scrape_timeout: 5s\n');
    expect(spawnSync('promtool', ['check', 'config', f]).status).not.toBe(0);
  });
});

describe('file_sd targets', () => {
  it('are written atomically as Prometheus reads them, and removed on stop', () => {
    const d = tmp();
    const f = writeNodeTarget(d, 7, '127.0.0.1:9650', run);
    expect(f).toBe(nodeTargetFile(d, 7));
    expect(JSON.parse(readFileSync(f, 'utf8'))).toEqual([{ targets: ['127.0.0.1:9650'], labels: { node_id: '7', run_id: 'r1', scenario: 's1' } }]);
    writeHarnessTarget(d, '127.0.0.1:9000', run);
    // No temp file left behind.
    expect(readdirSync(d).toSorted()).toEqual(['harness.json', 'node-7.json']);
    removeNodeTarget(d, 7);
    removeNodeTarget(d, 7); // idempotent
    expect(existsSync(f)).toBe(false);
  });

  it('refuses a label Prometheus would reject', async () => {
    const { writeTargetFile } = await import('./file-sd.js');
    expect(() => writeTargetFile(join(tmp(), 'x.json'), [{ targets: ['a:1'], labels: { 'bad-name': 'x' } }])).toThrow(/bad-name/);
  });
});

describe('a real Prometheus', () => {
  it('starts on loopback, discovers a target from its file, scrapes it every second, answers PromQL, and stops', async () => {
    const out = tmp();
    const layout = preparePrometheus(out, run);
    const m = new ValidatorMetrics({ nodeId: 0, ...run });
    const server = await startMetricsServer(m);
    const prom = await startPrometheus(layout);
    try {
      expect(prom.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      writeNodeTarget(layout.targetsDir, 0, server.target, run);
      m.onFrame('sent', 'chits', 100);
      // Discovery (file watch) plus a few 1 s scrapes.
      let v: number | undefined;
      for (let i = 0; i < 100 && v === undefined; i++) {
        await new Promise((r) => setTimeout(r, 200));
        v = await prom.promql.scalar('sum(avsim_msgs_bytes{node_id="0", io="sent", op="chits"})');
      }
      expect(v).toBe(100);
      const samples = async () => (await prom.promql.scalar('count_over_time(avsim_blks_processing{run_id="r1"}[1m])')) ?? 0;
      const before = await samples();
      await new Promise((r) => setTimeout(r, 3100));
      // 1 s interval: about three more samples in 3.1 s.
      expect((await samples()) - before).toBeGreaterThanOrEqual(2);
      await expect(prom.promql.query('sum(')).rejects.toThrow(PromQLError);
      await expect(prom.promql.query('sum(')).rejects.toThrow(/bad_data/);
      expect(readdirSync(layout.dataDir)).toContain('wal');
    } finally {
      await prom.stop();
      await server.close();
    }
    expect(() => process.kill(prom.pid, 0)).toThrow(); // gone
    await expect(prom.promql.query('up')).rejects.toThrow(/unreachable/);
  }, 60_000);

  it('a Prometheus that fails to start is one line naming the cause, and leaves no process', async () => {
    const out = tmp();
    const layout = preparePrometheus(out, run);
    writeFileSync(layout.configFile, 'scrape_configs:\n  - job_name: x\n    scrape_interval: nonsense\n');
    const err = await startPrometheus(layout).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PrometheusError);
    expect((err as Error).message).toMatch(/^prometheus: exited with code \d+ before it was ready: Error loading config .*not a valid duration string: "nonsense"$/);
    expect((err as Error).message).not.toContain('\n');
  });

  it('a port already taken, and a binary that is not there, are one line each', async () => {
    const layout = preparePrometheus(tmp(), run);
    const port = await freeLoopbackPort();
    const blocker = await startMetricsServer(new ValidatorMetrics({ nodeId: 1, ...run }, { processMetrics: false }), { port });
    try {
      const err = (await startPrometheus(layout, { port }).catch((e: unknown) => e)) as Error;
      expect(err).toBeInstanceOf(PrometheusError);
      expect(err.message).toMatch(/address already in use/);
    } finally {
      await blocker.close();
    }
    const missing = (await startPrometheus(layout, { binary: '/nonexistent/prometheus' }).catch((e: unknown) => e)) as Error;
    expect(missing.message).toBe('prometheus: "/nonexistent/prometheus" not found (install Debian\'s prometheus package, or set AVSIM_PROMETHEUS)');
  });

  it('a metrics port already taken is one line naming it', async () => {
    const a = await startMetricsServer(new ValidatorMetrics({ nodeId: 1, ...run }, { processMetrics: false }));
    try {
      await expect(startMetricsServer(new ValidatorMetrics({ nodeId: 2, ...run }, { processMetrics: false }), { port: a.port, what: 'node 2 metrics' })).rejects.toThrow(
        `node 2 metrics: port ${a.port} on 127.0.0.1 is already taken`,
      );
    } finally {
      await a.close();
    }
  });
});
