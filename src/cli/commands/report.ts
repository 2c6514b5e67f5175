/** `avsim report DIR`: tables, plots and report.html from DIR/runs/*.json. */
import { writeReport } from '../../report/report.js';
import { UsageError } from '../errors.js';

export async function reportCommand(dir: string, opts: { png?: boolean; title?: string }): Promise<number> {
  let result;
  try {
    result = await writeReport(dir, { ...(opts.png === false ? { png: false } : {}), ...(opts.title === undefined ? {} : { title: opts.title }) });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  process.stdout.write(`${result.htmlPath}: ${result.runs} run(s), ${result.charts.length} chart(s): ${result.charts.join(', ')}\n`);
  for (const v of result.verdicts) {
    process.stdout.write(`  ${String(v.target.nodes).padStart(6)} nodes: ${v.verdict.padEnd(12)} ${v.note}\n`);
  }
  return 0;
}
