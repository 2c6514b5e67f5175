/** A finished simulation -> the RunSummary contract (src/metrics/summary.ts). */
import { evaluateChecks } from '../metrics/checks.js';
import { livenessSummary } from '../metrics/liveness.js';
import type { RunOutcome, RunSummary } from '../metrics/summary.js';
import { meanOfferedTps } from '../workload/arrivals.js';
import type { FinishedRun } from './run-scenario.js';
import { offeredTpsAt } from './workload.js';
import { summariseNodeRecovery } from './node-recovery.js';
import { MAX_BUCKETS } from './collector.js';
import { throughputBuckets } from './throughput.js';
import { toMillis, toSeconds } from '../sim/time.js';

const round = (x: number, digits = 6) => {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
};

export function summarise(run: FinishedRun): RunSummary {
  const { scenario, result, collector: c } = run;
  const n = scenario.nodes.count;
  const endUs = result.endTimeUs;
  const simSeconds = toSeconds(endUs);

  const outcome: RunOutcome =
    result.outcome.kind === 'completed'
      ? { kind: 'completed' }
      : { kind: 'limit', limit: result.outcome.limit, detail: result.outcome.detail };

  let sent = 0;
  let bytes = 0;
  let busy = 0;
  let busyMax = 0;
  let queueDelay = 0;
  let processed = 0;
  for (let i = 0; i < n; i++) {
    sent += result.nodes.messagesSent[i] as number;
    bytes += result.nodes.bytesSent[i] as number;
    // Work is counted when it starts (or is charged), so a saturated node can
    // hold more than the run's length of it: utilisation cannot exceed 1.
    const b = Math.min(result.nodes.cpuBusyUs[i] as number, endUs);
    busy += b;
    if (b > busyMax) busyMax = b;
    queueDelay += result.nodes.queueDelayUsSum[i] as number;
    processed += result.nodes.processed[i] as number;
  }
  const perNodePerSecond = (x: number) => (simSeconds > 0 ? x / n / simSeconds : 0);

  const measuredSeconds = toSeconds(Math.max(0, endUs - scenario.measurement.warmup));
  const throughput = throughputBuckets({
    accepted: c.acceptedPerBucket,
    submitted: c.submittedPerBucket,
    bucketUs: scenario.measurement.throughputBucket,
    endUs,
    maxBuckets: MAX_BUCKETS,
    offeredAt: (t) => offeredTpsAt(run.phases, t),
  });

  const liveness = livenessSummary(c.liveness.finish(endUs));
  const summary: RunSummary = {
    scenario: scenario.name,
    seed: run.seed,
    nodes: n,
    point: run.point?.values ?? {},
    outcome,
    traceHash: result.traceHash,
    events: result.events,
    simSeconds: round(simSeconds),
    wallSeconds: round(run.wallSeconds, 3),
    eventsPerSecond: round(run.wallSeconds > 0 ? result.events / run.wallSeconds : 0, 0),
    simToWallRatio: round(run.wallSeconds > 0 ? simSeconds / run.wallSeconds : 0, 3),
    offeredTps: round(meanOfferedTps(run.phases), 3),
    tps: round(measuredSeconds > 0 ? c.counts.acceptedTxsSinceWarmup / measuredSeconds : 0, 3),
    acceptedTransactions: c.counts.acceptedTxs,
    acceptedBlocks: c.counts.maxAcceptedHeight,
    latencyMs: c.clientLatency.summaryMs(),
    latencyCdf: c.clientLatency.cdfMs(100),
    nodeLatencyMs: c.nodeLatency.summaryMs(),
    pollSuccessRate: round(c.counts.polls > 0 ? c.counts.successfulPolls / c.counts.polls : 0),
    pollsPerDecision: round(c.counts.honestBlockAcceptances > 0 ? c.counts.polls / c.counts.honestBlockAcceptances : 0, 3),
    messagesPerNodePerSecond: round(perNodePerSecond(sent), 3),
    bytesPerNodePerSecond: round(perNodePerSecond(bytes), 1),
    cpuUtilisation: round(endUs > 0 ? busy / n / endUs : 0),
    cpuUtilisationMax: round(endUs > 0 ? busyMax / endUs : 0),
    cpuQueueDelayMs: round(processed > 0 ? toMillis(queueDelay / processed) : 0),
    memoryBytesPerNode: Math.round(run.memoryBytesPerNode),
    recoveryMs:
      run.faultPlan.windows.length === 0 || c.recoveredAtUs === undefined
        ? null
        : round(toMillis(c.recoveredAtUs - Math.max(...run.faultPlan.windows.map((w) => w.endUs))), 3),
    throughput,
    warmupSeconds: round(toSeconds(scenario.measurement.warmup)),
    faultWindows: run.faultPlan.windows.map((w) => ({ kind: w.kind, startSeconds: toSeconds(w.startUs), endSeconds: toSeconds(w.endUs) })),
    byzantine:
      scenario.byzantine === undefined
        ? null
        : { strategy: scenario.byzantine.strategy, fraction: round(run.byzantineStakeFraction), nodes: run.byzantine.length },
    safety: c.safety.summary(),
    liveness,
    checks: [],
    repro: run.repro,
    protocol: scenario.protocol.name,
  };
  // Only protocols that reject client transactions (or report their own metrics) carry these fields.
  if (c.counts.rejectedTxs > 0 || c.protocolCounters.size > 0 || c.protocolDistributions.size > 0) summary.rejectedTransactions = c.counts.rejectedTxs;
  if (c.protocolCounters.size > 0 || c.protocolDistributions.size > 0) {
    summary.protocolMetrics = {
      counters: Object.fromEntries([...c.protocolCounters].toSorted(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
      distributions: Object.fromEntries(
        [...c.protocolDistributions].toSorted(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, h]) => [k, h.summaryRaw()]),
      ),
    };
  }
  if (c.nodeRecovery.records.length > 0) summary.nodeRecovery = summariseNodeRecovery(c.nodeRecovery.records);
  summary.checks = evaluateChecks(scenario.checks, summary);
  return summary;
}
