/**
 * Rules that relate several fields of a scenario. They run once every field
 * has the right shape, and each names the inequality or relation it checks.
 * The consensus parameter rules are AvalancheGo's (snowball.Parameters.Verify);
 * src/consensus may re-check them.
 */
import type { z } from 'zod';
import { findProtocol } from '../consensus/protocols.js';
import { formatDuration } from './duration.js';
import { networkingProblems } from './networking.js';
import { runnableIssues } from './runnable.js';
import type { NodeSet, Scenario } from './schema.js';

type Path = Array<string | number>;

/** Node ids or counts a node set names that do not fit `n` nodes, as an error message, or null. */
export function nodeSetProblem(set: NodeSet, n: number): string | null {
  if (typeof set === 'string') return null;
  if ('count' in set && set.count > n) return `count ${set.count} is more than nodes.count (${n})`;
  if ('ids' in set) {
    const bad = set.ids.find((id) => id >= n);
    if (bad !== undefined) return `id ${bad} is not a node (ids run from 0 to ${n - 1})`;
    if (new Set(set.ids).size !== set.ids.length) return 'ids must be unique';
  }
  return null;
}

/** The consensus parameter inequalities, each failure naming the inequality (empty when valid). */
export function parameterProblems(p: Scenario['parameters']): Array<{ path: Path; message: string }> {
  const out: Array<{ path: Path; message: string }> = [];
  const half = Math.floor(p.k / 2);
  if (p.alphaPreference <= half) out.push({ path: ['alphaPreference'], message: `fails k/2 < alphaPreference (k/2 = ${half}, alphaPreference = ${p.alphaPreference})` });
  if (p.alphaConfidence < p.alphaPreference) out.push({ path: ['alphaConfidence'], message: `fails alphaPreference <= alphaConfidence (${p.alphaPreference} > ${p.alphaConfidence})` });
  if (p.alphaConfidence > p.k) out.push({ path: ['alphaConfidence'], message: `fails alphaConfidence <= k (${p.alphaConfidence} > ${p.k})` });
  if (p.concurrentRepolls > p.beta) out.push({ path: ['concurrentRepolls'], message: `fails concurrentRepolls <= beta (${p.concurrentRepolls} > ${p.beta})` });
  const tc = p.terminationConditions ?? [];
  tc.forEach((c, i) => {
    if (c.alphaConfidence < p.alphaPreference || c.alphaConfidence > p.k) {
      out.push({ path: ['terminationConditions', i, 'alphaConfidence'], message: `fails alphaPreference <= alphaConfidence <= k (${p.alphaPreference} <= ${c.alphaConfidence} <= ${p.k})` });
    }
    const prev = tc[i - 1];
    if (prev !== undefined && c.alphaConfidence <= prev.alphaConfidence) {
      out.push({ path: ['terminationConditions', i, 'alphaConfidence'], message: `must be greater than the previous condition's (${prev.alphaConfidence}): alpha ascending` });
    }
    if (prev !== undefined && c.beta > prev.beta) {
      out.push({ path: ['terminationConditions', i, 'beta'], message: `must not exceed the previous condition's (${prev.beta}): beta not increasing` });
    }
    if (p.concurrentRepolls > c.beta) out.push({ path: ['terminationConditions', i, 'beta'], message: `fails concurrentRepolls <= beta (${p.concurrentRepolls} > ${c.beta})` });
  });
  return out;
}

