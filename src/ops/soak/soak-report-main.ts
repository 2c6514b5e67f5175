/**
 * `node dist/src/ops/soak/soak-report-main.js OUT [SCENARIO] [WINDOW_MINUTES]`: the soak's figures over time from the Prometheus TSDB a
 * `avsim cluster run … --prometheus --out OUT` kept (src/ops/soak/soak-report.ts), written to OUT/soak/. One line per
 * window (default 10 minutes) on stdout; exit 2 with one line when OUT holds no kept Prometheus run.
 */
import { writeSoakReport } from './soak-report.js';

const [out, scenario = 'sk-real-soak', windowArg = '10'] = process.argv.slice(2);
const windowMinutes = Number(windowArg);
if (out === undefined || !(Number.isFinite(windowMinutes) && windowMinutes > 0)) {
  process.stderr.write(`soak-report: ${out === undefined ? 'usage: soak-report-main.js OUT [SCENARIO] [WINDOW_MINUTES]' : `WINDOW_MINUTES must be a positive number of minutes, got "${windowArg}"`}\n`);
  process.exit(2);
}
try {
  const f = await writeSoakReport(out, scenario, windowMinutes);
  for (const w of f.windows) {
    const rss = Object.entries(w.rssMiB).map(([n, v]) => `${n} ${v}`).join(', ');
    const heap = Object.entries(w.heapMiB).map(([n, v]) => `${n} ${v}`).join(', ');
    process.stdout.write(`min ${w.fromMinute}-${w.toMinute}: ${w.tps} TPS, ${w.blocksPerSecond} blocks/s, finality p50/p95/p99 ${w.finalityMs.p50}/${w.finalityMs.p95}/${w.finalityMs.p99} ms, RSS MiB ${rss}; heap MiB ${heap}\n`);
  }
  process.stdout.write(`RSS growth (MiB, second window to last): ${JSON.stringify(f.rssGrowthMiB)}; figures in ${out}/soak/\n`);
} catch (e) {
  process.stderr.write(`soak-report: ${(e instanceof Error ? e.message : String(e)).split('\n')[0]}\n`);
  process.exit(e instanceof RangeError ? 2 : 1);
}
