import { describe, expect, it } from 'vitest';
import { NodeRecovery, summariseNodeRecovery } from './node-recovery.js';

describe('NodeRecovery', () => {
  it('measures each bootstrap to the first successful poll and the first acceptance after it, per node', () => {
    const r = new NodeRecovery();
    r.accepted(3, 1_000_000); // before any restart: nothing
    r.bootstrapped(3, 10_000_000, 12_500_000);
    r.bootstrapped(5, 10_000_000, 11_000_000);
    r.accepted(3, 12_000_000); // before it was bootstrapped: not counted
    r.pollSucceeded(3, 12_700_000);
    r.accepted(3, 13_100_000);
    r.accepted(3, 14_000_000); // only the first
    r.pollSucceeded(5, 11_200_000);
    // Node 3 restarts again and never recovers within the run.
    r.bootstrapped(3, 20_000_000, 21_000_000);
    expect(summariseNodeRecovery(r.records)).toEqual([
      { node: 3, restartedAtSeconds: 10, bootstrapMs: 2_500, firstSuccessfulPollMs: 2_700, firstAcceptMs: 3_100 },
      { node: 5, restartedAtSeconds: 10, bootstrapMs: 1_000, firstSuccessfulPollMs: 1_200, firstAcceptMs: null },
      { node: 3, restartedAtSeconds: 20, bootstrapMs: 1_000, firstSuccessfulPollMs: null, firstAcceptMs: null },
    ]);
  });
});
