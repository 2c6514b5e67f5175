/** `avsim report DIR`: tables, plots and report.html from DIR/runs/*.json. */
import { writeReport } from '../../report/report.js';
import { verdictLines } from '../../report/verdict.js';
import { UsageError } from '../errors.js';

export async function reportCommand(dir: string, opts: { png?: boolean; title?: string }): Promise<number> {
  let result;
  try {
    result = await writeReport(dir, { ...(opts.png === false ? { png: false } : {}), ...(opts.title === undefined ? {} : { title: opts.title }) });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  process.stdout.write(`${result.htmlPath}: ${result.runs} run(s), ${result.charts.length} chart(s): ${result.charts.join(', ')}\n`);
  for (const line of verdictLines(result.verdicts)) process.stdout.write(`${line}\n`);
  return 0;
}