export function crossFieldRules(s: Scenario, ctx: z.core.$RefinementCtx<Scenario>): void {
  const issue = (path: Path, message: string): void => ctx.addIssue({ code: 'custom', path, message });
  const n = s.nodes.count;
  const end = s.duration;

  for (const p of parameterProblems(s.parameters)) issue(['parameters', ...p.path], p.message);
  for (const p of networkingProblems(s.networking, s.parameters)) issue(p.path, p.message);
  // The protocol's own rules (its section against the shared fields).
  for (const p of findProtocol(s.protocol.name)?.rules?.(s) ?? []) issue([...p.path], p.message);

  if (s.nodes.stake.kind === 'explicit' && s.nodes.stake.weights.length !== n) {
    issue(['nodes', 'stake', 'weights'], `must have one weight per node (${n}), got ${s.nodes.stake.weights.length}`);
  }

  const lat = s.network.latency;
  if (lat.kind === 'uniform' && lat.min > lat.max) issue(['network', 'latency', 'min'], `fails min <= max (${formatDuration(lat.min)} > ${formatDuration(lat.max)})`);
  if (lat.kind === 'lognormal' && lat.min !== undefined && lat.min >= lat.median) {
    issue(['network', 'latency', 'min'], `fails min < median (${formatDuration(lat.min)} >= ${formatDuration(lat.median)}): a floor at or above the median flattens most of the distribution`);
  }
  if (s.nodes.regions !== undefined) {
    if (lat.kind !== 'regions') {
      issue(['nodes', 'regions'], 'needs network.latency.kind: regions');
    } else {
      for (const r of Object.keys(s.nodes.regions)) {
        if (!lat.regions.includes(r)) issue(['nodes', 'regions', r], `is not a region of network.latency (${lat.regions.join(', ')})`);
      }
    }
  }

  if (!s.workload.repeat) {
    const total = s.workload.phases.reduce((a, p) => a + p.duration, 0);
    if (total > end) issue(['workload', 'phases'], `phases last ${formatDuration(total)}, longer than duration (${formatDuration(end)}); shorten them or set workload.repeat`);
  }

  s.faults.forEach((f, i) => {
    if (f.at >= end) issue(['faults', i, 'at'], `must be before duration (${formatDuration(end)})`);
    if ('nodes' in f) {
      const prob = nodeSetProblem(f.nodes, n);
      if (prob !== null) issue(['faults', i, 'nodes'], prob);
    }
    const lasts = 'for' in f ? f.for : undefined;
    if (f.repeat !== undefined && lasts !== undefined && f.repeat.every < lasts) {
      issue(['faults', i, 'repeat', 'every'], `fails for <= every (${formatDuration(lasts)} > ${formatDuration(f.repeat.every)}): repeats would overlap`);
    }
  });

  const b = s.byzantine;
  if (b !== undefined) {
    const given = [b.fraction, b.count, b.ids].filter((x) => x !== undefined).length;
    if (given !== 1) issue(['byzantine'], `give exactly one of fraction, count, ids (got ${given})`);
    if (b.count !== undefined && b.count >= n) issue(['byzantine', 'count'], `fails count < nodes.count (${b.count} >= ${n})`);
    if (b.ids !== undefined) {
      const prob = nodeSetProblem({ ids: b.ids }, n);
      if (prob !== null) issue(['byzantine', 'ids'], prob);
    }
    if (b.until !== undefined && b.until <= b.from) issue(['byzantine', 'until'], `fails from < until (${formatDuration(b.from)} >= ${formatDuration(b.until)})`);
  }

  if (s.measurement.warmup >= end) issue(['measurement', 'warmup'], `fails warmup < duration (${formatDuration(s.measurement.warmup)} >= ${formatDuration(end)})`);
  if (s.limits.maxSimTime !== undefined && s.limits.maxSimTime < end) {
    issue(['limits', 'maxSimTime'], `fails duration <= maxSimTime (${formatDuration(end)} > ${formatDuration(s.limits.maxSimTime)})`);
  }

  for (const r of runnableIssues(s)) issue(r.path, r.message);

  for (const axis of Object.keys(s.sweep)) {
    if (axis === 'seeds' || axis.startsWith('seeds.')) issue(['sweep', axis], 'use the top-level seeds field: every sweep point runs once per seed');
    else if (axis.startsWith('sweep')) issue(['sweep', axis], 'cannot sweep the sweep');
    const values = s.sweep[axis] ?? [];
    if (new Set(values.map((v) => JSON.stringify(v))).size !== values.length) issue(['sweep', axis], 'values must be unique');
  }
}
