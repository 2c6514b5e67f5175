/**
 * `avsim report DIR`: reads DIR/runs/*.json and writes the tables, every
 * applicable chart as Vega-Lite JSON, SVG and PNG under DIR/plots, and
 * DIR/report.html.
 */
import { join } from 'node:path';
import type { RunSummary } from '../metrics/summary.js';
import { aggregate } from './aggregate.js';
import { removeStaleTemps, writeFileAtomic } from './atomic.js';
import { buildCharts } from './charts/index.js';
import { reportHtml, type RenderedChart } from './html.js';
import { renderSvg, svgToPng } from './render.js';
import { jsonText, readRuns, writeTables } from './results.js';
import { verdicts, type VerdictRow } from './verdict.js';
import { verifySweepResults } from '../parallel/result-hashes.js';

export interface ReportResult {
  htmlPath: string;
  charts: string[];
  runs: number;
  verdicts: VerdictRow[];
}

/** Makes the ids inside one SVG unique on a page holding several (vega numbers clip paths from 1 in each). */
export function scopeSvgIds(svg: string, prefix: string): string {
  return svg
    .replace(/\bid="([^"]+)"/g, `id="${prefix}-$1"`)
    .replace(/url\(#([^)]+)\)/g, `url(#${prefix}-$1)`)
    .replace(/href="#([^"]+)"/g, `href="#${prefix}-$1"`);
}

export async function writeReportFor(dir: string, runs: readonly RunSummary[], opts: { title?: string; png?: boolean } = {}): Promise<ReportResult> {
  if (runs.length === 0) throw new Error(`${dir}: no runs to report`);
  writeTables(dir, runs);
  const points = aggregate(runs);
  const plots = join(dir, 'plots');
  removeStaleTemps(plots);
  const rendered: RenderedChart[] = [];
  for (const chart of buildCharts({ runs, points })) {
    const svg = await renderSvg(chart.spec);
    writeFileAtomic(join(plots, `${chart.name}.vl.json`), jsonText(chart.spec));
    writeFileAtomic(join(plots, `${chart.name}.svg`), svg);
    if (opts.png !== false) writeFileAtomic(join(plots, `${chart.name}.png`), svgToPng(svg));
    rendered.push({ name: chart.name, title: chart.title, caption: chart.caption, svg: scopeSvgIds(svg, chart.name) });
  }
  const rows = verdicts(points);
  const scenarios = [...new Set(runs.map((r) => r.scenario))];
  const html = reportHtml({ title: opts.title ?? `avsim report: ${scenarios.join(', ')}`, runs, points, verdicts: rows, charts: rendered });
  const htmlPath = join(dir, 'report.html');
  writeFileAtomic(htmlPath, html);
  return { htmlPath, charts: rendered.map((c) => c.name), runs: runs.length, verdicts: rows };
}

/** Reads DIR/runs/*.json and writes the report beside them. */
export async function writeReport(dir: string, opts: { title?: string; png?: boolean } = {}): Promise<ReportResult> {
  // A sweep's results must be the bytes it wrote: an edited or truncated one is refused, by name.
  await verifySweepResults(dir);
  return writeReportFor(dir, readRuns(dir), opts);
}
