import { describe, expect, it } from 'vitest';
import { runChild } from './child.js';
import { thisCheckout } from './git-ref.js';
import type { ScenarioJob } from './jobs.js';

const root = thisCheckout();
const job = (nodes: number, durationMs: number, workers = 1, rssAtSeconds: number[] = []): ScenarioJob => ({ kind: 'scenario', nodes, workers, durationMs, seed: 1, rssAtSeconds });
const limits = { maxWallSeconds: 120, maxRssBytes: 4 * 2 ** 30, maxOldSpaceMiB: 4096 };

describe('bench child', () => {
  it('runs the scale scenario and reports figures, the same trace hash for 1 and 2 workers, and RSS at the asked times', async () => {
    const one = await runChild(root, job(60, 600, 1, [0.2, 0.6]), limits);
    const two = await runChild(root, job(60, 600, 2), limits);
    expect(one.status).toBe('ok');
    expect(two.status).toBe('ok');
    if (one.status !== 'ok' || two.status !== 'ok' || one.figures.kind !== 'scenario' || two.figures.kind !== 'scenario') return;
    expect(one.figures.completed).toBe(true);
    expect(one.figures.simSeconds).toBe(0.6);
    expect(one.figures.events).toBeGreaterThan(1000);
    expect(one.figures.cpuSeconds).toBeGreaterThan(0);
    expect(one.figures.traceHash).toMatch(/^[0-9a-f]{16}$/);
    expect(two.figures.traceHash).toBe(one.figures.traceHash);
    expect(two.figures.lookaheadMs).toBeGreaterThan(0);
    expect(one.figures.rssAt.map((s) => s.simSeconds >= 0.2)).toEqual([true, true]);
    expect(one.figures.rssAt[1]!.simSeconds).toBe(0.6);
    expect(one.progress.length).toBeGreaterThan(0);
  });

  it('runs the queue hold model', async () => {
    const r = await runChild(root, { kind: 'queue', pending: 1000, ops: 100_000 }, limits);
    expect(r.status).toBe('ok');
    if (r.status === 'ok' && r.figures.kind === 'queue') expect(r.figures.ops).toBe(100_000);
  });

  it('kills a run past its wall limit and reports how far it got', async () => {
    const r = await runChild(root, job(2000, 60_000), { ...limits, maxWallSeconds: 4 });
    expect(r.status).toBe('timeout');
    if (r.status === 'timeout') expect(r.note).toMatch(/killed after 4 s/);
  });

  it('kills a run past its RSS limit', async () => {
    const r = await runChild(root, job(2000, 60_000), { ...limits, maxRssBytes: 150 * 2 ** 20 });
    expect(r.status).toBe('rss-limit');
    if (r.status === 'rss-limit') expect(r.note).toMatch(/GiB RSS \(limit 0.15 GiB\)/);
  });

  it('reports a code tree that cannot be loaded as a crash with the reason', async () => {
    const r = await runChild('/nonexistent-tree', job(10, 100), limits);
    expect(r.status).toBe('crashed');
    if (r.status === 'crashed') expect(r.note).toMatch(/is missing/);
  });
});
