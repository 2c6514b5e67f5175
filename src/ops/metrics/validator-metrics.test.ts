import { describe, expect, it } from 'vitest';
import type { Block } from '../../consensus/snowman/block.js';
import type { PollOutcome } from '../../consensus/engine/observer.js';
import { CONSTANT_LABELS, LATENCY_BUCKETS_SECONDS, METRICS } from './catalogue.js';
import { parseExposition, sampleValue } from './exposition.js';
import { ValidatorMetrics } from './validator-metrics.js';

const block = (id: number, height: number, proposer: number, txs: number[] = [], sizeBytes = 1000): Block => ({ id, parent: id - 1, height, proposer, txs, sizeBytes, builtAt: 0 });
const poll = (successful: boolean): PollOutcome => ({ requestId: 1, successful, reason: 'alpha-confidence' as PollOutcome['reason'], sampleSize: 20, receivedSlots: 20, maxVotes: 20, durationUs: 1000, accepted: 0 });

async function scrape(m: ValidatorMetrics) {
  return parseExposition(await m.text());
}

describe('ValidatorMetrics', () => {
  const id = { nodeId: 3, runId: 'run-abc', scenario: 'smoke' };

  it('declares every catalogue metric with its type and help, and the process default metrics', async () => {
    const exp = await scrape(new ValidatorMetrics(id));
    for (const s of Object.values(METRICS)) {
      expect(exp.types.get(s.name), s.name).toBe(s.type);
      expect(exp.help.get(s.name), s.name).toBe(s.help);
    }
    expect(exp.types.get('process_cpu_seconds_total')).toBe('counter');
    expect(exp.types.get('process_resident_memory_bytes')).toBe('gauge');
    expect(sampleValue(exp, 'process_resident_memory_bytes')).toBeGreaterThan(10 * 2 ** 20);
  });

  it('labels every series with node_id, run_id and scenario', async () => {
    const m = new ValidatorMetrics(id);
    m.onFrame('sent', 'chits', 200);
    const exp = await scrape(m);
    expect(exp.samples.length).toBeGreaterThan(50);
    for (const s of exp.samples) {
      for (const l of CONSTANT_LABELS) expect(s.labels[l], `${s.name} ${l}`).toBeDefined();
      expect(s.labels.node_id).toBe('3');
      expect(s.labels.run_id).toBe('run-abc');
      expect(s.labels.scenario).toBe('smoke');
    }
  });

  it('counts blocks, transactions, heights and processing as the engine reports them', async () => {
    const m = new ValidatorMetrics(id);
    const own = block(1, 1, 3, [10, 11, 12], 5000);
    const other = block(2, 2, 7, [13], 2000);
    const loser = block(9, 2, 5);
    m.onBlockBuilt(own, 3, 0);
    m.onBlockIssued(own, 3, 1_000_000);
    m.onBlockIssued(other, 3, 1_100_000);
    m.onBlockIssued(loser, 3, 1_200_000);
    let exp = await scrape(m);
    expect(sampleValue(exp, METRICS.blksProcessing.name)).toBe(3);
    expect(sampleValue(exp, METRICS.blksIssued.name, { source: 'built' })).toBe(1);
    expect(sampleValue(exp, METRICS.blksIssued.name, { source: 'received' })).toBe(2);
    m.onAccept(own, 3, 1_030_000); // 30 ms after issue
    m.onAccept(other, 3, 3_100_000); // 2 s
    m.onReject(loser, 3, 3_100_000);
    exp = await scrape(m);
    expect(sampleValue(exp, METRICS.blksProcessing.name)).toBe(0);
    expect(sampleValue(exp, METRICS.blksAccepted.name)).toBe(2);
    expect(sampleValue(exp, METRICS.blksRejected.name)).toBe(1);
    expect(sampleValue(exp, METRICS.txsAccepted.name)).toBe(4);
    expect(sampleValue(exp, METRICS.blksAcceptedBytes.name)).toBe(7000);
    expect(sampleValue(exp, METRICS.blksBuilt.name)).toBe(1);
    expect(sampleValue(exp, METRICS.lastAcceptedHeight.name)).toBe(2);
    // Histogram: 30 ms lands in le=0.04, not in le=0.025; 2 s in le=2.5, not le=1.5.
    const bucket = (le: string) => sampleValue(exp, `${METRICS.consensusLatency.name}_bucket`, { le });
    expect(bucket('0.025')).toBe(0);
    expect(bucket('0.04')).toBe(1);
    expect(bucket('1.5')).toBe(1);
    expect(bucket('2.5')).toBe(2);
    expect(bucket('+Inf')).toBe(2);
    expect(sampleValue(exp, `${METRICS.consensusLatency.name}_count`)).toBe(2);
    expect(sampleValue(exp, `${METRICS.consensusLatency.name}_sum`)).toBeCloseTo(2.03, 9);
    // Rejected blocks leave no latency sample.
    expect(exp.samples.filter((s) => s.name === `${METRICS.consensusLatency.name}_bucket`)).toHaveLength(LATENCY_BUCKETS_SECONDS.length + 1);
  });

  it('latency buckets resolve 10 ms to 30 s', () => {
    expect(LATENCY_BUCKETS_SECONDS[0]).toBe(0.01);
    expect(LATENCY_BUCKETS_SECONDS.at(-1)).toBe(30);
    for (let i = 1; i < LATENCY_BUCKETS_SECONDS.length; i++) {
      const ratio = (LATENCY_BUCKETS_SECONDS[i] as number) / (LATENCY_BUCKETS_SECONDS[i - 1] as number);
      expect(ratio).toBeGreaterThan(1);
      expect(ratio).toBeLessThanOrEqual(1.7);
    }
  });

  it('polls, client finality, frames, drops, emulation error, CPU and peers', async () => {
    const m = new ValidatorMetrics(id);
    m.onPollFinished(poll(true), 3, 0);
    m.onPollFinished(poll(true), 3, 0);
    m.onPollFinished(poll(false), 3, 0);
    m.onTxSubmitted(77, 3, 5_000_000);
    m.onTxAccepted(77, 3, 5_150_000);
    m.onTxAccepted(78, 3, 5_150_000); // never submitted here: no sample
    m.onFrame('sent', 'push-query', 6000);
    m.onFrame('sent', 'push-query', 4000);
    m.onFrame('received', 'chits', 160);
    m.onFrameDropped('truncated');
    m.onFrameDropped('rule-partition');
    m.onFrameDropped('rule-partition');
    m.onDrop('mempool-full', 3, 0);
    m.onDelivery(50_000, 50_700); // 0.7 ms late
    m.onCpuCharged(2_500);
    m.onCpuCharged(-1); // ignored
    m.setPeers(6);
    const exp = await scrape(m);
    expect(sampleValue(exp, METRICS.pollsSuccessful.name)).toBe(2);
    expect(sampleValue(exp, METRICS.pollsFailed.name)).toBe(1);
    expect(sampleValue(exp, METRICS.txsSubmitted.name)).toBe(1);
    expect(sampleValue(exp, `${METRICS.txFinality.name}_count`)).toBe(1);
    expect(sampleValue(exp, `${METRICS.txFinality.name}_bucket`, { le: '0.1' })).toBe(0);
    expect(sampleValue(exp, `${METRICS.txFinality.name}_bucket`, { le: '0.15' })).toBe(1);
    expect(sampleValue(exp, METRICS.msgs.name, { io: 'sent', op: 'push-query' })).toBe(2);
    expect(sampleValue(exp, METRICS.msgsBytes.name, { io: 'sent', op: 'push-query' })).toBe(10_000);
    expect(sampleValue(exp, METRICS.msgs.name, { io: 'received', op: 'chits' })).toBe(1);
    expect(sampleValue(exp, METRICS.msgsBytes.name, { io: 'received', op: 'chits' })).toBe(160);
    expect(sampleValue(exp, METRICS.framesDropped.name, { reason: 'truncated' })).toBe(1);
    expect(sampleValue(exp, METRICS.framesDropped.name, { reason: 'rule-partition' })).toBe(2);
    expect(sampleValue(exp, METRICS.engineDrops.name, { reason: 'mempool-full' })).toBe(1);
    expect(sampleValue(exp, `${METRICS.emulationError.name}_bucket`, { le: '0.0005' })).toBe(0);
    expect(sampleValue(exp, `${METRICS.emulationError.name}_bucket`, { le: '0.001' })).toBe(1);
    expect(sampleValue(exp, METRICS.cpuCharged.name)).toBeCloseTo(0.0025, 12);
    expect(sampleValue(exp, METRICS.peers.name)).toBe(6);
  });

  it('two validators in one process keep separate registries', async () => {
    const a = new ValidatorMetrics({ ...id, nodeId: 0 });
    const b = new ValidatorMetrics({ ...id, nodeId: 1 });
    a.onAccept(block(1, 1, 0), 0, 0);
    expect(sampleValue(await scrape(a), METRICS.blksAccepted.name)).toBe(1);
    expect(sampleValue(await scrape(b), METRICS.blksAccepted.name)).toBe(0);
    expect(sampleValue(await scrape(b), METRICS.blksAccepted.name, { node_id: '1' })).toBe(0);
  });

  it('resumeAt restores the persisted height and clears what a crash lost', async () => {
    const m = new ValidatorMetrics(id, { processMetrics: false });
    m.onBlockIssued(block(5, 5, 1), 3, 0);
    m.resumeAt(41);
    m.onAccept(block(5, 5, 1), 3, 10); // issued before the crash: no latency sample, processing stays 0
    const exp = await scrape(m);
    expect(sampleValue(exp, METRICS.lastAcceptedHeight.name)).toBe(5);
    expect(sampleValue(exp, METRICS.blksProcessing.name)).toBe(0);
    expect(sampleValue(exp, `${METRICS.consensusLatency.name}_count`)).toBe(0);
    expect(exp.types.has('process_cpu_seconds_total')).toBe(false);
  });
});

describe('parseExposition', () => {
  it('reads labels with escapes, +Inf and timestamps, and names the bad line', () => {
    const exp = parseExposition('# HELP x a thing\n# TYPE x counter\nx{a="q\\"uo\\\\te",b="n\\nl"} 3 1700000000000\ny +Inf\n');
    expect(exp.samples).toEqual([
      { name: 'x', labels: { a: 'q"uo\\te', b: 'n\nl' }, value: 3 },
      { name: 'y', labels: {}, value: Infinity },
    ]);
    expect(() => parseExposition('ok 1\nbad{a="1" 2\n')).toThrow(/line 2/);
    expect(() => parseExposition('z abc\n')).toThrow(/line 1: not a number/);
  });
});
