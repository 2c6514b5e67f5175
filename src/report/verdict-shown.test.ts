/**
 * Issue 13: the default report opened on a verdict table of three "NOT RUN"
 * rows, and every sweep ended on three "not run" lines. The verdict is shown
 * only for the target sizes the runs include; without any, the report points
 * to the experiment that tests them, and the sweep prints no verdict line.
 */
import { describe, expect, it } from 'vitest';
import { aggregate } from './aggregate.js';
import { fixtureSummary } from './fixtures.js';
import { reportHtml } from './html.js';
import { verdictLines, verdicts } from './verdict.js';

const html = (nodes: readonly number[]): string => {
  const runs = nodes.map((n) => fixtureSummary({ nodes: n, point: { 'nodes.count': n } }));
  const points = aggregate(runs);
  return reportHtml({ title: 't', runs, points, verdicts: verdicts(points), charts: [] });
};

describe('verdicts only for the target sizes that were run', () => {
  it('the default experiment (100-400 nodes): no verdict table, a pointer to LT-003, no sweep lines', () => {
    const page = html([100, 200, 300, 400]);
    expect(page).not.toContain('<table class="verdicts"');
    expect(page).not.toMatch(/not run/i);
    expect(page).toContain("These runs include none of the specification's target sizes (1,000, 5,000, 10,000 nodes), so there is no verdict here; experiments/lt-003-multi-scale.yaml");
    const points = aggregate([100, 200, 300, 400].map((n) => fixtureSummary({ nodes: n })));
    expect(verdictLines(verdicts(points))).toEqual([]);
  });

  it('runs at 1,000 nodes: a table of that row only, the sizes not run named in a note; one sweep line', () => {
    const page = html([100, 1000]);
    const table = page.slice(page.indexOf('<table class="verdicts"'), page.indexOf('</table>', page.indexOf('<table class="verdicts"')));
    expect(table.match(/<tr class="v-/g)).toHaveLength(1);
    expect(table).not.toContain('not run');
    const points = aggregate([100, 1000].map((n) => fixtureSummary({ nodes: n })));
    const lines = verdictLines(verdicts(points));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^ +1000 nodes: fail /);
  });
});
