/**
 * Rules that the runner, not the file format, imposes: what `avsim run`
 * would refuse after loading must already fail `avsim validate` (and every
 * sweep point), with the scenario's field name. Also the warnings: settings
 * that run, but rarely mean what the author meant.
 */
import { UNITS_PER_NODE, stakeUnitsOf } from '../runner/stake-of.js';
import type { Scenario } from './schema.js';

type Path = Array<string | number>;
export interface RuleIssue {
  path: Path;
  message: string;
}

/** Stake units are 32-bit per validator (src/runner/stake.ts). */
const MAX_UNITS = 2 ** 32 - 1;

function stakeIssues(s: Scenario): RuleIssue[] {
  const n = s.nodes.count;
  const stake = s.nodes.stake;
  if (stake.kind === 'zipf') {
    // The largest validator holds UNITS_PER_NODE · n^exponent units.
    const largest = UNITS_PER_NODE * n ** stake.exponent;
    if (largest > MAX_UNITS) {
      return [{ path: ['nodes', 'stake', 'exponent'], message: `gives the largest of ${n} validators ${largest.toExponential(2)} stake units, more than ${MAX_UNITS} (lower the exponent)` }];
    }
  }
  if (stake.kind === 'explicit' && stake.weights.length !== n) return []; // rules.ts reports the count mismatch
  let total = 0;
  for (const u of stakeUnitsOf(s)) total += u;
  const k = s.parameters.k;
  // AvalancheGo's sampler (weightedWithoutReplacement) fails with ErrInsufficientWeight here.
  if (k > total) return [{ path: ['parameters', 'k'], message: `fails k <= total stake units (k = ${k}, nodes.stake gives ${total} units): a sample of k stake units cannot be drawn` }];
  return [];
}

/** Issues the runner would raise, as field paths and rules. */
export function runnableIssues(s: Scenario): RuleIssue[] {
  // The byzantine section is checked by each protocol's adapter against its own strategies (ProtocolAdapter.rules).
  return stakeIssues(s);
}

/** Settings that run but probably do not mean what they say; printed as warnings by validate, run, sweep and check. */
export function scenarioWarnings(s: Scenario): RuleIssue[] {
  const out: RuleIssue[] = [];
  const { k } = s.parameters;
  const n = s.nodes.count;
  if (k > n) {
    out.push({
      path: ['parameters', 'k'],
      message: `k = ${k} is more than nodes.count = ${n}: every sample repeats validators (one fills several of the k slots and its vote counts that often, as with AvalancheGo's stake-weighted sampler)`,
    });
  }
  return out;
}
