/** Every chart the report knows, in report order; each returns null when the runs cannot support it. */
import { byzantineFraction } from './byzantine.js';
import type { Chart, ChartInput } from './common.js';
import { cpuVsLoad } from './cpu-vs-load.js';
import { latencyCdf } from './latency-cdf.js';
import { latencyVsNodes } from './latency-vs-nodes.js';
import { throughputOverTime } from './throughput-over-time.js';
import { tpsVsNodes } from './tps-vs-nodes.js';
import { tpsVsOffered } from './tps-vs-offered.js';

export type { Chart, ChartInput } from './common.js';

export const CHART_BUILDERS: ReadonlyArray<(input: ChartInput) => Chart | null> = [
  tpsVsNodes,
  latencyVsNodes,
  latencyCdf,
  tpsVsOffered,
  cpuVsLoad,
  throughputOverTime,
  byzantineFraction,
];

export function buildCharts(input: ChartInput): Chart[] {
  return CHART_BUILDERS.map((b) => b(input)).filter((c): c is Chart => c !== null);
}
