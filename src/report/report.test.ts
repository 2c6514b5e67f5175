import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { RunSummary } from '../metrics/summary.js';
import { fixtureSummary } from './fixtures.js';
import { writeReport } from './report.js';
import { writeRunFile } from './results.js';

const CHROMIUM = '/usr/bin/chromium';

/** An LT-003-like node sweep at two loads, a Byzantine sweep and a fault run: enough for every chart. */
function fixtureRuns(): RunSummary[] {
  const runs: RunSummary[] = [];
  for (const nodes of [100, 500, 1000, 5000]) {
    for (const offeredTps of [100, 400]) {
      for (const seed of [1, 2, 3]) runs.push(fixtureSummary({ scenario: 'lt-003', nodes, offeredTps, seed, point: { 'nodes.count': nodes, 'workload.phases[0].rateTps': offeredTps } }));
    }
  }
  for (const f of [0.1, 0.2, 0.33]) runs.push(fixtureSummary({ scenario: 'ct-003', nodes: 1000, byzantineFraction: f, point: { 'byzantine.fraction': f } }));
  runs.push(fixtureSummary({ scenario: 'ct-001', nodes: 150, faults: true }));
  return runs;
}

describe('HTML report', () => {
  it('renders every chart, tables and verdicts, and opens cleanly in headless Chromium', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'avsim-report-'));
    fixtureRuns().forEach((r, i) => writeRunFile(dir, `r${String(i).padStart(3, '0')}`, r));
    const result = await writeReport(dir);

    expect(result.charts).toEqual(['tps-vs-nodes', 'latency-vs-nodes', 'latency-cdf', 'tps-vs-offered', 'cpu-vs-load', 'throughput-over-time', 'byzantine']);
    expect(result.verdicts.map((v) => [v.target.nodes, v.verdict])).toEqual([
      [1000, 'pass'],
      [5000, 'inconclusive'],
      [10000, 'not run'],
    ]);
    for (const name of result.charts) {
      for (const ext of ['svg', 'png', 'vl.json']) expect(statSync(join(dir, 'plots', `${name}.${ext}`)).size).toBeGreaterThan(500);
    }
    for (const f of ['runs.json', 'runs.csv', 'points.csv', 'throughput.csv']) expect(existsSync(join(dir, f))).toBe(true);
    expect(readFileSync(join(dir, 'runs.csv'), 'utf8').split('\n')[0]).toMatch(/^scenario,point,seed,nodes,outcome,offeredTps,tps,/);
    const html = readFileSync(result.htmlPath, 'utf8');
    expect(html).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org)/);
    // The fitted curve's title states R².
    expect(html).toMatch(/p95 latency vs nodes: [0-9.]+ \+ [0-9.]+·ln N ms, R² = 0\.\d{3}/);

    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    try {
      const page = await browser.newPage();
      const errors: string[] = [];
      const requests: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error') errors.push(m.text());
      });
      page.on('pageerror', (e) => errors.push(e.message));
      page.on('request', (r) => {
        if (!r.url().startsWith('file:')) requests.push(r.url());
      });
      await page.goto(pathToFileURL(result.htmlPath).href, { waitUntil: 'load' });
      const charts = await page.$$eval('figure.chart', (figs) =>
        figs.map((f) => {
          const svg = f.querySelector('svg');
          const box = svg?.getBoundingClientRect();
          const marks = svg === null ? 0 : svg.querySelectorAll('.role-mark path, .role-mark line, .role-mark rect, .role-mark circle').length;
          return { name: f.getAttribute('data-chart'), width: box?.width ?? 0, height: box?.height ?? 0, marks };
        }),
      );
      expect(charts.map((c) => c.name)).toEqual(result.charts);
      for (const c of charts) {
        expect(c.width, c.name ?? '').toBeGreaterThan(300);
        expect(c.height, c.name ?? '').toBeGreaterThan(150);
        expect(c.marks, c.name ?? '').toBeGreaterThan(0);
      }
      const verdictCells = await page.$$eval('table.verdicts td.verdict', (tds) => tds.map((td) => td.textContent));
      // Sizes the runs do not include get no row (a "not run" row reads as a failure).
      expect(verdictCells).toEqual(['pass', 'inconclusive']);
      expect(errors).toEqual([]);
      expect(requests).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
