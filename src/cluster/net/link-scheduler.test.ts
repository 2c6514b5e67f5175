/**
 * Latency emulation: intended arrival times come from the simulator's own
 * Network model (uplink serialisation + the scenario's latency), frames go
 * out at those times, each link stays FIFO even when jitter would reorder
 * it, and partitions and loss drop at send time.
 */
import { describe, expect, it } from 'vitest';
import { networkForRun } from '../../sim/network.js';
import { monotonicNs, RunClock } from '../host/clock.js';
import { LinkScheduler } from './link-scheduler.js';

function clockAtZero(): RunClock {
  return new RunClock(monotonicNs());
}

async function wait(ms: number): Promise<void> {
  await new Promise((r) => setTimeout(r, ms));
}

describe('LinkScheduler', () => {
  it('sends each frame at its intended time: uplink transmission + the profile latency', async () => {
    // 20 ms one way, 8 Mbit/s up: a 10,000-byte message takes 10 ms on the uplink.
    const net = networkForRun({ latency: { kind: 'constant', latencyUs: 20_000 }, bandwidth: { kind: 'uniform', uploadBitsPerSec: 8e6, downloadBitsPerSec: 8e6 } }, 3, 1);
    const clock = clockAtZero();
    const out: Array<{ to: number; at: number; intended: number; sent: number }> = [];
    const s = new LinkScheduler(0, net, 1, clock, (to, frame) => out.push({ to, at: clock.nowUs(), sent: frame.readDoubleBE(6), intended: frame.readDoubleBE(14) }));
    const t0 = clock.nowUs();
    expect(s.send(1, 10_000, (sent, intended) => frameWith(sent, intended))).toBe('queued');
    expect(s.send(2, 10_000, (sent, intended) => frameWith(sent, intended))).toBe('queued');
    await wait(80);
    expect(out.map((o) => o.to)).toEqual([1, 2]);
    // Serialised uplink: the second message waits for the first one's 10 ms.
    expect(out[0]!.intended - out[0]!.sent).toBeGreaterThanOrEqual(30_000);
    expect(out[0]!.intended - t0).toBeLessThan(31_000 + 5_000);
    expect(out[1]!.intended - out[0]!.intended).toBe(10_000);
    // Nothing leaves early (beyond the scheduler's 0.2 ms batching slack).
    for (const o of out) expect(o.at).toBeGreaterThanOrEqual(o.intended - 200);
    s.stop();
  });

  it('keeps a link FIFO under jitter: a frame never overtakes an earlier one on its link', async () => {
    const net = networkForRun({ latency: { kind: 'uniform', minUs: 1_000, maxUs: 30_000 }, bandwidth: { kind: 'uniform', uploadBitsPerSec: Infinity, downloadBitsPerSec: Infinity } }, 2, 7);
    const clock = clockAtZero();
    const order: number[] = [];
    const s = new LinkScheduler(0, net, 7, clock, (_to, frame) => order.push(frame.readDoubleBE(22)));
    for (let i = 0; i < 50; i++) s.send(1, 100, (sent, intended) => frameWith(sent, intended, i));
    await wait(80);
    expect(order).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(s.stats.fifoHoldUs).toBeGreaterThan(0);
    s.stop();
  });

  it('drops at send time under a partition and under loss, as the simulator decides them', () => {
    const net = networkForRun({ latency: { kind: 'constant', latencyUs: 1_000 }, bandwidth: { kind: 'uniform', uploadBitsPerSec: Infinity, downloadBitsPerSec: Infinity } }, 3, 1);
    const s = new LinkScheduler(0, net, 1, clockAtZero(), () => undefined);
    net.addGrudge({ kind: 'split', groups: [[0], [1, 2]] });
    expect(s.send(1, 100, frameWith)).toBe('partition');
    net.heal();
    net.setLoss(0.999_999);
    expect(s.send(2, 100, frameWith)).toBe('loss');
    expect(s.stats).toMatchObject({ droppedPartition: 1, droppedLoss: 1, queued: 0 });
    s.stop();
  });
});

function frameWith(sent: number, intended: number, tag = 0): Buffer {
  const b = Buffer.alloc(30);
  b.writeDoubleBE(sent, 6);
  b.writeDoubleBE(intended, 14);
  b.writeDoubleBE(tag, 22);
  return b;
}
