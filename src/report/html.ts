/**
 * The report page: one self-contained HTML file (inline CSS and SVG, no
 * script, no network; a CSP forbids any fetch) that works from file://.
 */
import { NO_SAMPLES, type RunSummary } from '../metrics/summary.js';
import type { PointSummary } from './aggregate.js';
import { escapeHtml, fmt, pointLabel } from './html-format.js';
import { POINT_COLUMNS } from './point-columns.js';
import type { VerdictRow } from './verdict.js';

export interface RenderedChart {
  name: string;
  title: string;
  caption: string;
  svg: string;
}

function verdictTable(rows: readonly VerdictRow[]): string {
  const body = rows
    .map((r) => `<tr class="v-${r.verdict.replace(' ', '-')}"><td>${r.target.nodes.toLocaleString('en-US')}</td><td>≥ ${r.target.minTps.toLocaleString('en-US')} TPS, p95 ≤ ${r.target.maxP95Ms} ms</td><td>${fmt(r.tps)}</td><td>${r.p95Ms === null && r.runs > 0 ? NO_SAMPLES : fmt(r.p95Ms)}</td><td>${fmt(r.offeredTps, 0)}</td><td>${r.runs}</td><td class="verdict">${r.verdict}</td><td>${escapeHtml(r.note)}</td></tr>`)
    .join('\n');
  return `<table class="verdicts"><thead><tr><th>nodes</th><th>target</th><th>TPS</th><th>p95 ms</th><th>offered TPS</th><th>runs</th><th>verdict</th><th>note</th></tr></thead><tbody>\n${body}\n</tbody></table>`;
}

/** Experiments whose sweeps include the specification's sizes, named when a report has none of them. */
const TARGET_EXPERIMENT = 'experiments/lt-003-multi-scale.yaml (results/lt-003/report.html)';

/**
 * The verdict, only for the target sizes these runs include: a table of
 * "not run" rows would read as failure when the experiment never meant to
 * test those sizes.
 */
function verdictSection(rows: readonly VerdictRow[]): string {
  const run = rows.filter((r) => r.verdict !== 'not run');
  const sizes = rows.map((r) => r.target.nodes.toLocaleString('en-US')).join(', ');
  if (run.length === 0) {
    return `<h2>Specification targets</h2>\n<p class="meta">These runs include none of the specification's target sizes (${escapeHtml(sizes)} nodes), so there is no verdict here; ${escapeHtml(TARGET_EXPERIMENT)} tests them.</p>`;
  }
  const missing = rows.filter((r) => r.verdict === 'not run').map((r) => r.target.nodes.toLocaleString('en-US'));
  const note = missing.length === 0 ? '' : ` Sizes not in these runs (${escapeHtml(missing.join(', '))} nodes) are left out.`;
  return `<h2>Verdict against the specification's targets</h2>\n${verdictTable(run)}\n<p class="meta">Only honest points (Byzantine fraction 0) count. "Inconclusive" means the runs offered less load than the target asks for.${note}</p>`;
}

/** The points table: the point table's columns (src/report/point-columns.ts), as points.csv has them. */
function pointsTable(points: readonly PointSummary[]): string {
  const body = points.map((p) => `<tr>${POINT_COLUMNS.map(({ html: [, cell] }) => `<td>${cell(p)}</td>`).join('')}</tr>`).join('\n');
  return `<table><thead><tr>${POINT_COLUMNS.map(({ html: [heading] }) => `<th>${heading}</th>`).join('')}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

/** Failed checks and incomplete runs, each with the command that reproduces it. */
function failuresTable(runs: readonly RunSummary[], limit = 50): string {
  const bad = runs.filter((r) => r.outcome.kind !== 'completed' || r.checks.some((c) => !c.ok) || r.safety.violations > 0);
  if (bad.length === 0) return '<p>Every run completed, held safety, and passed its checks.</p>';
  const body = bad
    .slice(0, limit)
    .map((r) => {
      const what = [
        ...(r.outcome.kind === 'limit' ? [`hit ${r.outcome.limit}: ${r.outcome.detail}`] : r.outcome.kind === 'error' ? [`error: ${r.outcome.message}`] : []),
        ...(r.safety.violations > 0 ? [`${r.safety.violations} safety violation(s)`] : []),
        ...r.checks.filter((c) => !c.ok).map((c) => `${c.expr} (was ${c.value === null ? 'missing' : fmt(c.value, 3)})`),
      ].join('; ');
      return `<tr><td>${escapeHtml(pointLabel(r.point))}</td><td>${r.seed}</td><td>${escapeHtml(what)}</td><td><code>${escapeHtml(r.repro)}</code></td></tr>`;
    })
    .join('\n');
  const more = bad.length > limit ? `<p>… and ${bad.length - limit} more in runs.csv.</p>` : '';
  return `<table><thead><tr><th>point</th><th>seed</th><th>what failed</th><th>reproduce with</th></tr></thead><tbody>\n${body}\n</tbody></table>${more}`;
}

const CSS = `
body{font-family:"DejaVu Sans",system-ui,sans-serif;margin:2rem auto;max-width:1200px;padding:0 1rem;color:#222;line-height:1.4}
h1{font-size:1.6rem;margin-bottom:.2rem} h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #ddd;padding-bottom:.2rem}
.meta{color:#555;font-size:.9rem} table{border-collapse:collapse;font-size:.85rem;margin:.5rem 0;width:100%}
th,td{border:1px solid #ddd;padding:.25rem .45rem;text-align:right;vertical-align:top} th{background:#f4f4f4}
td:first-child,th:first-child{text-align:left} td code{font-size:.8rem;white-space:pre-wrap;word-break:break-all}
.ci{color:#777;font-size:.8em} .verdict{font-weight:bold;text-transform:uppercase}
.v-pass .verdict{color:#1a7f37} .v-fail .verdict{color:#c62828} .v-inconclusive .verdict{color:#b26a00} .v-not-run .verdict{color:#777}
.charts{display:flex;flex-wrap:wrap;gap:1.5rem} figure{margin:0;border:1px solid #eee;padding:.5rem;background:#fff}
figcaption{font-size:.85rem;color:#444;max-width:600px}
`;

export function reportHtml(input: {
  title: string;
  runs: readonly RunSummary[];
  points: readonly PointSummary[];
  verdicts: readonly VerdictRow[];
  charts: readonly RenderedChart[];
}): string {
  const scenarios = [...new Set(input.runs.map((r) => r.scenario))];
  const charts = input.charts
    .map((c) => `<figure class="chart" data-chart="${escapeHtml(c.name)}">\n${c.svg}\n<figcaption><b>${escapeHtml(c.title)}.</b> ${escapeHtml(c.caption)} <a href="plots/${escapeHtml(c.name)}.png">PNG</a> · <a href="plots/${escapeHtml(c.name)}.vl.json">Vega-Lite</a></figcaption></figure>`)
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(input.title)}</title><style>${CSS}</style></head>
<body>
<h1>${escapeHtml(input.title)}</h1>
<p class="meta">${input.runs.length} run(s), ${input.points.length} sweep point(s); scenario(s): ${escapeHtml(scenarios.join(', '))}. Simulated with avsim; every run is reproducible from its seed (see runs.csv, column repro).</p>
${verdictSection(input.verdicts)}
<h2>Plots</h2>
<div class="charts">
${charts}
</div>
<h2>Sweep points</h2>
${pointsTable(input.points)}
<h2>Failures</h2>
${failuresTable(input.runs)}
</body></html>
`;
}
